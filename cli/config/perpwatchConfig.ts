/**
 * `perpwatch.config.yaml`: one file for the whole stack — the devnet (or the real chain that
 * replaces it), the indexer's port and polling, the alert worker and the exporter. Secrets
 * stay out of it: `DATABASE_URL`, `CLICKHOUSE_URL`/`CLICKHOUSE_PASSWORD`, and receiver
 * secrets written as `env:NAME` come from the environment.
 *
 * Why YAML and a schema of our own over the components' schemas: the file is what a risk team
 * edits and commits, so it must read plainly; each section is then handed to the component
 * that owns it (alerts/config, dashboards/config, indexer/config), which validates it again
 * with its own, more detailed rules. Every problem is one line naming the file and the key.
 * Precedence: a command-line flag, then the file, then the documented default.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { issueLine } from "../../alerts/config/configError.js";
import { SCENARIO_NAMES } from "../../devnet/simulator/scenarios.js";
import { UsageError } from "../usageError.js";
import { hostSchema } from "./stackAccess.js";

export const DEFAULT_CONFIG_FILE = "perpwatch.config.yaml";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address");
const port = z.number().int().min(1).max(65_535);

const fileSchema = z
  .object({
    devnet: z
      .object({
        protocol: z.string().min(1),
        scenario: z.enum(SCENARIO_NAMES),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
        accounts: z.number().int().min(1).max(20_000),
        blockTime: z.number().positive().max(60),
        speed: z.enum(["realtime", "max"]),
        ticks: z.number().int().positive(),
        loop: z.boolean(),
        port,
        manifest: z.string().min(1),
      })
      .partial()
      .strict(),
    chain: z
      .object({
        rpcUrl: z
          .string()
          .regex(/^(https?|wss?):\/\/\S+$/, "expected an http(s):// or ws(s):// JSON-RPC URL"),
        chainId: z.number().int().positive(),
        exchange: address,
        oracle: address,
        startBlock: z.number().int().min(0).default(0),
      })
      .strict(),
    /** Several exchanges (any protocols and chains) in one Perpwatch: PERPWATCH_EXCHANGES. */
    exchanges: z
      .array(
        z
          .object({
            id: z.string().min(1),
            protocol: z.string().min(1),
            chain: z.object({ id: z.number().int().positive(), rpcUrl: z.string() }).strict(),
            addresses: z.record(z.string(), z.string()),
            startBlock: z.number().int().min(0).default(0),
          })
          .strict(),
      )
      .min(1),
    indexer: z
      .object({ port, host: hostSchema, pollingIntervalMs: z.number().int().min(10).max(60_000) })
      .partial()
      .strict(),
    /**
     * Who may read the API (api/auth/authConfig.ts validates it): `keys` (name, sha256 or
     * env:NAME, revoked, tables, requestsPerMinute, costPerMinute), `anonymous`, `cors`, ….
     */
    api: z.record(z.string(), z.unknown()),
    /** The alert worker's configuration (alerts/config), or `false` to run without alerts. */
    alerts: z.union([z.literal(false), z.record(z.string(), z.unknown())]),
    exporter: z.union([
      z.literal(false),
      z
        .object({ intervalSeconds: z.number().positive().max(3600) })
        .partial()
        .strict(),
    ]),
  })
  .partial()
  .strict();

export type PerpwatchFile = z.output<typeof fileSchema>;

export interface PerpwatchConfig {
  /** The file read, or null when there is none (all defaults). */
  path: string | null;
  file: PerpwatchFile;
}

/**
 * Reads `path` (or `perpwatch.config.yaml` in the working directory when it exists; an
 * explicit path must exist). Throws `UsageError` with one line on any problem.
 */
export function loadPerpwatchConfig(path?: string, cwd = process.cwd()): PerpwatchConfig {
  const file = resolve(cwd, path ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (path !== undefined) throw new UsageError(`config ${path}: no such file`);
    return { path: null, file: {} };
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"), { prettyErrors: false }) ?? {};
  } catch (err) {
    const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`config ${file}: not valid YAML: ${msg}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UsageError(
      `config ${file}: expected a mapping with devnet, chain, indexer, api, alerts, exporter`,
    );
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(
      issueLine(`config ${file}`, parsed.error.issues[0]!, raw, ["alerts", "rules"]),
    );
  }
  const real = ["chain", "exchanges", "devnet"].filter((k) => k in parsed.data);
  if (real.length > 1) {
    throw new UsageError(
      `config ${file}: keys ${real.map((k) => `"${k}"`).join(" and ")}: expected one of "chain", "exchanges" or "devnet" (real exchanges replace the devnet)`,
    );
  }
  return { path: file, file: parsed.data };
}

/** The indexer's environment for configured exchanges (indexer/config.ts PERPWATCH_EXCHANGES). */
export function exchangesEnv(
  exchanges: NonNullable<PerpwatchFile["exchanges"]>,
): Record<string, string> {
  return { PERPWATCH_EXCHANGES: JSON.stringify(exchanges) };
}

/** The indexer's environment for a configured chain (indexer/config.ts reads these keys). */
export function chainEnv(chain: NonNullable<PerpwatchFile["chain"]>): Record<string, string> {
  return {
    PERPWATCH_RPC_URL: chain.rpcUrl,
    PERPWATCH_CHAIN_ID: String(chain.chainId),
    PERPWATCH_EXCHANGE_ADDRESS: chain.exchange,
    PERPWATCH_ORACLE_ADDRESS: chain.oracle,
    PERPWATCH_START_BLOCK: String(chain.startBlock),
  };
}
