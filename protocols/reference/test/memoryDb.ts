/**
 * An in-memory stand-in for the part of Ponder's store API the reference adapter uses
 * (`find`, `insert … values / onConflictDoNothing / onConflictDoUpdate`, `update … set`,
 * and `sql.select().from(table)`), over the tables of ponder.schema.ts.
 *
 * Why: the mirror's logic — replaying calls, matching logs, recording mismatches, applying
 * the chain's values — is tested in milliseconds against event streams the engine itself
 * produces, without a chain or a Ponder process; the end-to-end tests then prove the same
 * code under Ponder.
 */
import * as schema from "../../../ponder.schema.js";
import type { Db } from "../indexer/types.js";

type Row = Record<string, unknown>;
type Table = (typeof schema)[keyof typeof schema];

/** Primary-key columns of every table (as declared in ponder.schema.ts). */
const PRIMARY_KEYS = new Map<Table, readonly string[]>([
  [schema.exchange, ["id"]],
  [schema.market, ["exchange", "marketId"]],
  [schema.oraclePrice, ["exchange", "marketId"]],
  [schema.account, ["exchange", "accountId"]],
  [schema.position, ["exchange", "accountId", "marketId"]],
  [schema.badDebt, ["exchange", "accountId", "marketId", "isLong"]],
  [schema.mirrorCursor, ["exchange"]],
]);

const NAMES = new Map<Table, string>(
  Object.entries(schema).map(([name, table]) => [table as Table, name]),
);

export class MemoryDb {
  readonly tables = new Map<string, Map<string, Row>>();

  private keyOf(table: Table, row: Row): string {
    const cols = PRIMARY_KEYS.get(table) ?? ["id"];
    return cols.map((c) => String(row[c])).join(":");
  }

  private rowsOf(table: Table): Map<string, Row> {
    const name = NAMES.get(table);
    if (!name) throw new Error("MemoryDb: unknown table");
    let t = this.tables.get(name);
    if (!t) {
      t = new Map();
      this.tables.set(name, t);
    }
    return t;
  }

  /** Rows of a table by its export name in ponder.schema.ts. */
  rows(name: keyof typeof schema): Row[] {
    return [...(this.tables.get(name)?.values() ?? [])];
  }

  find(table: Table, key: Row): Row | null {
    const row = this.rowsOf(table).get(this.keyOf(table, key));
    return row ? { ...row } : null;
  }

  private put(table: Table, row: Row): Row {
    const stored = { ...row };
    this.rowsOf(table).set(this.keyOf(table, row), stored);
    return { ...stored };
  }

  insert(table: Table) {
    return {
      values: (values: Row) => {
        const insertNew = () => {
          if (this.find(table, values)) {
            throw new Error(`MemoryDb: duplicate key in ${NAMES.get(table)}`);
          }
          return this.put(table, values);
        };
        return {
          // biome-ignore lint/suspicious/noThenProperty: mirrors Ponder's thenable insert.
          then: (resolve: (r: Row) => unknown, reject: (e: unknown) => unknown) => {
            try {
              return Promise.resolve(resolve(insertNew()));
            } catch (e) {
              return Promise.resolve(reject(e));
            }
          },
          onConflictDoNothing: async () =>
            this.find(table, values) ? null : this.put(table, values),
          onConflictDoUpdate: async (set: Row | ((row: Row) => Row)) => {
            const prev = this.find(table, values);
            if (!prev) return this.put(table, values);
            const patch = typeof set === "function" ? set(prev) : set;
            return this.put(table, { ...prev, ...definedOnly(patch) });
          },
        };
      },
    };
  }

  update(table: Table, key: Row) {
    return {
      set: async (set: Row | ((row: Row) => Row)) => {
        const prev = this.find(table, key);
        if (!prev) throw new Error(`MemoryDb: no row to update in ${NAMES.get(table)}`);
        const patch = typeof set === "function" ? set(prev) : set;
        return this.put(table, { ...prev, ...definedOnly(patch) });
      },
    };
  }

  /**
   * `db.sql.select().from(table)`: every row of a table, and `.where(eq(column, value))`:
   * the rows whose column equals the value (the only condition the mirror uses).
   */
  readonly sql = {
    select: () => ({
      from: (table: Table) => {
        const rows = [...this.rowsOf(table).values()].map((r) => ({ ...r }));
        return Object.assign(Promise.resolve(rows), {
          where: async (cond: unknown) => {
            const [column, value] = equality(cond);
            return rows.filter((r) => r[column] === value);
          },
        });
      },
    }),
  };

  /** This store as the adapter's `Db` type. */
  asDb(): Db {
    return this as unknown as Db;
  }
}

/** The column name and value of a drizzle `eq(column, value)` condition. */
function equality(cond: unknown): [string, unknown] {
  const chunks = (cond as { queryChunks: Record<string, unknown>[] }).queryChunks;
  const column = chunks.find((c) => typeof c.name === "string" && "columnType" in c);
  const param = chunks.find((c) => "value" in c && "encoder" in c);
  if (!column || !param) throw new Error("MemoryDb: where() takes eq(column, value) only");
  const key = Object.entries(column.table as object).find(([, v]) => v === column)?.[0];
  return [key ?? (column.name as string), param.value];
}

function definedOnly(patch: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = v;
  return out;
}
