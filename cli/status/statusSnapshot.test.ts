import { describe, expect, it } from "vitest";
import { alertScope } from "./statusReader.js";
import {
  age,
  type FiringAlert,
  indexerPhase,
  renderStatus,
  type StatusSnapshot,
} from "./statusSnapshot.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

const base: StatusSnapshot = {
  chainHead: 1200,
  indexedBlock: 1199,
  backfill: null,
  live: true,
  accounts: { block: 1199, total: 300, withPositions: 281, atRisk: 7 },
  firing: [],
  delivered: 3,
  pending: 0,
};

describe("renderStatus", () => {
  it("shows head, indexed block, lag, the phase, the accounts and the alerts", () => {
    const lines = renderStatus(base, NOW);
    expect(lines).toEqual([
      "chain head 1,200 · indexed 1,199 · lag 1 blocks · indexing live",
      "accounts   300 · 281 with positions · 7 at risk (liquidatable) · at block 1,199",
      "alerts     0 firing · 3 delivered",
    ]);
  });

  it("says catching up, not live, until the API's indexingStatus.live", () => {
    expect(indexerPhase({ ...base, live: false })).toBe("catching up");
    expect(indexerPhase({ ...base, live: null })).toBe("catching up");
    expect(renderStatus({ ...base, indexedBlock: 0, live: false })[0]).toBe(
      "chain head 1,200 · indexed 0 · lag 1,200 blocks · catching up",
    );
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

  it("sorts what fires by severity, then newest first, and never hides a critical", () => {
    const info = (i: number): FiringAlert => ({
      rule: `info-${i}`,
      severity: "info",
      scope: "BTC",
      since: ago(10 + i),
    });
    const firing: FiringAlert[] = [
      ...Array.from({ length: 6 }, (_, i) => info(i)),
      { rule: "old-critical", severity: "critical", scope: "exchange-wide", since: ago(7200) },
      { rule: "warn", severity: "warning", scope: "ETH", since: ago(90) },
      { rule: "new-critical", severity: "critical", scope: "ETH", since: ago(5) },
    ];
    const lines = renderStatus({ ...base, firing, pending: 2 }, NOW);
    expect(lines[2]).toBe("alerts     9 firing (2 critical) · 3 delivered · 2 waiting");
    expect(lines.slice(3)).toEqual([
      "  ▲ critical new-critical  ETH · 5s",
      "  ▲ critical old-critical  exchange-wide · 2h",
      "  ▲ warning  warn          ETH · 1m",
      "  ▲ info     info-0        BTC · 10s",
      "  ▲ info     info-1        BTC · 11s",
      "  … and 4 more (4 info)",
    ]);
  });

  it("shows every critical even when they are more than the list's length", () => {
    const firing = Array.from({ length: 8 }, (_, i) => ({
      rule: `c${i}`,
      severity: i < 7 ? "critical" : "info",
      scope: "ETH",
      since: ago(i),
    }));
    const lines = renderStatus({ ...base, firing }, NOW);
    const shown = lines.filter((l) => l.startsWith("  ▲ critical"));
    expect(shown).toHaveLength(7);
    // Seven criticals and one more: the eighth line says more than "… and 1 more".
    expect(lines.at(-1)).toBe("  ▲ info     c7  ETH · 7s");
  });

  it("names what an account alert is about", () => {
    const account = "0x00000000000000000000000000000000000000aa";
    expect(alertScope({ account, market: "ETH" })).toBe("account 0x0000…00aa · ETH");
    expect(alertScope({ account: "278", market: null })).toBe("account 278");
    expect(alertScope({ market: "SOL" })).toBe("SOL");
    expect(alertScope({})).toBe("exchange-wide");
  });

  it("says … for what is not known yet", () => {
    const lines = renderStatus({
      ...base,
      chainHead: null,
      indexedBlock: null,
      live: null,
      accounts: null,
      delivered: null,
    });
    expect(lines[0]).toBe("chain head … · indexed … · lag … · starting");
    expect(lines[1]).toBe("accounts   … · … with positions · … at risk (liquidatable)");
    expect(lines[2]).toBe("alerts     0 firing · … delivered");
  });

  it("writes ages in seconds, minutes and hours", () => {
    expect(age(ago(59), NOW)).toBe("59s");
    expect(age(ago(61), NOW)).toBe("1m");
    expect(age(ago(3601), NOW)).toBe("1h");
    expect(age(null, NOW)).toBe("");
  });
});
