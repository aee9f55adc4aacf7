import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../../runtime/apiClient.js";
import { openClickHouse } from "../clickhouse/connect.js";
import { exporterConfig } from "../config.js";
import { createPonderSource, type PonderSource } from "./ponderSource.js";
import { createExporterService } from "./service.js";

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("exporter service", () => {
  let dir: string;
  const lines: string[] = [];
  const logger = pino({ level: "info" }, { write: (l: string) => void lines.push(l) });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-exporter-service-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to start, in one line, when the ClickHouse server is not there", async () => {
    const port = await deadPort();
    const svc = createExporterService(
      exporterConfig({
        clickhouse: {
          database: "perpwatch",
          target: {
            kind: "server",
            url: `http://127.0.0.1:${port}`,
            username: "default",
            password: "",
          },
        },
        ponderUrl: "http://127.0.0.1:1",
      }),
      { logger },
    );
    const err = await svc.start().then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      new RegExp(`^ClickHouse at http://127.0.0.1:${port} is unavailable: `),
    );
    expect(err?.message).not.toContain("\n");
    await svc.stop();
  });

  it("migrates, survives an unreachable indexer, records alerts, and releases chDB on stop", async () => {
    const ponderUrl = `http://127.0.0.1:${await deadPort()}`;
    const path = join(dir, "ch");
    // Ponder's real source, counting the ticks: each tick starts by asking for the head.
    const ponder = createPonderSource(ponderUrl);
    let heads = 0;
    const source: PonderSource = {
      url: ponder.url,
      head: (chain) => {
        heads++;
        return ponder.head(chain);
      },
      read: (tables) => ponder.read(tables),
    };
    const svc = createExporterService(
      exporterConfig({
        clickhouse: { database: "pw_service", target: { kind: "embedded", path } },
        ponderUrl,
        intervalMs: 100,
      }),
      { logger, source },
    );
    await svc.start();
    expect(svc.name).toBe("exporter");
    // A tick needs the indexer: it fails with the API error, and the timer keeps retrying.
    const err = await svc.exportOnce().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe("unreachable");
    // Ticks run one after another: once four more have asked for the head, three timer ticks
    // at least have failed and logged (or not). The same failure is said once, not every 100 ms.
    const from = heads;
    await expect.poll(() => heads, { timeout: 10_000 }).toBeGreaterThanOrEqual(from + 4);
    expect(lines.filter((l) => l.includes("export tick failed"))).toHaveLength(1);

    // Alerts are recorded even while the indexer is away; bad input is one line.
    const now = Date.now();
    await expect(
      svc.recordAlertEvents([
        {
          fingerprint: "f1",
          rule: "fund_low",
          status: "firing",
          startsAt: new Date(now),
          deliveries: [
            {
              id: "d",
              attempt: 1,
              channel: "webhook",
              at: now,
              outcome: "delivered",
              httpStatus: 200,
            },
          ],
        },
      ]),
    ).resolves.toEqual({ events: 1, deliveries: 1 });
    await svc.recordAlertEvents([
      {
        fingerprint: "f1",
        rule: "fund_low",
        status: "resolved",
        startsAt: new Date(now),
        endsAt: new Date(now + 1000),
      },
    ]);
    const rows = await svc
      .clickhouse!.client.query({
        query: "SELECT status, ends_at FROM pw_service.alert_events FINAL",
        format: "JSONEachRow",
      })
      .then((r) => r.json<{ status: string; ends_at: string | null }>());
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("resolved");
    await expect(
      svc.recordAlertEvents([{ fingerprint: "", rule: "x", status: "firing", startsAt: now }]),
    ).rejects.toThrow(/^alert event 0: fingerprint: /);

    await svc.stop();
    // chDB allows one data directory per process: opening another proves the first was closed.
    const other = await openClickHouse({
      database: "x",
      target: { kind: "embedded", path: join(dir, "other") },
    });
    await other.close();
  });
});
