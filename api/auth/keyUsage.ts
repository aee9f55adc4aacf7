/**
 * What each API key did, as Prometheus counters labelled with the key's name (never the key):
 * requests by outcome and the analytics cost charged. Served at `/perpwatch/metrics` beside
 * Ponder's `/metrics`, behind the same `metrics: true` key.
 *
 * Why our own endpoint: Ponder's registry is not reachable from the API, and its `/metrics` is
 * answered before any route of ours (metricsGuard.ts). The text format is a few lines, so no
 * client library: names are configured key names (letters, digits, `._-`), `anonymous`, or
 * `unknown` for a key nobody configured.
 */

/** How a request left the access checks. */
export type Outcome = "admitted" | "unauthenticated" | "forbidden" | "rate_limited";

const OUTCOMES: readonly Outcome[] = ["admitted", "unauthenticated", "forbidden", "rate_limited"];

export class KeyUsage {
  private readonly requests = new Map<string, Record<Outcome, number>>();
  private readonly cost = new Map<string, number>();

  count(key: string, outcome: Outcome): void {
    let row = this.requests.get(key);
    if (!row) {
      row = { admitted: 0, unauthenticated: 0, forbidden: 0, rate_limited: 0 };
      this.requests.set(key, row);
    }
    row[outcome] += 1;
  }

  charge(key: string, cost: number): void {
    if (cost > 0) this.cost.set(key, (this.cost.get(key) ?? 0) + cost);
  }

  /** The counters in Prometheus' text exposition format. */
  prometheus(): string {
    const lines = [
      "# HELP perpwatch_api_requests_total Requests to the API by API key name and outcome.",
      "# TYPE perpwatch_api_requests_total counter",
    ];
    for (const [key, row] of [...this.requests].sort(([a], [b]) => a.localeCompare(b))) {
      for (const o of OUTCOMES) {
        if (row[o] > 0) {
          lines.push(`perpwatch_api_requests_total{key="${key}",outcome="${o}"} ${row[o]}`);
        }
      }
    }
    lines.push(
      "# HELP perpwatch_api_cost_total Estimated analytics cost charged, by API key name.",
      "# TYPE perpwatch_api_cost_total counter",
    );
    for (const [key, cost] of [...this.cost].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`perpwatch_api_cost_total{key="${key}"} ${cost}`);
    }
    return `${lines.join("\n")}\n`;
  }
}
