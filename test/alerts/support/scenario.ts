/**
 * Test support: the pieces the worker-process tests share — a recorded-observation API,
 * a receiver, a temporary directory, a config file for `alerts/main.ts`, and a block clock
 * that publishes a new observation every `intervalMs` from a script of market states.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RiskObservation } from "../../../alerts/observation.js";
import { AlertStore, type OutboxRow, type StoredEvent } from "../../../alerts/store/alertStore.js";
import { openPglite } from "../../../alerts/store/sqlDb.js";
import { type FakeApi, startFakeApi } from "./fakeApi.js";
import { observation, type SYMBOLS, withMarket } from "./observations.js";
import { writeConfig } from "./workerProcess.js";

export const SECRET = "e2e-secret";

/** Skew of each market at one block (missing = calm). */
export type SkewScript = Partial<Record<(typeof SYMBOLS)[number], number>>;

export function skewObservation(block: number, skews: SkewScript): RiskObservation {
  let obs = observation(block);
  for (const [sym, skew] of Object.entries(skews)) obs = withMarket(obs, sym, { skewRatio: skew });
  return obs;
}

/** Publishes a block every `intervalMs` with the current script state, until stopped. */
export class BlockClock {
  block: number;
  skews: SkewScript = {};
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly api: FakeApi,
    start: number,
  ) {
    this.block = start;
  }

  tick(): void {
    this.block++;
    this.api.publish(skewObservation(this.block, this.skews));
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export async function makeDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A worker config: the API, the receiver (generic webhook, signed), PGlite in `dir`, one skew rule. */
export function workerConfig(
  dir: string,
  api: FakeApi,
  receiverUrl: string,
  extra: Record<string, unknown> = {},
): string {
  return writeConfig(dir, "alerts.yaml", {
    api: { url: api.graphqlUrl, pollInterval: "100ms" },
    chain: { rpcUrl: api.rpcUrl },
    store: { kind: "pglite", directory: join(dir, "store") },
    receivers: { ops: { type: "webhook", url: `${receiverUrl}/hook`, secret: SECRET } },
    delivery: { initialBackoff: "200ms", maxBackoff: "2s", timeout: "10s" },
    digest: { enabled: false },
    rules: [
      { name: "skew", kind: "skew_extreme", severity: "warning", threshold: 0.5, cooldown: "0s" },
    ],
    ...extra,
  });
}

export { startFakeApi };

/** Reads the worker's store after it has stopped: every event and every delivery. */
export async function readStore(
  dir: string,
): Promise<{ events: StoredEvent[]; outbox: OutboxRow[] }> {
  const store = new AlertStore(await openPglite(join(dir, "store")), "perpwatch_alerts");
  try {
    return { events: await store.eventsAfter(0, 100_000), outbox: await store.outbox() };
  } finally {
    await store.close();
  }
}
