/**
 * What the indexer indexes and where it writes: the exchanges (protocol, chain, addresses,
 * start block) and the database, validated with zod from the environment before Ponder
 * builds anything.
 *
 * Why from the environment: `ponder.config.ts` is evaluated by Ponder itself (`ponder start`,
 * `ponder serve`, codegen), so the only channel a launcher has into it is the process
 * environment. Two sources for the deployment: by default the devnet's manifest (path
 * `PERPWATCH_MANIFEST`, default `.perpwatch/devnet/manifest.json`), so `npm start` needs no
 * setup; or explicit configuration: `PERPWATCH_EXCHANGES`, a JSON list of exchanges
 * (`[{ id, protocol, chain: { id, rpcUrl }, addresses, startBlock }]`, several protocols and
 * chains in one process), or the default protocol's shorthand (`PERPWATCH_RPC_URL`,
 * `PERPWATCH_CHAIN_ID`, `PERPWATCH_EXCHANGE_ADDRESS`, `PERPWATCH_ORACLE_ADDRESS`,
 * `PERPWATCH_START_BLOCK`) as soon as any of those is set. PGlite in a directory under `.perpwatch/`
 * unless `DATABASE_URL` points at PostgreSQL. A bad or missing value is a `ConfigError` whose
 * message is one line naming the key, the value and what was expected.
 */
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_MANIFEST_PATH, readManifest } from "../devnet/manifest.js";
import type { Address, ExchangeConfig } from "../protocols/protocol.js";
import { DEFAULT_PROTOCOL, PROTOCOL_NAMES, protocolNamed } from "../protocols/protocols.js";

export type { Address, ExchangeConfig };

export type DatabaseTarget =
  | { kind: "pglite"; directory: string }
  | { kind: "postgres"; connectionString: string };

export interface IndexerConfig {
  /** Where the deployment came from (for logs). */
  source: { kind: "manifest"; path: string } | { kind: "env" };
  /** Every exchange this process indexes (at least one; ids unique). */
  exchanges: ExchangeConfig[];
  /** How often Ponder polls the node for new blocks, ms. */
  pollingIntervalMs: number;
  database: DatabaseTarget;
  /**
   * When the exchange, market and price rows are written: once at the end of every block
   * (default; Ponder then fetches every block header, which costs little where the exchange
   * has logs in most blocks), or after every call (no block fetches, about 20% slower
   * backfill where it does). `PERPWATCH_ROW_WRITES=per-block|per-call`.
   */
  rowWrites: RowWrites;
}

export type RowWrites = "per-block" | "per-call";

/** A configuration problem, its message one line: `KEY: what was expected (got "value")`. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parent of the default PGlite directories (one per chain, or per devnet session). */
export const DEFAULT_PGLITE_ROOT = ".perpwatch/ponder";
export const DEFAULT_POLLING_INTERVAL_MS = 1000;

/** The keys that switch from the manifest to explicit configuration. */
export const DEPLOYMENT_KEYS = [
  "PERPWATCH_RPC_URL",
  "PERPWATCH_CHAIN_ID",
  "PERPWATCH_EXCHANGE_ADDRESS",
  "PERPWATCH_ORACLE_ADDRESS",
  "PERPWATCH_START_BLOCK",
] as const;

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .transform((a) => a.toLowerCase() as Address);

const integerString = (what: string, min: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected ${what}`)
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= min, `expected ${what}`);

const rpcUrl = z
  .string()
  .regex(/^(https?|wss?):\/\/\S+$/, "expected an http(s):// or ws(s):// JSON-RPC URL");

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, "expected a postgres:// or postgresql:// connection URL");

const nonEmpty = z.string().min(1, "expected a non-empty path");

const rowWritesValue = z.enum(["per-block", "per-call"], {
  error: () => 'expected "per-block" or "per-call"',
});

/** Parses one environment value with `schema`; a `ConfigError` naming the key otherwise. */
function parseKey<T>(
  env: Readonly<Record<string, string | undefined>>,
  key: string,
  schema: z.ZodType<T, string>,
  fallback?: T,
): T {
  const raw = value(env, key);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`${key}: is required (set it, or unset ${DEPLOYMENT_KEYS.join(", ")})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? "is invalid";
    throw new ConfigError(`${key}: ${reason} (got ${JSON.stringify(raw)})`);
  }
  return parsed.data;
}

/** An environment value, with empty strings treated as unset. */
function value(env: Readonly<Record<string, string | undefined>>, key: string): string | undefined {
  const v = env[key];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/**
 * PostgreSQL when DATABASE_URL is set; otherwise PGlite in PERPWATCH_PGLITE_DIR, by default
 * a directory of its own per chain — and, for a devnet, per devnet session (its manifest's
 * deployment time). Why per session: every devnet is a new chain with the same id (31337),
 * and Ponder caches RPC data by chain id; a database kept from an earlier devnet would serve
 * that chain's logs for this one.
 */
function databaseTarget(
  env: Readonly<Record<string, string | undefined>>,
  chainKey: string,
): DatabaseTarget {
  if (value(env, "DATABASE_URL") !== undefined) {
    return { kind: "postgres", connectionString: parseKey(env, "DATABASE_URL", postgresUrl) };
  }
  const fallback = join(DEFAULT_PGLITE_ROOT, `pglite-${chainKey}`);
  return {
    kind: "pglite",
    directory: resolve(parseKey(env, "PERPWATCH_PGLITE_DIR", nonEmpty, fallback)),
  };
}

/** A short key for one devnet session: its chain, exchange and deployment time. */
function sessionKey(m: ReturnType<typeof readManifest>): string {
  return createHash("sha256")
    .update(`${m.chainId}:${JSON.stringify(Object.entries(m.contracts).sort())}:${m.deployedAt}`)
    .digest("hex")
    .slice(0, 12);
}

/** The first exchange's chain keeps the name "perpwatch" (what `/status` reports). */
export const DEFAULT_CHAIN_NAME = "perpwatch";

/** Ponder's name for a chain: "perpwatch" for the first exchange's, `perpwatch-<id>` else. */
export function chainName(chainId: number, firstChainId: number): string {
  return chainId === firstChainId ? DEFAULT_CHAIN_NAME : `${DEFAULT_CHAIN_NAME}-${chainId}`;
}

const exchangeEntry = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "expected an id of letters, digits, _ . -"),
    protocol: z.string(),
    chain: z.object({ id: z.number().int().positive(), rpcUrl }).strict(),
    addresses: z.record(z.string(), z.string()),
    startBlock: z.number().int().nonnegative().default(0),
  })
  .strict();

/** `PERPWATCH_EXCHANGES`: a JSON list of exchanges, each checked against its protocol. */
function exchangesFromJson(raw: string): ExchangeConfig[] {
  const key = "PERPWATCH_EXCHANGES";
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      `${key}: expected a JSON list of exchanges (got ${JSON.stringify(raw.slice(0, 40))})`,
    );
  }
  const list = z.array(exchangeEntry).min(1, "expected at least one exchange").safeParse(json);
  if (!list.success) {
    const issue = list.error.issues[0]!;
    const at = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    throw new ConfigError(`${key}${at}: ${issue.message}`);
  }
  const first = list.data[0]!.chain.id;
  const out = list.data.map((e, i) => {
    const protocol = protocolNamed(e.protocol);
    if (protocol === undefined) {
      throw new ConfigError(
        `${key}[${i}].protocol: expected one of ${PROTOCOL_NAMES.join(", ")} (got ${JSON.stringify(e.protocol)})`,
      );
    }
    const addresses = protocol.addresses.safeParse(e.addresses);
    if (!addresses.success) {
      const issue = addresses.error.issues[0]!;
      throw new ConfigError(
        `${key}[${i}].addresses.${issue.path.join(".")}: ${issue.message} (got ${JSON.stringify(e.addresses)})`,
      );
    }
    return {
      id: e.id,
      protocol: e.protocol,
      chain: { id: e.chain.id, name: chainName(e.chain.id, first), rpcUrl: e.chain.rpcUrl },
      addresses: addresses.data,
      startBlock: e.startBlock,
    };
  });
  checkExchanges(out);
  return out;
}

/** Ids unique; one RPC per chain; one exchange per protocol and chain (mirrors go by chain). */
function checkExchanges(list: readonly ExchangeConfig[]): void {
  const key = "PERPWATCH_EXCHANGES";
  const ids = new Set<string>();
  const rpcs = new Map<number, string>();
  const slots = new Set<string>();
  for (const [i, x] of list.entries()) {
    if (ids.has(x.id))
      throw new ConfigError(`${key}[${i}].id: expected unique ids (got "${x.id}" twice)`);
    ids.add(x.id);
    const rpc = rpcs.get(x.chain.id);
    if (rpc !== undefined && rpc !== x.chain.rpcUrl) {
      throw new ConfigError(
        `${key}[${i}].chain.rpcUrl: expected one RPC per chain id ${x.chain.id} (got "${rpc}" and "${x.chain.rpcUrl}")`,
      );
    }
    rpcs.set(x.chain.id, x.chain.rpcUrl);
    const slot = `${x.protocol}@${x.chain.id}`;
    if (slots.has(slot)) {
      throw new ConfigError(
        `${key}[${i}]: expected one ${x.protocol} exchange per chain (chain ${x.chain.id} has two)`,
      );
    }
    slots.add(slot);
  }
}

/** The manifest's contracts as its protocol's `addresses` (lower-case), or one clear line. */
function parseManifestAddresses(
  name: string,
  contracts: Record<string, string>,
  path: string,
): Record<string, Address> {
  const protocol = protocolNamed(name);
  if (protocol === undefined) {
    throw new ConfigError(
      `PERPWATCH_MANIFEST: ${path} names protocol "${name}"; expected one of ${PROTOCOL_NAMES.join(", ")}`,
    );
  }
  const lower = Object.fromEntries(Object.entries(contracts).map(([k, v]) => [k, v.toLowerCase()]));
  // The manifest may list more contracts than the indexer needs (a lens, the token): strip them.
  const schema =
    protocol.addresses instanceof z.ZodObject ? protocol.addresses.strip() : protocol.addresses;
  const parsed = schema.safeParse(lower);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      `PERPWATCH_MANIFEST: ${path} contracts.${issue.path.join(".")}: ${issue.message}`,
    );
  }
  return parsed.data as Record<string, Address>;
}

/** A single exchange from the shorthand or the manifest: id `<protocol>-<chain id>`. */
function singleExchange(
  protocol: string,
  chainId: number,
  rpc: string,
  addresses: Record<string, Address>,
  startBlock: number,
): ExchangeConfig[] {
  const name = chainName(chainId, chainId);
  return [
    {
      id: `${protocol}-${chainId}`,
      protocol,
      chain: { id: chainId, name, rpcUrl: rpc },
      addresses,
      startBlock,
    },
  ];
}

/** Reads and validates the indexer's configuration; throws `ConfigError` (one line). */
export function loadIndexerConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): IndexerConfig {
  const pollingIntervalMs = parseKey(
    env,
    "PERPWATCH_POLLING_INTERVAL_MS",
    integerString("an integer number of milliseconds ≥ 10", 10),
    DEFAULT_POLLING_INTERVAL_MS,
  );
  const rowWrites = parseKey(env, "PERPWATCH_ROW_WRITES", rowWritesValue, "per-block");
  const listed = value(env, "PERPWATCH_EXCHANGES");
  if (listed !== undefined) {
    const exchanges = exchangesFromJson(listed);
    const chains = [...new Set(exchanges.map((x) => x.chain.id))].join("-");
    return {
      source: { kind: "env" },
      exchanges,
      pollingIntervalMs,
      rowWrites,
      database: databaseTarget(env, chains),
    };
  }
  if (DEPLOYMENT_KEYS.some((k) => value(env, k) !== undefined)) {
    const chainId = parseKey(env, "PERPWATCH_CHAIN_ID", integerString("a positive integer", 1));
    const exchanges = singleExchange(
      DEFAULT_PROTOCOL,
      chainId,
      parseKey(env, "PERPWATCH_RPC_URL", rpcUrl),
      {
        exchange: parseKey(env, "PERPWATCH_EXCHANGE_ADDRESS", address),
        oracle: parseKey(env, "PERPWATCH_ORACLE_ADDRESS", address),
      },
      parseKey(env, "PERPWATCH_START_BLOCK", integerString("a block number (integer ≥ 0)", 0), 0),
    );
    return {
      source: { kind: "env" },
      exchanges,
      pollingIntervalMs,
      rowWrites,
      database: databaseTarget(env, String(chainId)),
    };
  }
  const path = parseKey(env, "PERPWATCH_MANIFEST", nonEmpty, DEFAULT_MANIFEST_PATH);
  let manifest: ReturnType<typeof readManifest>;
  try {
    manifest = readManifest(path);
  } catch (err) {
    throw new ConfigError(`PERPWATCH_MANIFEST: ${(err as Error).message.split("\n")[0]}`);
  }
  const protocol = manifest.protocol ?? DEFAULT_PROTOCOL;
  const addresses = parseManifestAddresses(protocol, manifest.contracts, path);
  return {
    source: { kind: "manifest", path: resolve(path) },
    exchanges: singleExchange(
      protocol,
      manifest.chainId,
      manifest.rpcUrl,
      addresses,
      manifest.startBlock,
    ),
    pollingIntervalMs,
    rowWrites,
    database: databaseTarget(env, `${manifest.chainId}-${sessionKey(manifest)}`),
  };
}

/**
 * `loadIndexerConfig`, or — on a `ConfigError` — the error's one line on stderr and exit 1.
 * For `ponder.config.ts`, where a thrown error would reach the user as a multi-line build
 * failure with a stack.
 */
export function loadIndexerConfigOrExit(
  env: Readonly<Record<string, string | undefined>> = process.env,
): IndexerConfig {
  try {
    return loadIndexerConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`perpwatch indexer: ${err.message}\n`);
    process.exit(1);
  }
}
