/**
 * An API replica's settings (`perpwatch serve` sets them for `ponder serve`), validated with
 * zod from the environment like the rest of the API's (api/config.ts).
 *
 * Why separate: only a replica follows blocks on its own and judges its readiness by how far
 * it is behind the indexer; the indexer's own API loads blocks when asked.
 */
import { z } from "zod";

export interface ReplicaConfig {
  /** Load and warm every newly indexed block without waiting for a request (replicas). */
  follow: boolean;
  /** `/replica/ready` answers 200 while the served block is at most this far behind. */
  maxLagBlocks: number;
}

export class ReplicaConfigError extends Error {
  override readonly name = "ReplicaConfigError";
}

const flag = z.enum(["0", "1"]);
const lag = z.coerce.number().int().min(0).max(1_000_000);

export function loadReplicaConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ReplicaConfig {
  const follow = env.PERPWATCH_REPLICA?.trim() || "0";
  if (!flag.safeParse(follow).success) {
    throw new ReplicaConfigError(
      `PERPWATCH_REPLICA: expected 0 or 1 (got ${JSON.stringify(follow)})`,
    );
  }
  const rawLag = env.PERPWATCH_REPLICA_MAX_LAG_BLOCKS?.trim() || "2";
  const parsed = lag.safeParse(rawLag);
  if (!parsed.success || !/^\d+$/.test(rawLag)) {
    throw new ReplicaConfigError(
      `PERPWATCH_REPLICA_MAX_LAG_BLOCKS: expected an integer from 0 to 1000000 (got ${JSON.stringify(rawLag)})`,
    );
  }
  return { follow: follow === "1", maxLagBlocks: parsed.data };
}

/** `loadReplicaConfig`, or its one line on stderr and exit 1 (for src/api/index.ts). */
export function loadReplicaConfigOrExit(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ReplicaConfig {
  try {
    return loadReplicaConfig(env);
  } catch (err) {
    if (!(err instanceof ReplicaConfigError)) throw err;
    process.stderr.write(`perpwatch api: ${err.message}\n`);
    process.exit(1);
  }
}
