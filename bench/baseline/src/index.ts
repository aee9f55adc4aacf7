/**
 * The baseline's handlers: one insert of the raw log per event, for every event the
 * Perpwatch indexer handles — the floor any indexer of these contracts pays.
 */
import { ponder } from "ponder:registry";
import { REFERENCE_EVENTS } from "../../../protocols/reference/indexer/plugin.js";
import { rawLog } from "../ponder.schema.js";

interface RawEvent {
  id: string;
  block: { number: bigint };
  log: { logIndex: number; data: `0x${string}` };
  transaction: { hash: `0x${string}` };
}

interface RawContext {
  db: {
    insert(table: typeof rawLog): { values(row: typeof rawLog.$inferInsert): Promise<unknown> };
  };
}

const on = ponder.on.bind(ponder) as unknown as (
  name: string,
  fn: (args: { event: RawEvent; context: RawContext }) => Promise<void>,
) => void;

for (const name of REFERENCE_EVENTS) {
  on(name, async ({ event, context }) => {
    await context.db.insert(rawLog).values({
      id: event.id,
      name,
      blockNumber: event.block.number,
      logIndex: event.log.logIndex,
      txHash: event.transaction.hash,
      data: event.log.data,
    });
  });
}
