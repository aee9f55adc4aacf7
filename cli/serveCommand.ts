/**
 * `perpwatch serve`: an API replica — `ponder serve` over the indexer's PostgreSQL schema,
 * read-only, with the same configuration as the indexer (perpwatch.config.yaml's chain or
 * exchanges, the same environment), run as many times as the load needs behind a load
 * balancer while one `perpwatch start` (or `ponder start`) writes.
 *
 * The replica follows new blocks on its own (it polls the indexer's checkpoint and loads and
 * warms each block as the indexer's API does, api/replica/), and answers the same queries the
 * same way. Its `/ready` means "the backfill is done and I serve the indexer's checkpoint (at
 * most --max-lag-blocks behind)", its `/status` names the block it serves (Ponder's shape);
 * api/replica/replicaPaths.ts says how those two paths become the replica's own.
 */
import type { Command } from "commander";
import { z } from "zod";
import { codeFingerprint } from "../indexer/codeFingerprint.js";
import { REPO_ROOT, type RunningPonder, startPonder } from "../indexer/runPonder.js";
import { guardAgainstOrphaning, orphanGuardEnv } from "../runtime/orphanGuard.js";
import { portConflicts } from "../runtime/portCheck.js";
import { stopOnSignals } from "../runtime/signals.js";
import { chainEnv, exchangesEnv, loadPerpwatchConfig } from "./config/perpwatchConfig.js";
import { apiAuthEnv } from "./config/stackAccess.js";
import { parseFlag, UsageError } from "./usageError.js";

export interface RawServeOptions {
  config?: string;
  databaseUrl?: string;
  schema?: string;
  port: string;
  host: string;
  maxLagBlocks: string;
}

export interface ServeOptions {
  configPath?: string;
  databaseUrl: string;
  schema: string;
  port: number;
  host: string;
  maxLagBlocks: number;
}

export function addServeOptions(cmd: Command): Command {
  return cmd
    .option(
      "--config <path>",
      "perpwatch.config.yaml (default: ./perpwatch.config.yaml if present)",
    )
    .option("--database-url <url>", "the indexer's PostgreSQL (default: $DATABASE_URL)")
    .option(
      "--schema <name>",
      "the indexer's database schema (default: $DATABASE_SCHEMA, else the one `perpwatch start` uses for this code)",
    )
    .option("--port <n>", "HTTP port of this replica", "42069")
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option(
      "--max-lag-blocks <n>",
      "/ready answers 503 when the block served is further behind the indexer",
      "2",
    );
}

const portSchema = z.coerce
  .number()
  .int("expected an integer port")
  .min(1, "expected a port from 1 to 65535")
  .max(65_535, "expected a port from 1 to 65535");
const postgresUrl = z
  .string({ error: "is required: the indexer's PostgreSQL (`ponder serve` cannot read PGlite)" })
  .regex(/^postgres(ql)?:\/\/\S+$/, "expected a postgres:// or postgresql:// URL");
// Ponder's limit on schema names; a plain identifier keeps quoting out of the way.
const schemaName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,44}$/, "expected a schema name: letters, digits, _ (≤ 45)");
const hostSchema = z
  .string()
  .regex(/^[0-9A-Za-z.:-]+$/, "expected an interface address like 127.0.0.1 or 0.0.0.0");
const lagSchema = z.coerce
  .number()
  .int("expected a whole number of blocks")
  .min(0, "expected 0 or more blocks")
  .max(1_000_000, "expected at most 1000000 blocks");

/** Validates the flags (and the environment they default to); one `UsageError` line if bad. */
export function parseServeOptions(
  raw: RawServeOptions,
  env: NodeJS.ProcessEnv = process.env,
): ServeOptions {
  const databaseUrl = parseFlag(
    "--database-url",
    postgresUrl,
    raw.databaseUrl ?? (env.DATABASE_URL?.trim() || undefined),
  );
  const schema = parseFlag(
    "--schema",
    schemaName,
    raw.schema ?? (env.DATABASE_SCHEMA?.trim() || `perpwatch_${codeFingerprint(REPO_ROOT)}`),
  );
  return {
    configPath: raw.config,
    databaseUrl,
    schema,
    port: parseFlag("--port", portSchema, raw.port),
    host: parseFlag("--host", hostSchema, raw.host),
    maxLagBlocks: parseFlag("--max-lag-blocks", lagSchema, raw.maxLagBlocks),
  };
}

/**
 * The indexer's environment from the config file (as `perpwatch start` passes it): the chain or
 * exchanges, and who may read the API (its `api` section; without one, PERPWATCH_API_AUTH
 * from the environment as it is), so a replica answers exactly as the indexer's API does.
 */
function indexerEnv(configPath?: string): Record<string, string> {
  const config = loadPerpwatchConfig(configPath);
  const file = config.file;
  const where = `config ${config.path ?? "perpwatch.config.yaml"}`;
  return {
    ...(file.exchanges ? exchangesEnv(file.exchanges) : file.chain ? chainEnv(file.chain) : {}),
    ...(file.api ? apiAuthEnv(file.api, where).env : {}),
  };
}

export async function runServeCommand(raw: RawServeOptions): Promise<void> {
  const o = parseServeOptions(raw);
  // Ponder would move to the next free port on its own: a replica must be where it is told.
  const taken = await portConflicts([{ port: o.port, what: "the API replica", flag: "--port" }]);
  if (taken.length > 0) throw new UsageError(taken.join("; "));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let ponder: RunningPonder | null = null;
  const stopAll = async () => {
    await ponder?.stop();
  };
  const signals = stopOnSignals(out, "the API replica", stopAll);
  guardAgainstOrphaning();
  ponder = await startPonder({
    command: "serve",
    port: o.port,
    hostname: o.host,
    schema: o.schema,
    database: { kind: "postgres", url: o.databaseUrl },
    env: {
      ...indexerEnv(o.configPath),
      PERPWATCH_REPLICA: "1",
      PERPWATCH_REPLICA_MAX_LAG_BLOCKS: String(o.maxLagBlocks),
      // Killed outright, this process takes its `ponder serve` with it (runtime/orphanGuard.ts)
      // at once: it holds no state to flush, and its open sockets would stall its clients.
      ...orphanGuardEnv([], { checkMs: 250, graceMs: 0 }),
    },
    waitFor: "spawn",
    // Ponder's JSON log lines, as they come (what a container's log collector wants).
    onLog: out,
  });
  const running = ponder;
  void running.exited.then(async (code) => {
    if (signals.stopping) return;
    process.stderr.write(
      `perpwatch serve: the API process exited (${code}); its last output:\n${running.recentOutput()}\n`,
    );
    process.exit(1);
  });
  const port = await running.bound;
  const url = `http://${o.host === "0.0.0.0" || o.host === "::" ? "127.0.0.1" : o.host}:${port}`;
  out(
    `perpwatch serve: API replica of schema ${o.schema} at ${url}/graphql (ready: ${url}/ready, status: ${url}/status)`,
  );
}
