/**
 * Where an alert links to: the Grafana dashboard that shows its subject (Alertmanager's
 * `generatorURL`), filtered to its exchange and market, the `externalURL` of webhook
 * payloads, and the evidence: the GraphQL query (GraphiQL opens it filled in) that shows the
 * figures behind the alert, at the API's URL. The base URLs are `links.grafanaUrl` and
 * `links.graphqlUrl` (default: the API the worker watches) in the alerts configuration.
 */
import type { StoredEvent } from "../../store/alertStore.js";

export interface Links {
  grafanaUrl: string;
  externalUrl?: string;
  /** The GraphQL endpoint people can open (GraphiQL); none: no evidence link. */
  graphqlUrl?: string;
}

export const DEFAULT_LINKS: Links = { grafanaUrl: "http://127.0.0.1:3000" };

/** The dashboard (uid, as dashboards/grafana declares it) that shows an alert's data. */
function dashboardOf(labels: Record<string, string>): string {
  if (labels.account) return "perpwatch-accounts-at-risk";
  if (labels.category === "indexer") return "perpwatch-system-health";
  if (labels.category === "funding") return "perpwatch-funding";
  if (labels.market) return "perpwatch-market-risk";
  return "perpwatch-cascade-insurance";
}

export function generatorUrl(e: Pick<StoredEvent, "labels">, links: Links): string {
  const u = new URL(`/d/${dashboardOf(e.labels)}`, links.grafanaUrl);
  if (e.labels.exchange) u.searchParams.set("var-exchange", e.labels.exchange);
  if (e.labels.market) u.searchParams.set("var-market", e.labels.market);
  return u.toString();
}

export const externalUrl = (links: Links) => links.externalUrl ?? links.grafanaUrl;

const q = (s: string) => JSON.stringify(s);

/** The query that shows an alert's figures (valid against schema.graphql: tested). */
export function evidenceQuery(labels: Record<string, string>): string {
  const x = labels.exchange ? `exchange: ${q(labels.exchange)}` : "";
  const args = (more = "") => (x || more ? `(${[x, more].filter(Boolean).join(", ")})` : "");
  if (labels.account && /^\d+$/.test(labels.account)) {
    return `{ account${args(`id: ${q(labels.account)}`)} { id equity maintenanceMargin marginRatio liquidatable positions { market { symbol } size notional unrealizedPnl } } }`;
  }
  if (labels.category === "indexer") {
    return `{ indexingStatus${args()} { chainHead indexedBlock lagBlocks lagSeconds live } }`;
  }
  const summary = `riskSummary${args()} { block openInterestUsd accountsAtRisk insuranceFund pendingBadDebt adlLikely }`;
  if (labels.market) return `{ markets${args()} { id symbol price } ${summary} }`;
  return `{ ${summary} insuranceFund${args()} { balance pendingBadDebt } }`;
}

/** GraphiQL at the API with the evidence query filled in; null without `graphqlUrl`. */
export function evidenceUrl(e: Pick<StoredEvent, "labels">, links: Links): string | null {
  if (!links.graphqlUrl) return null;
  const u = new URL(links.graphqlUrl);
  u.searchParams.set("query", evidenceQuery(e.labels));
  return u.toString();
}

/** The annotations a payload carries: the alert's own plus `evidence` (the GraphiQL link). */
export function annotationsWithEvidence(
  e: Pick<StoredEvent, "labels" | "annotations">,
  links: Links,
): Record<string, string> {
  const url = evidenceUrl(e, links);
  return url ? { ...e.annotations, evidence: url } : e.annotations;
}
