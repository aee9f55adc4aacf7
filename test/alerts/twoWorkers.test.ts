/**
 * Two live worker processes on one PostgreSQL alert store: the leader lease lets one of them
 * evaluate and deliver, so every alert is delivered once (one key per alert, no repeat); when
 * the leader is killed, the standby takes over within the lease's time to live and delivers
 * the resolves, once. Needs PostgreSQL (PERPWATCH_TEST_PG; skipped without it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertStore } from "../../alerts/store/alertStore.js";
import { openPostgres } from "../../alerts/store/sqlDb.js";
import type { FakeApi } from "./support/fakeApi.js";
import { observation } from "./support/observations.js";
import { PG_SKIP_REASON, PG_URL, uniqueSchema } from "./support/postgres.js";
import { BlockClock, makeDir, SECRET, startFakeApi, workerConfig } from "./support/scenario.js";
import { startTestReceiver, type TestReceiver } from "./support/testReceiver.js";
import { startWorker, type WorkerProcess } from "./support/workerProcess.js";

describe.skipIf(PG_URL === undefined)(
  `two workers on one PostgreSQL store${PG_SKIP_REASON}`,
  () => {
    let tmp: Awaited<ReturnType<typeof makeDir>>;
    let api: FakeApi;
    let rx: TestReceiver;
    const workers: WorkerProcess[] = [];
    const schema = uniqueSchema("pw_two_workers");

    beforeAll(async () => {
      tmp = await makeDir("perpwatch-two-workers-");
      api = await startFakeApi(observation(3000));
      rx = await startTestReceiver({ secret: SECRET });
    });
    afterAll(async () => {
      for (const w of workers) await w.kill();
      await rx?.close();
      await api?.close();
      tmp?.remove();
    });

    it("deliver each alert once, and the standby takes over when the leader dies", async () => {
      const config = workerConfig(tmp.dir, api, rx.url, {
        store: { kind: "postgres", url: PG_URL, schema, leaseTtl: "1500ms" },
      });
      const a = startWorker(["--config", config]);
      workers.push(a);
      await a.waitForLog(/alerts: leading/);
      const b = startWorker(["--config", config]);
      workers.push(b);
      await b.waitForLog(/alerts: standing by/);

      const clock = new BlockClock(api, 3000);
      clock.start(200);
      try {
        clock.skews = { ETH: 0.8, BTC: 0.7, SOL: -0.9 };
        await rx.waitFor((r) => new Set(r.map((x) => x.key)).size >= 3, 30_000);
        // Blocks keep coming: both workers see them, only the leader acts.
        const at = clock.block;
        await expect.poll(() => clock.block, { timeout: 10_000 }).toBeGreaterThanOrEqual(at + 10);
        await a.kill();
        await b.waitForLog(/alerts: leading/, 20_000);
        clock.skews = {};
        await rx.waitFor((r) => new Set(r.map((x) => x.key)).size >= 6, 30_000);
        const at2 = clock.block;
        await expect.poll(() => clock.block, { timeout: 10_000 }).toBeGreaterThanOrEqual(at2 + 10);
        await b.stop();
      } finally {
        clock.stop();
      }

      const statuses = rx.accepted().map((r) => {
        const body = r.body as { status: string; labels: { market: string } };
        return `${body.labels.market} ${body.status}`;
      });
      expect(statuses.sort()).toEqual([
        "BTC firing",
        "BTC resolved",
        "ETH firing",
        "ETH resolved",
        "SOL firing",
        "SOL resolved",
      ]);
      // Six deliveries, no repeats: neither worker sent what the other had decided.
      expect(rx.received.filter((r) => r.answered === 200)).toHaveLength(6);
      const store = new AlertStore(await openPostgres(PG_URL!), schema);
      try {
        const events = await store.eventsAfter(0);
        expect(events.map((e) => e.kind).sort()).toEqual([
          "firing",
          "firing",
          "firing",
          "resolved",
          "resolved",
          "resolved",
        ]);
      } finally {
        await store.close();
      }
    });
  },
);
