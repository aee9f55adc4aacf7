/**
 * Where an alert links to: the Grafana dashboard that shows its subject (Alertmanager's
 * `generatorURL`), filtered to its exchange and market, and the `externalURL` of webhook
 * payloads. The Grafana base URL is `links.grafanaUrl` in the alerts configuration.
 */
import type { StoredEvent } from "../../store/alertStore.js";

export interface Links {
  grafanaUrl: string;
  externalUrl?: string;
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
