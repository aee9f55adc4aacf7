import { describe, expect, it } from "vitest";
import { KeyUsage } from "./keyUsage.js";

describe("KeyUsage", () => {
  it("writes Prometheus counters by key name and outcome, sorted, zero rows left out", () => {
    const u = new KeyUsage();
    u.count("risk-desk", "admitted");
    u.count("risk-desk", "admitted");
    u.count("anonymous", "unauthenticated");
    u.count("risk-desk", "rate_limited");
    u.charge("risk-desk", 120);
    u.charge("risk-desk", 30);
    u.charge("anonymous", 0);
    expect(u.prometheus()).toBe(
      [
        "# HELP perpwatch_api_requests_total Requests to the API by API key name and outcome.",
        "# TYPE perpwatch_api_requests_total counter",
        'perpwatch_api_requests_total{key="anonymous",outcome="unauthenticated"} 1',
        'perpwatch_api_requests_total{key="risk-desk",outcome="admitted"} 2',
        'perpwatch_api_requests_total{key="risk-desk",outcome="rate_limited"} 1',
        "# HELP perpwatch_api_cost_total Estimated analytics cost charged, by API key name.",
        "# TYPE perpwatch_api_cost_total counter",
        'perpwatch_api_cost_total{key="risk-desk"} 150',
        "",
      ].join("\n"),
    );
  });
});
