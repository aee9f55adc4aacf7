/**
 * End to end on the real stack: the devnet runs `crash-cascade` (seed 42, 150 accounts) in
 * real time, Ponder indexes it with Perpwatch's GraphQL API at `/graphql`, and the alert
 * worker, with the default rule pack, delivers to a real HTTP receiver. The receiver must get
 * the cascade-risk alert before the first liquidation of the cascade (the lead time is
 * printed), then the liquidation-burst and insurance-fund alerts, then the resolves once the
 * market calms.
 *
 * PERPWATCH_E2E_BLOCK_TIME sets the wall-clock seconds per block (default 1, the devnet's;
 * chain time is one second per block either way).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAlertsConfig } from "../../alerts/config/alertsConfig.js";
import { type AlertsService, createAlertsService } from "../../alerts/service/alertsService.js";
import { createApiClient } from "../../runtime/apiClient.js";
import { type LiveStack, startLiveStack } from "./support/liveStack.js";
import { captureLogger } from "./support/logs.js";
import {
  type ReceivedDelivery,
  startTestReceiver,
  type TestReceiver,
} from "./support/testReceiver.js";

const BLOCK_TIME = Number(process.env.PERPWATCH_E2E_BLOCK_TIME ?? "1");
const CRASH_START = 120;
const CRASH_END = 300;
const INSURANCE_RULES = ["insurance-fund-drawdown", "insurance-coverage-low", "adl-likely"];

interface Arrival {
  alert: string;
  status: string;
  market?: string;
  at: number;
  block: bigint | null;
}

function arrivals(rx: TestReceiver): Arrival[] {
  return rx.accepted().map((r: ReceivedDelivery) => {
    const b = r.body as {
      labels: Record<string, string>;
      perpwatch: { event: string; block: { number: string } | null };
    };
    return {
      alert: b.labels.alertname ?? "",
      status: b.perpwatch.event,
      market: b.labels.market,
      at: r.receivedAtMs,
      block: b.perpwatch.block ? BigInt(b.perpwatch.block.number) : null,
    };
  });
}

const out = (line: string) => process.stdout.write(`[crash-cascade e2e] ${line}\n`);

describe("alerts end to end on crash-cascade", () => {
  let stack: LiveStack | null = null;
  let rx: TestReceiver | null = null;
  let service: AlertsService | null = null;
  const dir = mkdtempSync(join(tmpdir(), "perpwatch-alerts-e2e-"));

  afterAll(async () => {
    await service?.stop();
    await rx?.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("cascade risk before the first cascade liquidation, then burst and insurance, then resolves", async () => {
    stack = await startLiveStack({
      scenario: "crash-cascade",
      seed: 42,
      accounts: 150,
      blockTime: BLOCK_TIME,
    });
    // The API must be there: this test is about the worker on the real API.
    const probe = createApiClient({ url: stack.graphqlUrl, timeoutMs: 5000 });
    await probe.query("{ indexingStatus { indexedBlock } }").catch((err: Error) => {
      throw new Error(
        `Perpwatch's GraphQL API is not answering at ${stack!.graphqlUrl}: ${err.message}`,
      );
    });
    rx = await startTestReceiver({ secret: "e2e" });
    const { logger, lines } = captureLogger();
    const config = loadAlertsConfig({
      overrides: {
        api: { url: stack.graphqlUrl },
        chain: { rpcUrl: stack.rpcUrl },
        store: { kind: "pglite", directory: join(dir, "alerts") },
        receivers: { ops: { type: "webhook", url: `${rx.url}/hook`, secret: "e2e" } },
        digest: { enabled: false },
      },
    });
    const evaluations: { path: string; block: bigint; at: number }[] = [];
    service = createAlertsService(config, {
      logger,
      onEvaluated: (path, r) => evaluations.push({ path, block: r.block, at: Date.now() }),
    });
    await service.start();

    // Wait for the crash, the aftermath, and the cascade's alerts to resolve.
    const deadline = Date.now() + (CRASH_END + 240) * BLOCK_TIME * 1000 + 60_000;
    const resolvedBoth = () => {
      const a = arrivals(rx!);
      return ["cascade-amplification", "liquidation-burst"].every((n) =>
        a.some((x) => x.alert === n && x.status === "resolved"),
      );
    };
    while (Date.now() < deadline) {
      const tick = stack.ticks.at(-1)?.tick ?? 0;
      if (tick > CRASH_END && resolvedBoth()) break;
      await new Promise((r) => setTimeout(r, 1000));
    }

    // How the worker kept up: block evaluations, the longest wait between two, and problems.
    const blocks = evaluations.filter((e) => e.path === "block");
    let gap = { ms: 0, after: 0n };
    for (let i = 1; i < blocks.length; i++) {
      const ms = blocks[i]!.at - blocks[i - 1]!.at;
      if (ms > gap.ms) gap = { ms, after: blocks[i - 1]!.block };
    }
    out(
      `${blocks.length} block evaluations (blocks ${blocks[0]?.block}-${blocks.at(-1)?.block}), longest gap ${gap.ms} ms after block ${gap.after}; ${evaluations.length - blocks.length} cron evaluations`,
    );
    for (const l of lines.filter((x) => x.level >= 40).slice(0, 20)) out(`worker: ${l.msg}`);
    const got = arrivals(rx);
    for (const a of got) {
      const tick = stack.ticks.find((t) => t.blockNumber === a.block)?.tick;
      out(
        `${new Date(a.at).toISOString()} block ${a.block} (tick ${tick}) ${a.status} ${a.alert}${a.market ? ` ${a.market}` : ""}`,
      );
    }
    const firstLiq = stack.ticks.find((t) => t.tick >= CRASH_START && t.liquidations > 0);
    expect(firstLiq, "the crash liquidated someone").toBeDefined();
    const liqSeen = stack.blockSeenAt.get(firstLiq!.blockNumber) ?? firstLiq!.wallMs;
    const cascade = got.find((a) => a.alert === "cascade-amplification" && a.status === "firing");
    expect(cascade, "a cascade-amplification alert arrived").toBeDefined();
    const leadS = (liqSeen - cascade!.at) / 1000;
    out(
      `first cascade liquidation: block ${firstLiq!.blockNumber} (tick ${firstLiq!.tick}); cascade-risk alert received ${leadS.toFixed(1)} s before it (block ${cascade!.block})`,
    );
    expect(leadS).toBeGreaterThan(0);

    const burst = got.find((a) => a.alert === "liquidation-burst" && a.status === "firing");
    expect(burst, "a liquidation-burst alert arrived").toBeDefined();
    expect(burst!.at).toBeGreaterThan(liqSeen);
    const insurance = got.find(
      (a) => INSURANCE_RULES.includes(a.alert) && a.status === "firing" && a.at > liqSeen,
    );
    expect(insurance, "an insurance-fund alert arrived after the first liquidation").toBeDefined();
    out(
      `liquidation-burst after ${((burst!.at - liqSeen) / 1000).toFixed(1)} s; ${insurance!.alert} after ${((insurance!.at - liqSeen) / 1000).toFixed(1)} s`,
    );
    expect(
      resolvedBoth(),
      "cascade-amplification and liquidation-burst resolved after the crash",
    ).toBe(true);
    const lastResolve = got.filter((a) => a.status === "resolved").at(-1)!;
    expect(lastResolve.at).toBeGreaterThan(burst!.at);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  }, 1_200_000);
});
