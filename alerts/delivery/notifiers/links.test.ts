/**
 * The evidence link: for every kind of alert subject (account, market, indexer, exchange)
 * the query is valid against the API's own schema.graphql, and payloads carry the link.
 */
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../store/alertStore.js";
import { alertmanagerBody } from "./alertmanagerBody.js";
import { evidenceQuery, evidenceUrl, type Links } from "./links.js";
import { pagerdutyBody } from "./pagerdutyBody.js";

const schema = buildSchema(
  readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8"),
);
const links: Links = { grafanaUrl: "http://grafana:3000", graphqlUrl: "http://api:42069/graphql" };

const subjects: Record<string, Record<string, string>> = {
  account: { alertname: "top-account-near-liquidation", account: "138", exchange: "ref-1" },
  market: { alertname: "cascade-amplification", market: "ETH", exchange: "ref-1" },
  indexer: { alertname: "indexer-lagging", category: "indexer" },
  exchange: { alertname: "insurance-coverage-low", exchange: "ref-1" },
};

describe("evidence links", () => {
  for (const [kind, labels] of Object.entries(subjects)) {
    it(`${kind}: a query valid against schema.graphql`, () => {
      const errors = validate(schema, parse(evidenceQuery(labels)));
      expect(errors.map((e) => e.message)).toEqual([]);
    });
  }

  it("opens GraphiQL with the query, in Alertmanager and PagerDuty payloads; none without a URL", () => {
    const e = {
      kind: "firing",
      fingerprint: "fp",
      rule: "cascade-amplification",
      labels: subjects.market!,
      annotations: { summary: "ETH cascades" },
      value: 1.2,
      threshold: 1.1,
      startsAtMs: 0,
      endsAtMs: null,
      block: null,
      id: 1,
      createdAtMs: 0,
    } satisfies StoredEvent;
    const url = new URL(evidenceUrl(e, links)!);
    expect(url.origin + url.pathname).toBe("http://api:42069/graphql");
    expect(url.searchParams.get("query")).toContain('markets(exchange: "ref-1")');
    const am = alertmanagerBody([e], links)! as { annotations: Record<string, string> }[];
    expect(am[0]!.annotations.evidence).toBe(url.toString());
    const pd = pagerdutyBody(e, "key", "perpwatch", links) as { links: { text: string }[] };
    expect(pd.links.map((l) => l.text)).toEqual(["Grafana", "GraphQL evidence"]);
    expect(evidenceUrl(e, { grafanaUrl: "http://grafana:3000" })).toBeNull();
  });
});
