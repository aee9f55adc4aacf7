/**
 * The alert worker's configuration: where the API is, where alert state lives, who receives
 * what, how delivery retries, the cron schedules, and the rules. A YAML (or JSON) file,
 * validated with zod at start-up; every problem stops start-up with one line that names the
 * key (and, for a rule, the rule's name), what was expected and what was found.
 *
 * Defaults make the embedded setup need no file at all: the API on Ponder's default port,
 * PGlite under `.perpwatch/alerts`, the default rule pack (rules/default.yaml). Secrets may
 * be written as `env:NAME` so the file can be committed.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import cron from "node-cron";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { AlertsConfigError, issueLine } from "./configError.js";
import { durationMs } from "./duration.js";
import { type Rule, ruleSchema } from "./ruleSchema.js";

export const DEFAULT_RULES_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../rules/default.yaml",
);

export const DEFAULT_SCHEDULES: Record<string, string> = {
  stress: "*/30 * * * * *",
  var: "0 */5 * * * *",
  digest: "0 0 9 * * *",
};

const httpUrl = z.string().superRefine((v, ctx) => {
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

const secret = z.string().min(1).optional();
const IDENT = /^[a-z_][a-z0-9_]*$/;

const receiverSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("webhook"),
      url: httpUrl,
      secret,
      headers: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
  z.object({ type: z.literal("slack"), url: httpUrl, secret }).strict(),
  z
    .object({
      type: z.literal("pagerduty"),
      url: httpUrl.default("https://events.pagerduty.com/v2/enqueue"),
      routingKey: z.string().min(1),
      /** PagerDuty's `payload.source`. */
      source: z.string().min(1).default("perpwatch"),
      secret,
    })
    .strict(),
]);

export type ReceiverConfig = z.output<typeof receiverSchema> & { name: string };

const storeSchema = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("pglite"),
        directory: z.string().min(1).default(".perpwatch/alerts"),
        schema: z.string().regex(IDENT).default("perpwatch_alerts"),
      })
      .strict(),
    z
      .object({
        kind: z.literal("postgres"),
        url: z.string().regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL"),
        schema: z.string().regex(IDENT).default("perpwatch_alerts"),
      })
      .strict(),
  ])
  .default({ kind: "pglite", directory: ".perpwatch/alerts", schema: "perpwatch_alerts" });

const cronExpr = z.string().superRefine((v, ctx) => {
  if (!cron.validate(v)) {
    ctx.addIssue({
      code: "custom",
      message: `expected a cron expression like "*/30 * * * * *" or "0 9 * * *" (got "${v}")`,
    });
  }
});

const fileSchema = z
  .object({
    api: z
      .object({
        url: httpUrl.default("http://127.0.0.1:42069/graphql"),
        timeout: durationMs.default(10_000),
        /** New-block feed: the API's SSE subscription, polling indexingStatus, or SSE with polling fallback. */
        blockFeed: z.enum(["auto", "sse", "poll"]).default("auto"),
        pollInterval: durationMs.default(250),
      })
      .strict()
      .default({
        url: "http://127.0.0.1:42069/graphql",
        timeout: 10_000,
        blockFeed: "auto",
        pollInterval: 250,
      }),
    chain: z
      .object({
        /** JSON-RPC of the chain, to check that blocks alerts were raised on are still canonical. */
        rpcUrl: httpUrl.optional(),
        /** Blocks after which a block cannot be reorged (Ponder's window on the devnet: 30). */
        finalityDepth: z.number().int().min(1).max(10_000).default(30),
      })
      .strict()
      .default({ finalityDepth: 30 }),
    store: storeSchema,
    receivers: z.record(z.string().regex(/^[a-zA-Z0-9_-]+$/), receiverSchema).default({}),
    localReceiver: z
      .object({
        enabled: z.boolean().default(false),
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65_535).default(0),
        secret,
      })
      .strict()
      .default({ enabled: false, host: "127.0.0.1", port: 0 }),
    delivery: z
      .object({
        timeout: durationMs.default(5000),
        initialBackoff: durationMs.default(500),
        maxBackoff: durationMs.default(30_000),
        /** Give a delivery up (dead letter) when it has failed for this long. */
        giveUpAfter: durationMs.default(86_400_000),
        concurrency: z.number().int().min(1).max(64).default(4),
      })
      .strict()
      .default({
        timeout: 5000,
        initialBackoff: 500,
        maxBackoff: 30_000,
        giveUpAfter: 86_400_000,
        concurrency: 4,
      }),
    schedules: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), cronExpr).default({}),
    digest: z
      .object({
        enabled: z.boolean().default(true),
        schedule: z.string().default("digest"),
        receivers: z.array(z.string()).min(1).optional(),
      })
      .strict()
      .default({ enabled: true, schedule: "digest" }),
    rulesFile: z.string().min(1).optional(),
    rules: z.array(z.unknown()).optional(),
  })
  .strict();

export type AlertsFileConfig = z.output<typeof fileSchema>;

export interface AlertsConfig extends Omit<AlertsFileConfig, "rules" | "receivers" | "rulesFile"> {
  receivers: ReceiverConfig[];
  rules: Rule[];
  /** Where the rules came from (for logs). */
  rulesSource: string;
}

function fail(line: string): never {
  throw new AlertsConfigError(line);
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function mergeSections(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMapping(b) && isMapping(v) && k !== "receivers" ? { ...b, ...v } : v;
  }
  return out;
}

/** Parses YAML or JSON text; a syntax error is one line with the position. */
export function parseConfigText(text: string, where: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: false }) ?? {};
  } catch (err) {
    const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
    fail(`${where}: not valid YAML: ${msg}`);
  }
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(`${what} ${path}: cannot read it (${code ?? String(err)})`);
  }
}

/** Validates a list of rules (from a file or inline), each error naming the rule. */
export function parseRules(raw: unknown, where: string, prefix: readonly PropertyKey[]): Rule[] {
  if (!Array.isArray(raw)) fail(`${where}: expected a list of rules (got ${typeof raw})`);
  const rules: Rule[] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const r = ruleSchema.safeParse(item);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const shifted = { ...issue, path: [...prefix, i, ...issue.path] };
      const root = prefix.reduceRight<unknown>((acc, k) => ({ [k as string]: acc }), raw);
      fail(issueLine(where, shifted, root, prefix));
    }
    if (seen.has(r.data.name)) {
      fail(
        `${where}: rule "${r.data.name}" (${String(prefix.at(-1))}[${i}]): the name is used twice; expected unique rule names`,
      );
    }
    seen.add(r.data.name);
    rules.push(r.data);
  });
  return rules;
}

function resolveSecret(
  v: string | undefined,
  key: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (v === undefined || !v.startsWith("env:")) return v;
  const name = v.slice(4);
  const value = env[name];
  if (value === undefined || value === "") {
    fail(
      `alerts config: key "${key}": expected environment variable ${name} to be set (got nothing)`,
    );
  }
  return value;
}

export interface LoadOptions {
  /** Config file (YAML or JSON). Without it: defaults plus `overrides`. */
  path?: string;
  /**
   * Values over the file's, in the file's own format (durations as "30s"): a section that is
   * a mapping in both (api, chain, store, …) is merged key by key, anything else replaced.
   * E.g. `{ api: { url }, chain: { rpcUrl }, localReceiver: { enabled: true } }` from the CLI.
   */
  overrides?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** How messages name the source (default "alerts config <path>"), e.g. "config perpwatch.config.yaml alerts". */
  where?: string;
  /** Directory a relative `rulesFile` is resolved from (default: the file's, else the cwd). */
  baseDir?: string;
}

/** Loads and validates the configuration; throws `AlertsConfigError` (one line) on any problem. */
export function loadAlertsConfig(opts: LoadOptions = {}): AlertsConfig {
  const env = opts.env ?? process.env;
  const where = opts.where ?? (opts.path ? `alerts config ${opts.path}` : "alerts config");
  const fromFile = opts.path ? parseConfigText(readText(opts.path, "alerts config"), where) : {};
  if (fromFile === null || typeof fromFile !== "object" || Array.isArray(fromFile)) {
    fail(`${where}: expected a mapping of keys (api, store, receivers, rules, …)`);
  }
  const raw = mergeSections(fromFile as Record<string, unknown>, opts.overrides ?? {});
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) fail(issueLine(where, parsed.error.issues[0]!, raw));
  const file = parsed.data;

  let rules: Rule[];
  let rulesSource: string;
  if (file.rules !== undefined) {
    if (file.rulesFile !== undefined)
      fail(`${where}: key "rules": expected either rules or rulesFile, not both`);
    rules = parseRules(file.rules, where, ["rules"]);
    rulesSource = opts.path ? `${opts.path} (inline)` : "inline rules";
  } else {
    const rulesPath = file.rulesFile
      ? resolve(opts.baseDir ?? (opts.path ? dirname(opts.path) : process.cwd()), file.rulesFile)
      : DEFAULT_RULES_FILE;
    const rulesWhere = `alerts rules ${rulesPath}`;
    const text = readText(rulesPath, "alerts rules file");
    rules = parseRules(parseConfigText(text, rulesWhere), rulesWhere, ["rules"]);
    rulesSource = rulesPath;
  }

  const schedules = { ...DEFAULT_SCHEDULES, ...file.schedules };
  const receivers: ReceiverConfig[] = Object.entries(file.receivers).map(([name, r]) => ({
    ...r,
    name,
    secret: resolveSecret(r.secret, `receivers.${name}.secret`, env),
  }));
  if (file.localReceiver.enabled) {
    if (receivers.some((r) => r.name === "local")) {
      fail(
        `${where}: key "receivers.local": the name "local" is taken by localReceiver; expected another name`,
      );
    }
  } else if (receivers.length === 0) {
    fail(
      `${where}: key "receivers": expected at least one receiver (webhook, slack or pagerduty) or localReceiver.enabled: true`,
    );
  }
  const receiverNames = new Set([
    ...receivers.map((r) => r.name),
    ...(file.localReceiver.enabled ? ["local"] : []),
  ]);
  const scheduleNames = ["block", ...Object.keys(schedules)];
  rules.forEach((rule, i) => {
    const at = `rule "${rule.name}" (rules[${i}])`;
    if (!scheduleNames.includes(rule.schedule)) {
      fail(
        `${where}: ${at} key "schedule": expected "block" or one of ${Object.keys(schedules).join(", ")} (got "${rule.schedule}")`,
      );
    }
    for (const r of rule.receivers ?? []) {
      if (!receiverNames.has(r)) {
        fail(
          `${where}: ${at} key "receivers": expected one of ${[...receiverNames].join(", ")} (got "${r}")`,
        );
      }
    }
  });
  if (file.digest.enabled && !(file.digest.schedule in schedules)) {
    fail(
      `${where}: key "digest.schedule": expected one of ${Object.keys(schedules).join(", ")} (got "${file.digest.schedule}")`,
    );
  }
  for (const r of file.digest.receivers ?? []) {
    if (!receiverNames.has(r)) {
      fail(
        `${where}: key "digest.receivers": expected one of ${[...receiverNames].join(", ")} (got "${r}")`,
      );
    }
  }
  const { rules: _r, rulesFile: _f, receivers: _rc, ...rest } = file;
  return {
    ...rest,
    localReceiver: {
      ...file.localReceiver,
      secret: resolveSecret(file.localReceiver.secret, "localReceiver.secret", env),
    },
    schedules,
    receivers,
    rules,
    rulesSource,
  };
}
