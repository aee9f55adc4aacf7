/**
 * Configuration of the ClickHouse history and its exporter, validated with zod from the
 * environment (the worker's only configuration channel, as for the indexer).
 *
 * Why these defaults: with nothing set, the exporter writes to embedded ClickHouse (chDB) in
 * `.perpwatch/clickhouse`, so `npm start` needs no server; `CLICKHOUSE_URL` switches the same
 * code to a ClickHouse server (what Grafana reads in production). A bad value stops start-up
 * with one line: `KEY: what was expected (got "value")`.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_RETENTION, type Retention } from "./clickhouse/retention.js";

export const DEFAULT_CLICKHOUSE_DIR = ".perpwatch/clickhouse";
export const DEFAULT_DATABASE = "perpwatch";
export const DEFAULT_PONDER_URL = "http://127.0.0.1:42069";

export type ClickHouseTarget =
  | { kind: "server"; url: string; username: string; password: string }
  | { kind: "embedded"; path: string };

export interface ClickHouseConfig {
  target: ClickHouseTarget;
  /** Database the tables live in (created by the migrations). */
  database: string;
}

export interface ExporterConfig {
  clickhouse: ClickHouseConfig;
  /**
   * Ponder's HTTP root: `/status` and `/ponder/graphql` are read from it, and the snapshots'
   * figures from Perpwatch's API, which the same server serves at `/graphql`.
   */
  ponderUrl: string;
  /** Ponder's name for the chain in `/status` (indexer/ponderConfig.ts names it "perpwatch"). */
  chainName: string;
  /**
   * The configured id of the exchange exported (`exchanges[].id`; the indexer's rows name it),
   * which must live on `chainName`; default: the only exchange the indexer has.
   */
  exchange?: string;
  /** Pause between export ticks. */
  intervalMs: number;
  /** A risk snapshot every this many indexed blocks (at most one per tick). */
  snapshotEveryBlocks: number;
  /** Blocks below the indexed head that may still reorg; default: Ponder's own per chain. */
  finalityDepth?: number;
  /** Most blocks exported per batch while catching up. */
  batchBlocks: number;
  /** Riskiest accounts kept per snapshot. */
  topAccounts: number;
  /** Liquidation ladder grid of the snapshots: largest move and bin width (fractions). */
  ladderMaxMove: number;
  ladderStep: number;
  /** Optional JSON-RPC URL of the chain, only to record the chain head beside the lag. */
  rpcUrl?: string;
  /** Days kept of raw snapshots and of their 1-minute and 1-hour rollups. */
  retention: Retention;
}

/** A configuration problem, its message one line: `KEY: what was expected (got "value")`. */
export class DashboardsConfigError extends Error {
  override readonly name = "DashboardsConfigError";
}

type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, key: string): string | undefined {
  const v = env[key];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

function parse<T>(env: Env, key: string, schema: z.ZodType<T>, fallback: T): T;
function parse<T>(env: Env, key: string, schema: z.ZodType<T>): T | undefined;
function parse<T>(env: Env, key: string, schema: z.ZodType<T>, fallback?: T): T | undefined {
  const v = raw(env, key);
  if (v === undefined) return fallback;
  const parsed = schema.safeParse(v);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? "is invalid";
    throw new DashboardsConfigError(`${key}: ${reason} (got ${JSON.stringify(v)})`);
  }
  return parsed.data;
}

const httpUrl = z
  .string()
  .regex(/^https?:\/\/\S+$/, "expected an http:// or https:// URL")
  .transform((u) => u.replace(/\/+$/, ""));

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "expected a database name (letters, digits, _)");

const int = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, `expected ${what}`)
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, `expected ${what}`);

const fraction = (what: string) =>
  z
    .string()
    .regex(/^\d*\.?\d+$/, `expected ${what}`)
    .transform(Number)
    .refine((n) => n > 0 && n < 1, `expected ${what}`);

/** Where the history goes: `CLICKHOUSE_URL` (+ user, password, database) or chDB in a dir. */
export function loadClickHouseConfig(env: Env = process.env): ClickHouseConfig {
  const database = parse(env, "CLICKHOUSE_DATABASE", identifier, DEFAULT_DATABASE);
  const url = parse(env, "CLICKHOUSE_URL", httpUrl);
  if (url !== undefined) {
    return {
      database,
      target: {
        kind: "server",
        url,
        username: parse(env, "CLICKHOUSE_USER", z.string(), "default"),
        password: env.CLICKHOUSE_PASSWORD ?? "",
      },
    };
  }
  const dir = parse(
    env,
    "PERPWATCH_CLICKHOUSE_DIR",
    z.string().min(1, "expected a directory"),
    DEFAULT_CLICKHOUSE_DIR,
  );
  return { database, target: { kind: "embedded", path: resolve(dir) } };
}

/** The exporter's whole configuration. */
export function loadExporterConfig(env: Env = process.env): ExporterConfig {
  const ladderMaxMove = parse(
    env,
    "PERPWATCH_LADDER_MAX_MOVE",
    fraction("a fraction in (0, 1)"),
    0.3,
  );
  const ladderStep = parse(env, "PERPWATCH_LADDER_STEP", fraction("a fraction in (0, 1)"), 0.01);
  if (ladderStep > ladderMaxMove) {
    throw new DashboardsConfigError(
      `PERPWATCH_LADDER_STEP: expected at most PERPWATCH_LADDER_MAX_MOVE (${ladderMaxMove}) (got "${ladderStep}")`,
    );
  }
  return {
    clickhouse: loadClickHouseConfig(env),
    ponderUrl: parse(env, "PERPWATCH_PONDER_URL", httpUrl, DEFAULT_PONDER_URL),
    chainName: parse(env, "PERPWATCH_CHAIN_NAME", z.string().min(1), "perpwatch"),
    exchange: parse(env, "PERPWATCH_EXPORT_EXCHANGE", z.string().min(1)),
    intervalMs: parse(
      env,
      "PERPWATCH_EXPORT_INTERVAL_MS",
      int("milliseconds, an integer ≥ 100", 100),
      2000,
    ),
    snapshotEveryBlocks: parse(
      env,
      "PERPWATCH_SNAPSHOT_EVERY_BLOCKS",
      int("a block count, an integer ≥ 1", 1),
      10,
    ),
    finalityDepth: parse(env, "PERPWATCH_FINALITY_DEPTH", int("a block count, an integer ≥ 0", 0)),
    batchBlocks: parse(
      env,
      "PERPWATCH_EXPORT_BATCH_BLOCKS",
      int("a block count, an integer ≥ 1", 1),
      2000,
    ),
    topAccounts: parse(
      env,
      "PERPWATCH_TOP_ACCOUNTS",
      int("an account count from 1 to 1000", 1, 1000),
      25,
    ),
    ladderMaxMove,
    ladderStep,
    retention: {
      rawDays: parse(
        env,
        "PERPWATCH_CLICKHOUSE_RAW_DAYS",
        int("days, an integer ≥ 1", 1),
        DEFAULT_RETENTION.rawDays,
      ),
      minuteDays: parse(
        env,
        "PERPWATCH_CLICKHOUSE_MINUTE_DAYS",
        int("days, an integer ≥ 1", 1),
        DEFAULT_RETENTION.minuteDays,
      ),
      hourDays: parse(
        env,
        "PERPWATCH_CLICKHOUSE_HOUR_DAYS",
        int("days, an integer ≥ 1", 1),
        DEFAULT_RETENTION.hourDays,
      ),
    },
    // The indexer's RPC URL, when it is HTTP (a ws:// one is the indexer's business only).
    rpcUrl: /^https?:\/\//.test(raw(env, "PERPWATCH_RPC_URL") ?? "")
      ? raw(env, "PERPWATCH_RPC_URL")
      : undefined,
  };
}

/** The exporter's default configuration with `overrides` (for tests and benchmarks). */
export function exporterConfig(
  overrides: Partial<ExporterConfig> & Pick<ExporterConfig, "clickhouse" | "ponderUrl">,
): ExporterConfig {
  const base = loadExporterConfig({});
  return { ...base, ...overrides };
}
