/**
 * Where `perpwatch start` listens and who may read its API: the interface (`--host`, the
 * file's `indexer.host`, default 127.0.0.1) and the file's `api` section (keys as hashes,
 * anonymous tier, limits, CORS; api/auth/authConfig.ts validates it), handed to Ponder as
 * `PERPWATCH_API_AUTH`.
 *
 * Why a key of its own: the stack's own readers (the status block, the worker's alerts and
 * exporter) must read an API that may refuse callers without a key. Each run issues one, adds
 * its hash to the keys Ponder accepts (named `perpwatch-start`, with the raw tables, no limits)
 * and gives it to its children as `PERPWATCH_API_KEY`; it dies with the run.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { hashApiKey, newApiKey } from "../../api/auth/apiKeys.js";
import {
  AUTH_ENV,
  type AuthConfig,
  AuthConfigError,
  loadAuthConfig,
} from "../../api/auth/authConfig.js";
import { parseFlag, UsageError } from "../usageError.js";

export const DEFAULT_HOST = "127.0.0.1";
export const STACK_KEY_NAME = "perpwatch-start";

export const hostSchema = z
  .string()
  .refine(
    (h) => isIP(h) !== 0 || h === "localhost",
    "expected an IP address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
  );

/** Whether `host` is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** The flag if typed, else the file's `indexer.host`, else loopback. */
export function resolveHost(flag: string | undefined, fromFile: string | undefined): string {
  if (flag !== undefined) return parseFlag("--host", hostSchema, flag);
  if (fromFile !== undefined) return fromFile;
  return DEFAULT_HOST;
}

export interface StackAccess {
  /** Ponder's environment: PERPWATCH_API_AUTH. */
  env: Record<string, string>;
  /** The run's own key, for its children (PERPWATCH_API_KEY). */
  key: string;
  /** What start prints about who may read what, where. */
  lines: string[];
}

/**
 * Ponder's `PERPWATCH_API_AUTH` for an `api` section as written (an API replica's, `perpwatch
 * serve`), validated as Ponder will validate it; a `UsageError` naming the file and the key.
 */
export function apiAuthEnv(
  api: Record<string, unknown> | undefined,
  where: string,
): { env: Record<string, string>; config: AuthConfig } {
  const env = { [AUTH_ENV]: JSON.stringify(api ?? {}) };
  try {
    return { env, config: loadAuthConfig({ ...process.env, ...env }) };
  } catch (err) {
    if (!(err instanceof AuthConfigError)) throw err;
    throw new UsageError(err.message.replace(`${AUTH_ENV}:`, `${where}: api:`));
  }
}

/**
 * The `api` section (or nothing) with the run's own key added, validated as Ponder will
 * validate it; a `UsageError` naming the file and the key otherwise.
 */
export function stackAccess(
  api: Record<string, unknown> | undefined,
  where: string,
  host: string,
  port: number,
): StackAccess {
  const key = newApiKey();
  const keys: unknown[] = Array.isArray(api?.keys) ? api.keys : [];
  const auth: Record<string, unknown> = {
    ...api,
    keys: [
      ...keys,
      {
        name: STACK_KEY_NAME,
        sha256: hashApiKey(key),
        tables: true,
        requestsPerMinute: null,
        costPerMinute: null,
      },
    ],
  };
  // Without keys of its own the file keeps the devnet's anonymous tier: everything, unlimited
  // (the run's own key must not turn on the limits meant for exposed APIs: GraphiQL and the
  // risk page would get 429 after 60 requests a minute).
  if (keys.length === 0 && auth.anonymous === undefined) {
    auth.anonymous = "everything";
    auth.anonymousLimits ??= { requestsPerMinute: null, costPerMinute: null };
  }
  const { env, config } = apiAuthEnv(auth, where);
  const where2 = isLoopback(host) ? "this machine only" : "other machines too";
  const lines = [
    `perpwatch: the API listens on ${host}:${port} (${where2}); callers without a key read ${config.anonymous === "off" ? "nothing" : config.anonymous}, ${config.keys.length - 1} API key(s) configured`,
  ];
  if (!isLoopback(host) && config.anonymous === "everything") {
    lines.push(
      "perpwatch: warning: every account's health is open to anyone who reaches this address; configure api.keys and api.anonymous (README: Security)",
    );
  }
  return { env, key, lines };
}
