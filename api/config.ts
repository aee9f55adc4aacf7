/**
 * The API's settings, validated with zod from the environment: query limits and how often
 * the API looks for a newly indexed block.
 *
 * Why from the environment: the API runs inside Ponder's process (src/api/index.ts), whose
 * only input is the environment. Every value has a default that suits the devnet; a bad value
 * is an `ApiConfigError` whose message is one line naming the key, the value and what was
 * expected.
 */
import { z } from "zod";
import type { AdmissionConfig } from "./admission/analyticsService.js";
import { alertsBaseUrl } from "./alerts/alertsClient.js";
import { type AuthConfig, AuthConfigError, loadAuthConfig } from "./auth/authConfig.js";

export interface ApiLimits {
  /** Deepest nesting of fields (root field = 1). */
  maxDepth: number;
  /** Aliases per document. */
  maxAliases: number;
  /** Tokens per document (graphql-js stops parsing beyond it). */
  maxTokens: number;
  /** Estimated cost per operation (see limits/queryCost.ts). */
  maxCost: number;
}

export interface ApiConfig {
  limits: ApiLimits;
  /** A request reuses the last loaded snapshot if the indexer was checked this recently. */
  freshnessMs: number;
  /** While a new block loads, requests get the previous one if it was current this recently. */
  staleMs: number;
  /** How often subscriptions look for a new indexed block. */
  pollIntervalMs: number;
  /** Snapshots kept for cursor pagination (the newest ones). */
  keptSnapshots: number;
  /** Answers kept per block for repeated identical queries (0: no response cache). */
  responseCacheEntries: number;
  /** A new block is warmed in slices of about this many ms (requests run in between). */
  warmSliceMs: number;
  /** Plain JSON queries run through yoga's envelop without its HTTP layer (http/plainQuery.ts). */
  plainQueries: boolean;
  /** Admission control of analytics (admission/analyticsService.ts). */
  admission: AdmissionConfig;
  /**
   * A full analytics queue's refusals, and `/health`, answered below Ponder's HTTP stack
   * (http/frontDoor.ts); off, the route refuses them (compared by `npm run bench --
   * api-overload`).
   */
  frontDoor: boolean;
  /** Who may read the API: keys, anonymous tier, rate limits, CORS (auth/authConfig.ts). */
  auth: AuthConfig;
  /** The alert worker's URL (PERPWATCH_ALERTS_URL) for `alerts`/`silences`; null: none. */
  alertsUrl: string | null;
}

export class ApiConfigError extends Error {
  override readonly name = "ApiConfigError";
}

const DEFAULTS = {
  PERPWATCH_API_MAX_DEPTH: 10,
  PERPWATCH_API_MAX_ALIASES: 20,
  PERPWATCH_API_MAX_TOKENS: 2000,
  PERPWATCH_API_MAX_COST: 50_000,
  PERPWATCH_API_FRESHNESS_MS: 200,
  PERPWATCH_API_STALE_MS: 2000,
  PERPWATCH_API_POLL_MS: 250,
  PERPWATCH_API_KEPT_SNAPSHOTS: 8,
  PERPWATCH_API_RESPONSE_CACHE_ENTRIES: 10_000,
  PERPWATCH_API_WARM_SLICE_MS: 4,
  PERPWATCH_API_PLAIN_QUERIES: 1,
  PERPWATCH_API_ADMISSION: 1,
  PERPWATCH_API_ANALYTICS_WORKERS: 1,
  PERPWATCH_API_ANALYTICS_QUEUE: 32,
  PERPWATCH_API_ANALYTICS_DEADLINE_MS: 10_000,
  PERPWATCH_API_FRONT_DOOR: 1,
} as const;

type Key = keyof typeof DEFAULTS;

const RANGES: Record<Key, [number, number]> = {
  PERPWATCH_API_MAX_DEPTH: [2, 100],
  PERPWATCH_API_MAX_ALIASES: [0, 1000],
  PERPWATCH_API_MAX_TOKENS: [100, 1_000_000],
  PERPWATCH_API_MAX_COST: [100, 1e12],
  PERPWATCH_API_FRESHNESS_MS: [0, 60_000],
  PERPWATCH_API_STALE_MS: [0, 600_000],
  PERPWATCH_API_POLL_MS: [10, 60_000],
  PERPWATCH_API_KEPT_SNAPSHOTS: [1, 1000],
  PERPWATCH_API_RESPONSE_CACHE_ENTRIES: [0, 1_000_000],
  PERPWATCH_API_WARM_SLICE_MS: [1, 60_000],
  PERPWATCH_API_PLAIN_QUERIES: [0, 1],
  PERPWATCH_API_ADMISSION: [0, 1],
  PERPWATCH_API_ANALYTICS_WORKERS: [0, 64],
  PERPWATCH_API_ANALYTICS_QUEUE: [0, 100_000],
  PERPWATCH_API_ANALYTICS_DEADLINE_MS: [1, 600_000],
  PERPWATCH_API_FRONT_DOOR: [0, 1],
};

function read(env: Readonly<Record<string, string | undefined>>, key: Key): number {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === "") return DEFAULTS[key];
  const [lo, hi] = RANGES[key];
  const parsed = z.coerce.number().int().min(lo).max(hi).safeParse(raw);
  if (!parsed.success || !/^\d+$/.test(raw)) {
    throw new ApiConfigError(
      `${key}: expected an integer from ${lo} to ${hi} (got ${JSON.stringify(raw)})`,
    );
  }
  return parsed.data;
}

export function loadApiConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApiConfig {
  return {
    limits: {
      maxDepth: read(env, "PERPWATCH_API_MAX_DEPTH"),
      maxAliases: read(env, "PERPWATCH_API_MAX_ALIASES"),
      maxTokens: read(env, "PERPWATCH_API_MAX_TOKENS"),
      maxCost: read(env, "PERPWATCH_API_MAX_COST"),
    },
    freshnessMs: read(env, "PERPWATCH_API_FRESHNESS_MS"),
    staleMs: read(env, "PERPWATCH_API_STALE_MS"),
    pollIntervalMs: read(env, "PERPWATCH_API_POLL_MS"),
    keptSnapshots: read(env, "PERPWATCH_API_KEPT_SNAPSHOTS"),
    responseCacheEntries: read(env, "PERPWATCH_API_RESPONSE_CACHE_ENTRIES"),
    warmSliceMs: read(env, "PERPWATCH_API_WARM_SLICE_MS"),
    plainQueries: read(env, "PERPWATCH_API_PLAIN_QUERIES") === 1,
    admission: {
      enabled: read(env, "PERPWATCH_API_ADMISSION") === 1,
      workers: read(env, "PERPWATCH_API_ANALYTICS_WORKERS"),
      maxQueued: read(env, "PERPWATCH_API_ANALYTICS_QUEUE"),
      deadlineMs: read(env, "PERPWATCH_API_ANALYTICS_DEADLINE_MS"),
    },
    frontDoor: read(env, "PERPWATCH_API_FRONT_DOOR") === 1,
    auth: readAuth(env),
    alertsUrl: readAlertsUrl(env),
  };
}

function readAlertsUrl(env: Readonly<Record<string, string | undefined>>): string | null {
  const raw = env.PERPWATCH_ALERTS_URL?.trim();
  if (!raw) return null;
  try {
    const u = new URL(raw);
    if (u.protocol === "http:" || u.protocol === "https:") return alertsBaseUrl(raw);
  } catch {
    /* reported below */
  }
  throw new ApiConfigError(
    `PERPWATCH_ALERTS_URL: expected the alert worker's http(s) URL, such as http://127.0.0.1:9464 (got ${JSON.stringify(raw)})`,
  );
}

function readAuth(env: Readonly<Record<string, string | undefined>>): AuthConfig {
  try {
    return loadAuthConfig(env);
  } catch (err) {
    if (err instanceof AuthConfigError) throw new ApiConfigError(err.message);
    throw err;
  }
}

/**
 * `loadApiConfig`, or — on an `ApiConfigError` — its one line on stderr and exit 1. For
 * src/api/index.ts, where a thrown error would reach the operator as a multi-line build
 * failure with a stack.
 */
export function loadApiConfigOrExit(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApiConfig {
  try {
    return loadApiConfig(env);
  } catch (err) {
    if (!(err instanceof ApiConfigError)) throw err;
    process.stderr.write(`perpwatch api: ${err.message}\n`);
    process.exit(1);
  }
}
