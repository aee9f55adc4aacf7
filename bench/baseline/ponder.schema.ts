/** The baseline's one table: every log, raw (what "just storing the events" costs). */
import { onchainTable } from "ponder";

export const rawLog = onchainTable("raw_log", (t) => ({
  id: t.text().primaryKey(),
  name: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
  logIndex: t.integer().notNull(),
  txHash: t.hex().notNull(),
  data: t.hex().notNull(),
}));
