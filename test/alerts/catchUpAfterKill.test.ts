/**
 * Catch-up after downtime, end to end: the worker is killed with SIGKILL in the middle of a
 * liquidation cascade (its burst alert already delivered); while it is dead the cascade goes
 * on — bad debt waits for ADL and is absorbed, the insurance fund is drawn, the burst ends.
 * Restarted on the same store, the worker evaluates every missed block from the API's history
 * before the head: each alert those blocks raised or ended is delivered once, marked late
 * (annotation `late`, webhook `perpwatch.late`), and the burst that fired before the kill is
 * not fired again. Reuses the SIGKILL test's rig (recorded-observation API, signed receiver).
 */
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiquidationObservation, RiskObservation } from "../../alerts/observation.js";
import { DeliveryRig } from "./support/deliveryRig.js";
import { observation } from "./support/observations.js";
import { workerConfig } from "./support/scenario.js";

const FIRST = 2000;
const KILLED_AT = 2010;
const HEAD = 2100;

/** The cascade's liquidations by block: three at the kill, then four more with bad debt. */
const LIQUIDATED: Record<number, { notional: number; badDebt: number }[]> = {
  [KILLED_AT]: [
    { notional: 60_000, badDebt: 0 },
    { notional: 50_000, badDebt: 0 },
    { notional: 40_000, badDebt: 0 },
  ],
  2014: [{ notional: 400_000, badDebt: 300_000 }],
  2015: [
    { notional: 350_000, badDebt: 320_000 },
    { notional: 90_000, badDebt: 0 },
  ],
};

/** The exchange at `block` of the scripted cascade. */
function cascadeAt(block: number): RiskObservation {
  const liquidations: LiquidationObservation[] = [];
  let pending = 0;
  for (const [b, list] of Object.entries(LIQUIDATED)) {
    if (Number(b) > block) continue;
    list.forEach((l, i) => {
      liquidations.unshift({
        id: `${b}-${i}`,
        accountId: String(100 + liquidations.length),
        notional: l.notional,
        badDebt: l.badDebt,
        insuranceCovered: 0,
        blockNumber: BigInt(b),
        timestamp: observation(Number(b)).block.timestamp,
      });
      pending += l.badDebt;
    });
  }
  if (block >= 2030) pending = 0; // ADL absorbs the bad debt at block 2030
  const base = observation(block);
  return {
    ...base,
    liquidations,
    exchange: {
      ...base.exchange!,
      insuranceFund: block >= 2016 ? 10_000 : 50_000, // drawn at 2016
      pendingBadDebt: pending,
    },
  };
}

const RULES = [
  {
    name: "liquidation-burst",
    kind: "liquidation_burst",
    severity: "critical",
    window: "30s",
    minCount: 3,
    threshold: 100_000,
    cooldown: "0s",
  },
  { name: "adl-likely", kind: "adl_likely", severity: "critical", threshold: 1, cooldown: "0s" },
  {
    name: "insurance-fund-drawdown",
    kind: "insurance_fund_drawdown",
    severity: "critical",
    window: "20s",
    threshold: 0.2,
    cooldown: "0s",
  },
];

type Body = {
  status: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  perpwatch: { late?: boolean; block: { number: string } | null };
};

describe("worker killed mid-cascade catches up on the blocks it missed", () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await DeliveryRig.start("perpwatch-alerts-catchup-", FIRST);
    workerConfig(dirname(rig.config), rig.api, rig.rx.url, { rules: RULES });
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it("delivers every alert of the missed blocks once, marked late", async () => {
    const { api, rx } = rig;
    const first = rig.startWorker();
    await first.waitForLog(/block feed: subscribed/);
    for (let b = FIRST + 1; b <= KILLED_AT; b++) api.publish(cascadeAt(b));
    await rx.waitFor((r) => r.some((x) => x.answered === 200), 30_000);
    await first.kill();
    expect(await first.exited).toBe("SIGKILL");

    // The cascade goes on while the worker is dead.
    for (let b = KILLED_AT + 1; b <= HEAD; b++) api.publish(cascadeAt(b));

    const second = rig.startWorker();
    await second.waitForLog(/catch-up: evaluated missed blocks/);
    const keys = () => new Set(rx.accepted().map((x) => x.key)).size;
    await rx.waitFor(() => keys() >= 6, 30_000);
    await second.stop();

    const bodies = rx.accepted().map((r) => r.body as Body);
    const seq = (rule: string) =>
      bodies
        .filter((b) => b.labels.alertname === rule)
        .map(
          (b) =>
            `${b.status}@${b.perpwatch.block?.number ?? "?"}${b.perpwatch.late ? " late" : ""}`,
        );
    // Fired before the kill (on time), ended while the worker was dead (late).
    expect(seq("liquidation-burst")).toEqual([`firing@${KILLED_AT}`, "resolved@2044 late"]);
    // Both came and went while it was dead.
    expect(seq("adl-likely")).toEqual(["firing@2014 late", "resolved@2030 late"]);
    expect(seq("insurance-fund-drawdown")).toEqual(["firing@2016 late", "resolved@2036 late"]);
    for (const b of bodies.filter((x) => x.perpwatch.late)) {
      expect(b.annotations.late).toMatch(
        /^evaluated late \(catch-up\): block \d+ was \d+s behind head 2100/,
      );
    }

    // Nothing twice: one delivery per event, each accepted once; one firing per episode.
    const { events, outbox } = await rig.readStore();
    expect(events).toHaveLength(6);
    expect(outbox.map((o) => o.status)).toEqual(Array(6).fill("delivered"));
    expect(
      rx
        .accepted()
        .map((r) => r.key)
        .sort(),
    ).toEqual(outbox.map((o) => o.idempotencyKey).sort());
    // A repeat can only be the pre-kill firing re-sent (answered, not yet marked delivered
    // when the worker died), under the key already accepted.
    const accepted = rx.accepted();
    for (const r of rx.received.filter((x) => x.duplicate)) {
      expect(accepted.find((a) => a.key === r.key)?.body).toMatchObject({
        status: "firing",
        perpwatch: { block: { number: String(KILLED_AT) } },
      });
    }
  }, 120_000);
});
