/**
 * The alert worker's configuration: where the API is, where alert state lives, who receives
 * what, how delivery retries, the cron schedules, and the rules. A YAML (or JSON) file,
 * validated with zod at start-up; every problem stops start-up with one line that names the
 * key (and, for a rule, the rule's name), what was expected and what was found.
 *
 * Defaults make the embedded setup need no file at all: the API on Ponder's default port,
 * PGlite under `.perpwatch/alerts`, the default rule pack (rules/default.yaml), the default
 * route (PagerDuty only for critical alerts) and inhibit rule (a lagging indexer mutes the
 * risk rules on its exchange). Every secret-bearing value (receivers, localReceiver, the
 * store URL) may be written as `env:NAME` so the file can be committed; a missing variable
 * stops start-up with its name, and a value from the environment is never printed.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import cron from "node-cron";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type InhibitRule, inhibitRuleSchema } from "../routing/inhibit.js";
import { defaultRoute, type Route, routeReceivers, routeSchema } from "../routing/route.js";
import { AlertsConfigError, issueLine } from "./configError.js";
import { durationMs } from "./duration.js";
import { missingLine, resolveEnvRefs } from "./envRefs.js";
import {
  displayUrl,
  httpUrl,
  type ReceiverConfig,
  receiverSchema,
  secret,
} from "./receiverSchema.js";
import { type Rule, ruleSchema } from "./ruleSchema.js";

export type { ReceiverConfig } from "./receiverSchema.js";

export const DEFAULT_RULES_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../rules/default.yaml",
);

export const DEFAULT_SCHEDULES: Record<string, string> = {
  stress: "*/30 * * * * *",
  var: "0 */5 * * * *",
  digest: "0 0 9 * * *",
};

const IDENT = /^[a-z_][a-z0-9_]*$/;

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
        /**
         * Several workers may share the store: the one holding the leader lease evaluates
         * and delivers; a standby takes over once the lease has not been renewed this long.
         */
        leaseTtl: durationMs.default(15_000),
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
        /**
         * The API's GraphQL endpoint, or a list of API replicas' (`perpwatch serve`): the
         * worker uses one and fails over to the next (runtime/failoverApiClient.ts).
         */
        url: z
          .preprocess(
            (v) => (typeof v === "string" ? [v] : v),
            z.array(httpUrl).min(1, "expected an API URL or a list of them"),
          )
          .default(["http://127.0.0.1:42069/graphql"]),
        timeout: durationMs.default(10_000),
        /** New-block feed: the API's SSE subscription, polling indexingStatus, or SSE with polling fallback. */
        blockFeed: z.enum(["auto", "sse", "poll"]).default("auto"),
        pollInterval: durationMs.default(250),
      })
      .strict()
      // `url` stays the first endpoint; `urls` lists them all.
      .transform(({ url, ...api }) => ({ ...api, url: url[0]!, urls: url }))
      .default({
        url: "http://127.0.0.1:42069/graphql",
        urls: ["http://127.0.0.1:42069/graphql"],
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
    /**
     * After downtime, evaluate the blocks missed since the last one evaluated (from the API's
     * history), at most `maxBlocks` of them (the newest); 0 turns catch-up off.
     */
    catchUp: z
      .object({ maxBlocks: z.number().int().min(0).max(100_000).default(1000) })
      .strict()
      .default({ maxBlocks: 1000 }),
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
    /** Alertmanager-style route tree; absent: `defaultRoute` (PagerDuty only for critical). */
    route: routeSchema.optional(),
    /** Alertmanager-style inhibit rules; absent: DEFAULT_INHIBIT_RULES. */
    inhibit_rules: z.array(inhibitRuleSchema).optional(),
    /** Where alerts link to: Grafana (generatorURL) and the GraphQL API (the evidence). */
    links: z
      .object({
        grafanaUrl: httpUrl.default("http://127.0.0.1:3000"),
        /** Alertmanager's `externalURL` in webhook payloads (default: grafanaUrl). */
        externalUrl: httpUrl.optional(),
        /** GraphiQL links to an alert's evidence (default: api.url, the API watched). */
        graphqlUrl: httpUrl.optional(),
      })
      .strict()
      .default({ grafanaUrl: "http://127.0.0.1:3000" }),
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

export interface AlertsConfig
  extends Omit<AlertsFileConfig, "rules" | "receivers" | "rulesFile" | "route" | "inhibit_rules"> {
  receivers: ReceiverConfig[];
  /** The route tree (the file's, else the default one, which includes `local`). */
  route: Route;
  inhibitRules: InhibitRule[];
  rules: Rule[];
  /** Where the rules came from (for logs). */
  rulesSource: string;
}

/** A firing `indexer-lagging` mutes the risk team's rules on its exchange (their data is stale). */
export const DEFAULT_INHIBIT_RULES: InhibitRule[] = [
  {
    source_matchers: [{ name: "alertname", op: "=", value: "indexer-lagging" }],
    target_matchers: [{ name: "team", op: "=", value: "risk" }],
    equal: ["exchange"],
  },
];

/** Config sections whose strings may be `env:NAME` references. */
const SECRET_SECTIONS = ["receivers", "localReceiver", "store"] as const;

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

/**
 * issueLine, except that a value that came from the environment is never shown: the line
 * names the key and the variable instead.
 */
function secretSafeIssueLine(
  where: string,
  issue: Parameters<typeof issueLine>[1],
  raw: unknown,
  fromEnv: ReadonlyMap<string, string>,
): string {
  let key = "";
  for (const k of issue.path)
    key += typeof k === "number" ? `[${k}]` : key === "" ? String(k) : `.${String(k)}`;
  const name = fromEnv.get(key);
  if (name === undefined) return issueLine(where, issue, raw);
  const what = issue.message.replace(/ \(got .*\)$/, "").replace(/^Invalid input: /, "");
  return `${where}: key "${key}" (from environment variable ${name}): ${what} (value not shown)`;
}

/** Loads and validates the configuration; throws `AlertsConfigError` (one line) on any problem. */
export function loadAlertsConfig(opts: LoadOptions = {}): AlertsConfig {
  const env = opts.env ?? process.env;
  const where = opts.where ?? (opts.path ? `alerts config ${opts.path}` : "alerts config");
  const fromFile = opts.path ? parseConfigText(readText(opts.path, "alerts config"), where) : {};
  if (fromFile === null || typeof fromFile !== "object" || Array.isArray(fromFile)) {
    fail(`${where}: expected a mapping of keys (api, store, receivers, rules, …)`);
  }
  const merged = mergeSections(fromFile as Record<string, unknown>, opts.overrides ?? {});
  const raw: Record<string, unknown> = { ...merged };
  const fromEnv = new Map<string, string>();
  const missing: { name: string; key: string }[] = [];
  for (const section of SECRET_SECTIONS) {
    if (merged[section] === undefined) continue;
    const r = resolveEnvRefs(merged[section], section, env);
    raw[section] = r.value;
    for (const [k, v] of r.fromEnv) fromEnv.set(k, v);
    missing.push(...r.missing);
  }
  if (missing.length > 0) fail(missingLine(where, missing));
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) fail(secretSafeIssueLine(where, parsed.error.issues[0]!, raw, fromEnv));
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
  const receivers: ReceiverConfig[] = Object.entries(file.receivers).map(([name, r]) => {
    const rc = { ...r, name } as ReceiverConfig;
    const urlKey = rc.type === "telegram" ? "token" : "url";
    return { ...rc, display: displayUrl(rc, fromEnv.has(`receivers.${name}.${urlKey}`)) };
  });
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
  const all = [
    ...receivers,
    ...(file.localReceiver.enabled ? [{ name: "local", type: "webhook" }] : []),
  ];
  const route = file.route ?? defaultRoute(all);
  for (const r of routeReceivers(route)) {
    if (!receiverNames.has(r)) {
      fail(
        `${where}: key "route": receiver "${r}" is not configured; expected one of ${[...receiverNames].join(", ")}`,
      );
    }
  }
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
  const { rules: _r, rulesFile: _f, receivers: _rc, route: _rt, inhibit_rules, ...rest } = file;
  return {
    ...rest,
    links: { ...rest.links, graphqlUrl: rest.links.graphqlUrl ?? rest.api.url },
    schedules,
    receivers,
    route,
    inhibitRules: inhibit_rules ?? DEFAULT_INHIBIT_RULES,
    rules,
    rulesSource,
  };
}
