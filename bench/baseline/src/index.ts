/**
 * The baseline's handlers: one insert of the raw log per event, for every event the
 * Perpwatch indexer handles for the configured exchanges (whatever their protocol) — the
 * floor any indexer of these contracts pays. Block sources get no handler.
 */
import { ponder } from "ponder:registry";
import { loadIndexerConfigOrExit } from "../../../indexer/config.js";
import { PROTOCOLS } from "../../../protocols/protocols.js";
import { rawLog } from "../ponder.schema.js";

const config = loadIndexerConfigOrExit(process.env);
const EVENTS = new Set<string>();
for (const p of PROTOCOLS) {
  const exchanges = config.exchanges.filter((x) => x.protocol === p.name);
  if (exchanges.length === 0) continue;
  for (const name of Object.keys(p.handlers(exchanges, { blockEnd: false }))) {
    if (!name.endsWith(":block")) EVENTS.add(name);
  }
}

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

for (const name of EVENTS) {
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
