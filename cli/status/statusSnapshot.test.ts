import { describe, expect, it } from "vitest";
import { indexerPhase, renderStatus, type StatusSnapshot } from "./statusSnapshot.js";

const base: StatusSnapshot = {
  chainHead: 1200,
  indexedBlock: 1199,
  backfill: null,
  accountsAtRisk: 7,
  accounts: 300,
  firing: [],
  delivered: 3,
  pending: 0,
};

describe("renderStatus", () => {
  it("shows head, indexed block, lag and the live phase", () => {
    const lines = renderStatus(base);
    expect(lines[0]).toBe("chain head 1,200 · indexed 1,199 · lag 1 blocks · indexing live");
    expect(lines[1]).toBe("accounts   300 indexed · 7 at risk · alerts 0 firing · 3 delivered");
    expect(lines).toHaveLength(2);
  });

  it("draws a progress bar while backfilling", () => {
    const lines = renderStatus({
      ...base,
      indexedBlock: 400,
      backfill: { fraction: 0.5, eta: "32s" },
    });
    expect(indexerPhase({ ...base, backfill: { fraction: 0.5 } })).toBe("backfilling");
    expect(lines[0]).toContain("lag 800 blocks · backfilling");
    expect(lines[1]).toBe(`backfill   ${"█".repeat(15)}${"░".repeat(15)} 50.0% · 32s left`);
  });

  it("lists what is firing, five at most", () => {
    const firing = Array.from({ length: 7 }, (_, i) => ({
      rule: `rule-${i}`,
      severity: "critical",
      scope: "ETH",
    }));
    const lines = renderStatus({ ...base, firing, pending: 2 });
    expect(lines[1]).toContain("alerts 7 firing · 3 delivered · 2 waiting");
    expect(lines[2]).toBe("  ▲ critical rule-0 (ETH)");
    expect(lines.at(-1)).toBe("  … and 2 more");
    expect(lines).toHaveLength(8);
  });

  it("says … for what is not known yet", () => {
    const lines = renderStatus({
      ...base,
      chainHead: null,
      indexedBlock: null,
      accounts: null,
      accountsAtRisk: null,
      delivered: null,
    });
    expect(lines[0]).toBe("chain head … · indexed … · lag … · starting");
    expect(lines[1]).toBe("accounts   … indexed · … at risk · alerts 0 firing · … delivered");
  });
});
