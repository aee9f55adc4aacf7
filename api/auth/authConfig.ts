/**
 * Who may read the API, from the environment (`PERPWATCH_API_AUTH`, a JSON object; `perpwatch
 * start` writes it from the config file's `api` section): the anonymous tier, the API keys as
 * SHA-256 hashes, their rate limits, the rate window and the CORS allow-list.
 *
 * Why hashes: the configuration (a committed file, a deployment's environment) never holds a
 * key, only what a presented key is checked against; a key is 32 random bytes, so a plain
 * SHA-256 cannot be reversed by guessing. A hash written `env:NAME` is read from that variable
 * (a secret store's injection). Without the variable the API is the devnet's: anonymous
 * callers may read everything, which is safe only because every listener binds to loopback by
 * default (README "Security"). Bad input is one line naming the key and what was expected.
 */
import { z } from "zod";
import { issueLine } from "../../alerts/config/configError.js";

export const AUTH_ENV = "PERPWATCH_API_AUTH";

/** What a caller without a key may read. */
export const ANONYMOUS_TIERS = ["off", "public", "everything"] as const;
export type AnonymousTier = (typeof ANONYMOUS_TIERS)[number];

/** Budget per rate window (null: unlimited). */
export interface RateLimits {
  /** Requests to `/graphql` per window. */
  requests: number | null;
  /** Estimated query cost (api/limits/queryCost.ts) per window. */
  cost: number | null;
}

export interface ApiKeySpec {
  /** Shown in logs and refusals; never the key itself. */
  name: string;
  /** Lower-case hex SHA-256 of the key. */
  sha256: string;
  /** A revoked key is refused with a line saying so (keep it listed while clients move). */
  revoked: boolean;
  /** Whether it may also read Ponder's raw tables (`/ponder/graphql`, `/sql/*`). */
  tables: boolean;
  /** Whether it may read Ponder's `/metrics` (a Prometheus scraper's key). */
  metrics: boolean;
  limits: RateLimits;
}

export interface AuthConfig {
  anonymous: AnonymousTier;
  /** Budget of the anonymous tier, per client address. */
  anonymousLimits: RateLimits;
  keys: ApiKeySpec[];
  /** Length of a rate window (a minute; shorter in tests). */
  windowMs: number;
  /** Origins whose browsers may read answers: "*" for any, [] for none (same origin only). */
  corsOrigins: "*" | string[];
}

export class AuthConfigError extends Error {
  override readonly name = "AuthConfigError";
}

const HEX64 = /^[0-9a-f]{64}$/;
const perWindow = z.number().int().min(1).nullable();

const limitsSchema = z
  .object({ requestsPerMinute: perWindow, costPerMinute: perWindow })
  .partial()
  .strict();

const keySchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, "expected a name of letters, digits, '.', '_' or '-'"),
    sha256: z.string().min(1),
    revoked: z.boolean().default(false),
    tables: z.boolean().default(false),
    metrics: z.boolean().default(false),
    requestsPerMinute: perWindow.optional(),
    costPerMinute: perWindow.optional(),
  })
  .strict();

const schema = z
  .object({
    anonymous: z.enum(ANONYMOUS_TIERS),
    anonymousLimits: limitsSchema,
    keyLimits: limitsSchema,
    keys: z.array(keySchema),
    windowMs: z.number().int().min(100).max(3_600_000),
    cors: z.union([
      z.literal("*"),
      z.array(
        z.string().regex(/^https?:\/\/[^/\s]+$/, "expected an origin like https://a.example"),
      ),
    ]),
  })
  .partial()
  .strict();

/** Default budget of a key (per minute): generous; a key's own settings override it. */
const KEY_DEFAULTS: RateLimits = { requests: 600, cost: 500_000 };
/** Default budget of an anonymous client address when keys are in use. */
const ANONYMOUS_DEFAULTS: RateLimits = { requests: 60, cost: 50_000 };

/** The hash of `sha256` as written: hex itself, or `env:NAME` read from the environment. */
function hashOf(written: string, env: Readonly<Record<string, string | undefined>>, at: string) {
  const ref = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(written);
  const value = ref ? env[ref[1]!]?.trim() : written;
  if (ref && !value) {
    throw new AuthConfigError(`${at}: environment variable ${ref[1]} is not set`);
  }
  const hex = value!.toLowerCase();
  if (!HEX64.test(hex)) {
    const what = ref ? `${ref[1]} holds` : "got";
    throw new AuthConfigError(
      `${at}: expected the key's SHA-256 as 64 hex digits or env:NAME (${what} ${value!.length} characters)`,
    );
  }
  return hex;
}

function limitsOf(
  given: { requestsPerMinute?: number | null; costPerMinute?: number | null } | undefined,
  fallback: RateLimits,
): RateLimits {
  return {
    requests: given?.requestsPerMinute === undefined ? fallback.requests : given.requestsPerMinute,
    cost: given?.costPerMinute === undefined ? fallback.cost : given.costPerMinute,
  };
}

/** The access settings from `PERPWATCH_API_AUTH` (the devnet's, all open, when unset). */
export function loadAuthConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AuthConfig {
  const raw = env[AUTH_ENV]?.trim();
  let input: unknown = {};
  if (raw) {
    try {
      input = JSON.parse(raw);
    } catch {
      throw new AuthConfigError(`${AUTH_ENV}: expected a JSON object (got text that is not JSON)`);
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new AuthConfigError(issueLine(AUTH_ENV, parsed.error.issues[0]!, input));
  const c = parsed.data;
  const keyDefaults = limitsOf(c.keyLimits, KEY_DEFAULTS);
  const keys = (c.keys ?? []).map((k, i) => ({
    name: k.name,
    sha256: hashOf(k.sha256, env, `${AUTH_ENV}: key "${k.name}" (keys[${i}]) sha256`),
    revoked: k.revoked,
    tables: k.tables,
    metrics: k.metrics,
    limits: limitsOf(k, keyDefaults),
  }));
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const k of keys) {
    if (names.has(k.name))
      throw new AuthConfigError(
        `${AUTH_ENV}: key name "${k.name}" appears twice: expected unique names`,
      );
    if (hashes.has(k.sha256))
      throw new AuthConfigError(
        `${AUTH_ENV}: key "${k.name}" has the same sha256 as another key: expected one entry per key`,
      );
    names.add(k.name);
    hashes.add(k.sha256);
  }
  const anonymous = c.anonymous ?? (keys.length > 0 ? "off" : "everything");
  return {
    anonymous,
    // The devnet's anonymous tier (everything, no keys) is not limited unless told to be.
    anonymousLimits: limitsOf(
      c.anonymousLimits,
      anonymous === "everything" && keys.length === 0
        ? { requests: null, cost: null }
        : ANONYMOUS_DEFAULTS,
    ),
    keys,
    windowMs: c.windowMs ?? 60_000,
    corsOrigins: c.cors ?? [],
  };
}
