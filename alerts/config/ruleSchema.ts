/**
 * What a rule is: the zod schema every rule in a rule file must satisfy, one variant per kind.
 *
 * Why a discriminated union on `kind`: each kind of risk has its own knobs (the cascade's
 * shock, the burst's window, the number of top accounts watched), and a knob that does not
 * belong to the kind is a typo the risk team wants to hear about at start-up, so every
 * variant is strict. Fields every rule has: severity, labels, annotations, `for` (how long the
 * condition must hold before the alert fires), `keepFiringFor` (how long it must stop holding
 * before a firing alert resolves: hysteresis for a value hovering at the threshold),
 * `cooldown` (how long after it resolves before it may fire again), the schedule that evaluates it (`block` = every new indexed block), the
 * receivers it goes to, the exchanges it watches (`exchanges`, absent = every exchange the
 * API indexes), and a threshold — global, or per market with `markets` overrides.
 */
import { z } from "zod";
import { durationMs } from "./duration.js";

export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RULE_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
/** An exchange id as the indexer's configuration allows it (`PERPWATCH_EXCHANGES[].id`). */
const EXCHANGE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Labels the evaluator sets itself; a rule may not set them. */
export const RESERVED_LABELS = ["alertname", "severity", "exchange", "market", "account"] as const;

const labels = z
  .record(z.string(), z.string())
  .default({})
  .superRefine((rec, ctx) => {
    for (const key of Object.keys(rec)) {
      if (!LABEL_NAME.test(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `expected a label name like "team" (letters, digits, _) (got "${key}")`,
        });
      } else if ((RESERVED_LABELS as readonly string[]).includes(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `label "${key}" is set by the evaluator; expected another name`,
        });
      }
    }
  });

/**
 * The exchanges a rule watches, by the API's ids (`Query.exchanges`); absent = all of them.
 * Whether each id exists is only known once the API answers: the worker says so then.
 */
const exchangeScope = z
  .array(
    z
      .string()
      .regex(
        EXCHANGE_ID,
        'expected an exchange id like "reference-31337" (letters, digits, _ . -)',
      ),
  )
  .min(1, "expected at least one exchange id (leave the key out to watch every exchange)")
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) {
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `expected each exchange once (got "${id}" twice)`,
        });
      }
      seen.add(id);
    });
  });

const marketThresholds = z.record(z.string().min(1), z.union([z.number(), z.literal("off")]));

const common = {
  name: z
    .string()
    .regex(RULE_NAME, 'expected a rule name like "eth-skew-extreme" (lowercase, digits, - _ .)'),
  severity: z.enum(SEVERITIES),
  labels,
  annotations: z.record(z.string(), z.string()).default({}),
  for: durationMs.default(0),
  /** A firing alert resolves only once the condition has stopped holding for this long. */
  keepFiringFor: durationMs.default(0),
  cooldown: durationMs.default(300_000),
  schedule: z.string().min(1).default("block"),
  receivers: z.array(z.string().min(1)).min(1).optional(),
  exchanges: exchangeScope.optional(),
  enabled: z.boolean().default(true),
  threshold: z.number(),
};

/** Rules evaluated once per market: `markets` overrides the threshold by symbol, "off" skips. */
const perMarket = { ...common, markets: marketThresholds.optional() };

const fraction = z.number().gt(-1).lt(1);
const shock = fraction.refine((v) => v !== 0, "expected a non-zero shock between -1 and 1");

export const ruleSchema = z.discriminatedUnion("kind", [
  z
    .object({
      ...perMarket,
      kind: z.literal("cascade_amplification"),
      /** "market": one shock per market (label market); "global": a correlated shock. */
      scope: z.enum(["market", "global"]).default("market"),
      shock: shock.default(-0.1),
      /** Ignore cascades that liquidate less than this (USD). */
      minLiquidatedUsd: z.number().nonnegative().default(0),
      /**
       * Only while the market has already moved the shock's way within `window` (from its
       * high for a fall): the book is fragile and the move has begun. The move must reach
       * `minMove` (a fraction) and, with `minSigmas`, that many standard deviations of a
       * `window` move at the market's volatility realized over the `baseline` before the
       * window (a quiet market's 1% fall is news, a volatile one's is noise). While the
       * baseline holds too few prices for a volatility (a worker just started, or blocks
       * slower than 10 s), a move of `fallbackMove` counts instead (absent: none does).
       */
      motion: z
        .object({
          window: durationMs,
          minMove: z.number().nonnegative().max(1).default(0),
          minSigmas: z.number().positive().optional(),
          baseline: durationMs.default(300_000),
          fallbackMove: z.number().positive().max(1).optional(),
        })
        .strict()
        .refine((m) => m.minMove > 0 || m.minSigmas !== undefined, {
          message: "expected minMove > 0 or minSigmas (a motion that any move satisfies)",
        })
        .optional(),
    })
    .strict(),
  z
    .object({
      ...perMarket,
      kind: z.literal("liquidatable_near_mark"),
      withinPct: z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(10)]).default(3),
      minOpenInterestUsd: z.number().nonnegative().default(0),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal("insurance_coverage"),
      shocks: z.array(shock).min(1).default([-0.3, -0.2, -0.15, -0.1, -0.05, 0.05, 0.1, 0.2]),
      withImpact: z.boolean().default(true),
      /**
       * Only the shocks the market makes plausible: within `sigmas` standard deviations of a
       * move over `horizon`, at the volatility realized over the last `window` by the first
       * market (the correlated shock's own; the others move by their betas).
       */
      volatility: z
        .object({ window: durationMs, horizon: durationMs, sigmas: z.number().positive() })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal("adl_likely"),
      /** Also fire when the −10% cascade's bad debt exceeds the fund (the API's adlLikely). */
      includeCascade: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal("liquidation_burst"),
      window: durationMs.default(60_000),
      minCount: z.number().int().positive().default(1),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal("insurance_fund_drawdown"),
      window: durationMs.default(300_000),
    })
    .strict(),
  z
    .object({
      ...perMarket,
      kind: z.literal("funding_extreme"),
      measure: z.enum(["rate", "velocity"]).default("rate"),
    })
    .strict(),
  z.object({ ...perMarket, kind: z.literal("skew_extreme") }).strict(),
  z
    .object({
      ...common,
      kind: z.literal("account_near_liquidation"),
      top: z.number().int().min(1).max(1000).default(20),
      minNotionalUsd: z.number().nonnegative().default(0),
    })
    .strict(),
  z
    .object({
      ...perMarket,
      kind: z.literal("oi_concentration"),
      top: z.number().int().min(1).max(1000).default(20),
      minOpenInterestUsd: z.number().nonnegative().default(0),
    })
    .strict(),
  z.object({ ...perMarket, kind: z.literal("oracle_stale") }).strict(),
  z
    .object({
      ...perMarket,
      kind: z.literal("oracle_jump"),
      window: durationMs.default(10_000),
    })
    .strict(),
  z.object({ ...common, kind: z.literal("mirror_divergence") }).strict(),
  z
    .object({
      ...common,
      kind: z.literal("indexer_lag"),
      measure: z.enum(["blocks", "seconds"]).default("blocks"),
    })
    .strict(),
  z
    .object({
      ...common,
      kind: z.literal("var_bad_debt"),
      paths: z.number().int().min(100).max(20_000).default(2000),
      seed: z.number().int().default(1),
      quantile: z.union([z.literal(95), z.literal(99)]).default(99),
    })
    .strict(),
]);

export type Rule = z.output<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
export type RuleKind = Rule["kind"];
export type RuleOf<K extends RuleKind> = Extract<Rule, { kind: K }>;

/** Whether a rule watches an exchange (no `exchanges` key: every exchange). */
export function watches(rule: Pick<Rule, "exchanges">, exchange: string): boolean {
  return rule.exchanges === undefined || rule.exchanges.includes(exchange);
}
