import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { runWorker } from "./runWorker.js";

describe("runWorker", () => {
  it("serves its status on GET /status and nothing else, and stops", async () => {
    const worker = await runWorker({
      alerts: null,
      exporter: null,
      logger: pino({ level: "silent" }),
      print: () => {},
      statusPort: 0,
    });
    try {
      expect(worker.statusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/status$/);
      const res = await fetch(worker.statusUrl!);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual({ services: [], alerts: null });
      const other = await fetch(worker.statusUrl!.replace(/\/status$/, "/"));
      expect(other.status).toBe(404);
      await other.text();
      // Without the alerts service there is no store to read.
      const alerts = await fetch(worker.statusUrl!.replace(/\/status$/, "/alerts"));
      expect(alerts.status).toBe(404);
      expect(await alerts.json()).toEqual({
        error: "not found; try /status, /alerts or /silences",
      });
    } finally {
      await worker.stop();
    }
    await expect(fetch(worker.statusUrl!)).rejects.toThrow();
  });

  it("runs no status endpoint when given no port", async () => {
    const worker = await runWorker({
      alerts: null,
      exporter: null,
      logger: pino({ level: "silent" }),
      print: () => {},
      statusPort: null,
    });
    expect(worker.statusUrl).toBeNull();
    expect(await worker.status()).toEqual({ services: [], alerts: null });
    await worker.stop();
  });
});
