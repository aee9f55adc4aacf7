/**
 * The leader lease: of several workers on one alert store (PostgreSQL), only the holder of
 * the lease evaluates and delivers, so each alert is decided and sent once; the others wait
 * as standbys and take over when the holder stops renewing (it crashed, or lost the
 * database) for longer than the lease's time to live.
 *
 * Why a lease rather than row locks: evaluation is stateful (lifecycles held in memory and
 * committed together); two evaluators would each decide the same firing and each enqueue
 * its deliveries. One row in `lease`, taken or renewed with one statement.
 */
import type { AlertStore } from "./alertStore.js";

/** Takes or renews the lease; true when `owner` holds it until `nowMs + ttlMs`. */
export async function acquireLease(
  store: AlertStore,
  name: string,
  owner: string,
  ttlMs: number,
  nowMs: number,
): Promise<boolean> {
  const s = store.schema;
  const rows = await store.db.query(
    `INSERT INTO ${s}.lease (name, owner, until_ms) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, until_ms = EXCLUDED.until_ms
       WHERE ${s}.lease.owner = EXCLUDED.owner OR ${s}.lease.until_ms < $4
     RETURNING owner`,
    [name, owner, nowMs + ttlMs, nowMs],
  );
  return rows.length === 1;
}

/** Gives the lease up (a clean stop), so a standby takes over at once. */
export async function releaseLease(store: AlertStore, name: string, owner: string) {
  await store.db.query(`DELETE FROM ${store.schema}.lease WHERE name = $1 AND owner = $2`, [
    name,
    owner,
  ]);
}
