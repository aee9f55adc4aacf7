/**
 * The receivers an alert can go to, one strict zod variant per type: a generic webhook
 * (Alertmanager's webhook payload, Standard Webhooks signatures), Slack incoming webhooks,
 * PagerDuty Events v2, an Alertmanager's own API (`POST /api/v2/alerts`), Discord webhooks,
 * Telegram bots and email over SMTP (its URL, credentials included, one `env:` value).
 *
 * Every secret-bearing value (URLs of Slack, Discord and webhooks, routing keys, tokens,
 * HMAC secrets, header values) may be `env:NAME`; alertsConfig resolves them before this
 * schema sees them. `rateLimit` caps sends per minute to one receiver (PagerDuty's Events
 * API allows 120 events per minute per routing key: its default).
 */
import { z } from "zod";
import { durationMs } from "./duration.js";

export const httpUrl = z.string().superRefine((v, ctx) => {
  let ok = false;
  try {
    const u = new URL(v);
    ok = (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    ok = false;
  }
  if (!ok) {
    ctx.addIssue({
      code: "custom",
      message: `expected an http(s) URL like "https://example.com/hook" (got "${v}")`,
    });
  }
});

const smtpUrl = z.string().superRefine((v, ctx) => {
  let ok = false;
  try {
    const u = new URL(v);
    ok = (u.protocol === "smtp:" || u.protocol === "smtps:") && u.hostname !== "";
  } catch {
    ok = false;
  }
  if (!ok) {
    // The value may hold a password: say what is expected without echoing it.
    ctx.addIssue({
      code: "custom",
      message: 'expected an SMTP URL like "smtp://user:password@smtp.example.com:587" or smtps://…',
    });
  }
});

export const secret = z.string().min(1).optional();
/** Standard Webhooks signing secrets (`whsec_<base64>` or plain text), all active at once. */
const secrets = z.array(z.string().min(1)).min(1).optional();
const rateLimit = z.object({ perMinute: z.number().int().min(1).max(100_000) }).strict();

export const PAGERDUTY_PER_MINUTE = 120;

export const receiverSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("webhook"),
      url: httpUrl,
      secret,
      secrets,
      headers: z.record(z.string(), z.string()).optional(),
      rateLimit: rateLimit.optional(),
    })
    .strict(),
  z
    .object({ type: z.literal("slack"), url: httpUrl, secret, rateLimit: rateLimit.optional() })
    .strict(),
  z
    .object({
      type: z.literal("pagerduty"),
      url: httpUrl.default("https://events.pagerduty.com/v2/enqueue"),
      routingKey: z.string().min(1),
      /** PagerDuty's `payload.source`. */
      source: z.string().min(1).default("perpwatch"),
      secret,
      rateLimit: rateLimit.default({ perMinute: PAGERDUTY_PER_MINUTE }),
    })
    .strict(),
  z
    .object({
      type: z.literal("alertmanager"),
      /** The Alertmanager's base URL, e.g. http://alertmanager:9093 (alerts go to /api/v2/alerts). */
      url: httpUrl,
      headers: z.record(z.string(), z.string()).optional(),
      /** Firing alerts are sent again this often (keep it below Alertmanager's resolve_timeout). */
      resendInterval: durationMs.pipe(z.number().min(1000, "expected at least 1s")).default(60_000),
      rateLimit: rateLimit.optional(),
    })
    .strict(),
  z.object({ type: z.literal("discord"), url: httpUrl, rateLimit: rateLimit.optional() }).strict(),
  z
    .object({
      type: z.literal("telegram"),
      token: z
        .string()
        .regex(/^[0-9]+:[A-Za-z0-9_-]+$/, "expected a bot token like 123456:ABC-def"),
      chatId: z.union([z.string().min(1), z.number().int()]).transform(String),
      apiUrl: httpUrl.default("https://api.telegram.org"),
      rateLimit: rateLimit.default({ perMinute: 20 }),
    })
    .strict(),
  z
    .object({
      type: z.literal("email"),
      /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465; usually env:. */
      url: smtpUrl,
      from: z.string().email("expected an email address like alerts@example.com"),
      to: z.array(z.string().email("expected an email address like oncall@example.com")).min(1),
      /** Refuse to send without TLS (STARTTLS on smtp://). */
      requireTls: z.boolean().default(false),
      rateLimit: rateLimit.default({ perMinute: 30 }),
    })
    .strict(),
]);

export type ReceiverType = z.output<typeof receiverSchema>["type"];
export type ReceiverConfig = z.output<typeof receiverSchema> & {
  name: string;
  /** How logs name the receiver's URL (secret parts left out); default: the URL. */
  display?: string;
};

/** Where a delivery to this receiver is POSTed. */
export function targetUrl(r: ReceiverConfig): string {
  switch (r.type) {
    case "telegram":
      return `${r.apiUrl.replace(/\/$/, "")}/bot${r.token}/sendMessage`;
    case "alertmanager":
      return `${r.url.replace(/\/$/, "")}/api/v2/alerts`;
    default:
      return r.url;
  }
}

/**
 * The URL as logs may show it: Slack, Discord and Telegram URLs are credentials, and so is
 * any URL that came from the environment, so only their origin is shown.
 */
export function displayUrl(r: ReceiverConfig, fromEnv: boolean): string {
  const url = targetUrl(r);
  if (r.type === "email") {
    // Never the user or password; the host and port only.
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  }
  if (!fromEnv && (r.type === "webhook" || r.type === "pagerduty" || r.type === "alertmanager")) {
    try {
      const u = new URL(url);
      u.username = "";
      u.password = "";
      u.search = "";
      return u.toString();
    } catch {
      return url;
    }
  }
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return "(URL not shown)";
  }
}

/** Every secret a receiver holds (for tests that grep logs, and for redaction). */
export function secretsOf(r: ReceiverConfig): string[] {
  const out: string[] = [];
  if ("secret" in r && r.secret) out.push(r.secret);
  if ("secrets" in r && r.secrets) out.push(...r.secrets);
  if (r.type === "pagerduty") out.push(r.routingKey);
  if (r.type === "telegram") out.push(r.token);
  if (r.type === "slack" || r.type === "discord") out.push(r.url);
  if (r.type === "email") {
    const password = new URL(r.url).password;
    if (password) out.push(password, decodeURIComponent(password));
  }
  if ("headers" in r && r.headers) out.push(...Object.values(r.headers));
  return out;
}
