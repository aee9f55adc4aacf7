/**
 * Email over SMTP against a real SMTP server on loopback (npm smtp-server), the outbox on
 * real PGlite: a firing reaches the inbox through the dispatcher with its subject, body and
 * the idempotency key as Message-ID, authenticated with the URL's credentials (given as
 * `env:`); a 4xx reply is retried, a 5xx one and bad credentials are final, a server that
 * is down is retried; the password is never shown.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogger } from "../../test/alerts/support/logs.js";
import { startTestSmtp, type TestSmtp } from "../../test/alerts/support/smtpServer.js";
import { loadAlertsConfig } from "../config/alertsConfig.js";
import { displayUrl, type ReceiverConfig, secretsOf } from "../config/receiverSchema.js";
import type { AlertStore, OutboxRow } from "../store/alertStore.js";
import { openAlertStore } from "../store/openStore.js";
import { Dispatcher } from "./dispatcher.js";
import { deliveriesFor } from "./render.js";
import { sendOnce } from "./send.js";

let dir: string;
let store: AlertStore;
let smtp: TestSmtp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "perpwatch-email-"));
  store = await openAlertStore({ kind: "pglite", directory: dir, schema: "perpwatch_alerts" });
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await store?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

function emailReceiver(url: string): ReceiverConfig {
  const config = loadAlertsConfig({
    env: { SMTP_URL: url },
    overrides: {
      api: { url: "http://127.0.0.1:1/graphql" },
      store: { kind: "pglite", directory: dir },
      receivers: {
        mail: {
          type: "email",
          url: "env:SMTP_URL",
          from: "perpwatch@example.com",
          to: ["oncall@example.com", "risk@example.com"],
        },
      },
    },
  });
  return config.receivers.find((r) => r.name === "mail")!;
}

async function commitFiring(r: ReceiverConfig, fp: string) {
  const [event] = await store.commit({
    nowMs: Date.now(),
    records: [],
    events: [
      {
        kind: "firing",
        fingerprint: fp,
        rule: "liquidation-burst",
        labels: { alertname: "liquidation-burst", severity: "critical", market: "ETH" },
        annotations: { summary: "Liquidation burst: $95,796,171 liquidated in the last 1m" },
        value: 95_796_171,
        threshold: 5_000_000,
        startsAtMs: Date.parse("2026-12-07T10:00:00Z"),
        endsAtMs: null,
        block: { number: 812n, hash: "0x1", timestamp: 0 },
      },
    ],
    deliveries: (e) => deliveriesFor(e, [r], undefined),
  });
  return event!;
}

const rowOf = async (fp: string): Promise<OutboxRow> =>
  (await store.outbox()).find((o) => o.fingerprint === fp)!;

describe("email receiver", () => {
  it("delivers a firing through the dispatcher, authenticated, Message-ID = idempotency key", async () => {
    const r = emailReceiver(smtp.url());
    await commitFiring(r, "fp-mail");
    const { logger, lines } = captureLogger();
    const dispatcher = new Dispatcher({
      store,
      receivers: [r],
      delivery: {
        timeout: 5000,
        initialBackoff: 50,
        maxBackoff: 100,
        giveUpAfter: 60_000,
        concurrency: 1,
      },
      logger,
    });
    dispatcher.start();
    try {
      await smtp.waitFor((m) => m.length >= 1);
    } finally {
      await dispatcher.stop();
    }
    const mail = smtp.received[0]!;
    expect(mail.user).toBe("alerts");
    expect(mail.from).toBe("perpwatch@example.com");
    expect(mail.to).toEqual(["oncall@example.com", "risk@example.com"]);
    // Long header lines are folded (RFC 5322): unfold before reading the subject.
    expect(mail.raw.replace(/\r\n[ \t]+/g, " ")).toMatch(
      /Subject: \[perpwatch\] FIRING critical liquidation-burst: Liquidation burst: \$95,796,171/,
    );
    expect(mail.raw).toContain("value 95796171 (threshold 5000000)");
    expect(mail.raw).toContain("block 812");
    const row = await rowOf("fp-mail");
    expect(mail.raw).toContain(`Message-ID: <${row.idempotencyKey}@perpwatch>`);
    await expect.poll(async () => (await rowOf("fp-mail")).status).toBe("delivered");
    expect(JSON.stringify(lines)).not.toContain("s3cr3t-pa55");
  });

  it("retries a 4xx reply and a server that is down; a 5xx reply and bad credentials are final", async () => {
    const r = emailReceiver(smtp.url());
    await commitFiring(r, "fp-classify");
    const row = await rowOf("fp-classify");
    smtp.refuseWith(451);
    expect(await sendOnce(row, r, 5000)).toMatchObject({ kind: "retry", error: /^SMTP 451/ });
    smtp.refuseWith(550);
    expect(await sendOnce(row, r, 5000)).toMatchObject({ kind: "final", error: /^SMTP 550/ });
    smtp.refuseWith(null);
    const wrong = emailReceiver(smtp.url("alerts", "wrong"));
    expect(await sendOnce(row, wrong, 5000)).toMatchObject({ kind: "final", error: /535/ });
    const down = emailReceiver("smtp://alerts:x@127.0.0.1:1");
    expect(await sendOnce(row, down, 2000)).toMatchObject({ kind: "retry" });
    expect(smtp.refused).toBe(2);
  });

  it("never shows the password: display URL, secrets, config errors", () => {
    const r = emailReceiver(smtp.url());
    expect(displayUrl(r, true)).toBe(`smtp://127.0.0.1:${smtp.port}`);
    expect(secretsOf(r)).toContain("s3cr3t-pa55");
    expect(() => emailReceiver("http://alerts:s3cr3t-pa55@mail.example.com")).toThrow(
      /expected an SMTP URL/,
    );
    try {
      emailReceiver("http://alerts:s3cr3t-pa55@mail.example.com");
    } catch (err) {
      expect((err as Error).message).not.toContain("s3cr3t-pa55");
    }
  });
});
