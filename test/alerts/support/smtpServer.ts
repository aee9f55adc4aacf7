/**
 * Test support: a real SMTP server on loopback (npm smtp-server) that accepts one user,
 * records every message (envelope and raw text), and can answer the next messages with a
 * chosen SMTP error code. Tests wait on `waitFor`, never on sleeps.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
}

export interface TestSmtp {
  port: number;
  url: (user?: string, password?: string) => string;
  received: ReceivedMail[];
  /** Refuse the next messages with this SMTP code (null: accept). */
  refuseWith(code: number | null): void;
  refused: number;
  waitFor(pred: (r: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestSmtp(creds = { user: "alerts", password: "s3cr3t-pa55" }) {
  const received: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let refuse: number | null = null;
  const state = { refused: 0 };
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === creds.user && auth.password === creds.password) {
        return cb(null, { user: auth.username });
      }
      cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (refuse !== null) {
          state.refused++;
          return cb(Object.assign(new Error(`refused for the test`), { responseCode: refuse }));
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          user: session.user as string | undefined,
        });
        for (const w of waiters) w();
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.server.address() as AddressInfo).port;
  const smtp: TestSmtp = {
    port,
    url: (user = creds.user, password = creds.password) =>
      `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    received,
    refuseWith(code) {
      refuse = code;
    },
    get refused() {
      return state.refused;
    },
    waitFor(pred, timeoutMs = 15_000) {
      if (pred(received)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pred(received)) return;
          clearTimeout(t);
          waiters.delete(check);
          resolve();
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`smtp: condition not met in ${timeoutMs} ms (${received.length} received)`),
          );
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return smtp;
}
