/**
 * One SMTP attempt of one email delivery, with nodemailer: the stored subject and text, the
 * idempotency key as the `Message-ID` (so a mail system can drop a resend), and the answer
 * classified like an HTTP one.
 *
 * SMTP says itself what is worth retrying: a 4xx reply is transient (greylisting, a full
 * mailbox, rate limits), a 5xx one permanent (unknown recipient, refused sender, bad
 * credentials), so it is final. No connection, a timeout or a dropped socket is retried.
 * One transport per receiver, not pooled: each email is one SMTP session, so nothing stays
 * open between alerts and nothing needs closing at stop.
 */
import { createTransport, type Transporter } from "nodemailer";
import type { ReceiverConfig } from "../config/receiverSchema.js";
import type { OutboxRow } from "../store/alertStore.js";
import type { EmailBody } from "./notifiers/emailBody.js";
import type { SendOutcome } from "./send.js";

type EmailReceiver = Extract<ReceiverConfig, { type: "email" }>;

const transports = new Map<string, Transporter>();

function transportOf(r: EmailReceiver, timeoutMs: number): Transporter {
  const key = `${r.url}|${r.requireTls}|${timeoutMs}`;
  let t = transports.get(key);
  if (!t) {
    const u = new URL(r.url);
    t = createTransport({
      host: u.hostname,
      port: Number(u.port) || (u.protocol === "smtps:" ? 465 : 587),
      secure: u.protocol === "smtps:",
      requireTLS: r.requireTls,
      auth: u.username
        ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
        : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    transports.set(key, t);
  }
  return t;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

function classify(err: SmtpError, timeoutMs: number): SendOutcome {
  const reply = (err.response ?? err.message ?? "").replace(/\s+/g, " ").slice(0, 200);
  if (typeof err.responseCode === "number") {
    const error = `SMTP ${err.responseCode}: ${reply}`;
    return err.responseCode >= 500 ? { kind: "final", error } : { kind: "retry", error };
  }
  if (err.code === "ETIMEDOUT") return { kind: "retry", error: `no answer in ${timeoutMs} ms` };
  if (err.code === "EENVELOPE" || err.code === "EMESSAGE" || err.code === "EAUTH") {
    return { kind: "final", error: `SMTP ${err.code}: ${reply}` };
  }
  return { kind: "retry", error: `SMTP ${err.code ?? "error"}: ${reply}` };
}

export async function sendEmail(
  row: OutboxRow,
  r: EmailReceiver,
  timeoutMs: number,
): Promise<SendOutcome> {
  let body: EmailBody;
  try {
    body = JSON.parse(row.body) as EmailBody;
  } catch {
    return { kind: "final", error: "the stored email is not JSON (subject, text)" };
  }
  try {
    await transportOf(r, timeoutMs).sendMail({
      from: r.from,
      to: r.to,
      subject: body.subject,
      text: body.text,
      messageId: `<${row.idempotencyKey}@perpwatch>`,
      headers: {
        "X-Perpwatch-Fingerprint": row.fingerprint,
        "X-Perpwatch-Attempt": String(row.attempts + 1),
      },
    });
    return { kind: "delivered", status: 250 };
  } catch (err) {
    return classify(err as SmtpError, timeoutMs);
  }
}
