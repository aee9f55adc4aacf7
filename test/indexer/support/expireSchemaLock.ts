/**
 * Test support: lets a restart take over a killed Ponder's schema at once. Ponder refuses a
 * schema whose `_ponder_meta` says "locked" until the holder's last heartbeat is 25 s old (its
 * database heartbeat timeout); a process killed with SIGKILL beats no more, so the next start
 * would sleep those 25 s. Moving the heartbeat back is that wait having passed, not another
 * path: the restart still finds the lock, sees it expired and recovers from the crash.
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { PonderDatabase } from "../../../indexer/runPonder.js";

export async function expireSchemaLock(database: PonderDatabase, schema: string): Promise<void> {
  const sql = `UPDATE "${schema}"._ponder_meta
    SET value = jsonb_set(value, '{heartbeat_at}', to_jsonb(0)) WHERE key = 'app'`;
  if (database.kind === "pglite") {
    const db = new PGlite(database.directory);
    try {
      await db.exec(sql);
    } finally {
      await db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
