/**
 * Alert latency: from a block appearing on the node to the webhook that block caused arriving
 * at a real HTTP receiver, on a 1-second-block devnet (crash-cascade, seed 42, 150 accounts)
 * indexed by Ponder with the GraphQL API, and the alert worker running the default rule pack.
 *
 * Alerts are rare by design, so the benchmark adds one probe rule that changes state often:
 * an oracle move of more than 0.01% within one block, in any market, with no cool-down. Every
 * firing and resolve it produces is a block-to-webhook sample, measured on the same path
 * (block feed → observation → all rules → state → outbox → HTTP) as every other alert; the
 * default rules' own events are measured too. Targets: p50 ≤ 1 s, p99 ≤ 3 s.
 *
 * `PERPWATCH_BENCH_ALERTS_SECONDS` (default 180) sets how long it measures.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { DEFAULT_RULES_FILE, loadAlertsConfig } from "../alerts/config/alertsConfig.js";
import { createAlertsService } from "../alerts/service/alertsService.js";
import { startLiveStack } from "../test/alerts/support/liveStack.js";
import { captureLogger } from "../test/alerts/support/logs.js";
import { startTestReceiver } from "../test/alerts/support/testReceiver.js";
import { percentile, printTable } from "./report.js";

const SECONDS = Number(process.env.PERPWATCH_BENCH_ALERTS_SECONDS ?? "180");

const PROBE = {
  name: "latency-probe",
  kind: "oracle_jump",
  severity: "info",
  window: "1s",
  threshold: 0.0001,
  for: "0s",
  cooldown: "0s",
  labels: { team: "bench" },
};

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "perpwatch-alerts-bench-"));
  console.log("alerts bench: starting devnet (crash-cascade, 1-s blocks) and Ponder …");
  const stack = await startLiveStack({
    scenario: "crash-cascade",
    seed: 42,
    accounts: 150,
    blockTime: 1,
  });
  const rx = await startTestReceiver({ secret: "bench" });
  const defaultRules = parse(readFileSync(DEFAULT_RULES_FILE, "utf8")) as unknown[];
  const config = loadAlertsConfig({
    overrides: {
      api: { url: stack.graphqlUrl },
      chain: { rpcUrl: stack.rpcUrl },
      store: { kind: "pglite", directory: join(dir, "alerts") },
      receivers: { ops: { type: "webhook", url: `${rx.url}/hook`, secret: "bench" } },
      digest: { enabled: false },
      rules: [...defaultRules, PROBE],
    },
  });
  const evaluatedAt = new Map<bigint, number>();
  const startedAt = new Map<bigint, number>();
  const { logger } = captureLogger();
  const service = createAlertsService(config, {
    logger,
    onEvaluated: (path, r) => {
      if (path === "block" && !evaluatedAt.has(r.block)) {
        evaluatedAt.set(r.block, Date.now());
        startedAt.set(r.block, r.observation.observedAtMs);
      }
    },
  });
  await service.start();
  const started = Date.now();
  console.log(`alerts bench: measuring for ${SECONDS} s (block feed: ${service.blockFeedVia})`);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const feedVia = service.blockFeedVia;
  await service.stop();

  const samples: { total: number; toEval: number; alert: string }[] = [];
  for (const r of rx.accepted()) {
    const b = r.body as {
      labels: { alertname: string };
      perpwatch: { block: { number: string } | null };
    };
    if (!b.perpwatch?.block || r.receivedAtMs < started) continue;
    const block = BigInt(b.perpwatch.block.number);
    const seen = stack.blockSeenAt.get(block);
    if (seen === undefined) continue;
    samples.push({
      total: r.receivedAtMs - seen,
      toEval: (evaluatedAt.get(block) ?? r.receivedAtMs) - seen,
      alert: b.labels.alertname,
    });
  }
  const blocks = [...evaluatedAt.keys()].filter((b) => (stack.blockSeenAt.get(b) ?? 0) >= started);
  const evalLat = blocks
    .map((b) => evaluatedAt.get(b)! - stack.blockSeenAt.get(b)!)
    .sort((a, b) => a - b);
  const toStart = blocks
    .map((b) => startedAt.get(b)! - stack.blockSeenAt.get(b)!)
    .sort((a, b) => a - b);
  const evalOnly = blocks.map((b) => evaluatedAt.get(b)! - startedAt.get(b)!).sort((a, b) => a - b);
  const all = samples.map((s) => s.total).sort((a, b) => a - b);
  const real = samples
    .filter((s) => s.alert !== PROBE.name)
    .map((s) => s.total)
    .sort((a, b) => a - b);
  const ms = (v: number) => (Number.isNaN(v) ? "-" : `${Math.round(v)} ms`);
  printTable(
    `Alert latency, block on the node → webhook received (${SECONDS} s, block feed ${feedVia})`,
    [
      ["measure", "samples", "p50", "p99", "max", "target"],
      [
        "block → webhook, all alerts",
        String(all.length),
        ms(percentile(all, 0.5)),
        ms(percentile(all, 0.99)),
        ms(all.at(-1) ?? Number.NaN),
        "p50 ≤ 1 s, p99 ≤ 3 s",
      ],
      [
        "  of which default-pack alerts",
        String(real.length),
        ms(percentile(real, 0.5)),
        ms(percentile(real, 0.99)),
        ms(real.at(-1) ?? Number.NaN),
        "",
      ],
      [
        "block → evaluation starts (index, API, feed)",
        String(toStart.length),
        ms(percentile(toStart, 0.5)),
        ms(percentile(toStart, 0.99)),
        ms(toStart.at(-1) ?? Number.NaN),
        "",
      ],
      [
        "evaluation (observe all rules, commit)",
        String(evalOnly.length),
        ms(percentile(evalOnly, 0.5)),
        ms(percentile(evalOnly, 0.99)),
        ms(evalOnly.at(-1) ?? Number.NaN),
        "",
      ],
      [
        "block → evaluated (every block)",
        String(evalLat.length),
        ms(percentile(evalLat, 0.5)),
        ms(percentile(evalLat, 0.99)),
        ms(evalLat.at(-1) ?? Number.NaN),
        "",
      ],
    ],
  );
  await rx.close();
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
