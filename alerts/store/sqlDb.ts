/**
 * One SQL interface over the two Postgres engines the alert state may live in: PGlite in its
 * own directory (the embedded default, no setup) and PostgreSQL through `pg` (production).
 *
 * Why: the store's SQL is written once, with `$1` parameters, and runs unchanged on both
 * (the architecture's "one code path"). Statements are serialized through one queue: PGlite
 * is a single session anyway, and alert state needs transactions more than parallelism.
 * Values come back as the engines return them (PGlite: numbers for BIGINT, pg: strings);
 * the store's row mappers normalize them.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export type Row = Record<string, unknown>;

export interface SqlExecutor {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface SqlDb extends SqlExecutor {
  readonly kind: "pglite" | "postgres";
  /** Several statements at once, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Runs async jobs one at a time, in order. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export async function openPglite(directory: string): Promise<SqlDb> {
  const dir = resolve(directory);
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const queue = new Queue();
  return {
    kind: "pglite",
    query: <T extends Row>(sql: string, params: readonly unknown[] = []) =>
      queue.run(async () => (await db.query<T>(sql, params as unknown[])).rows),
    exec: (sql) => queue.run(async () => void (await db.exec(sql))),
    transaction: <R>(fn: (tx: SqlExecutor) => Promise<R>) =>
      queue.run(
        async () =>
          (await db.transaction((tx) =>
            fn({
              query: async <T extends Row>(sql: string, params: readonly unknown[] = []) =>
                (
                  await tx.query<T>(sql, params as unknown[])
                ).rows,
            }),
          )) as R,
      ),
    close: () => queue.run(() => db.close()),
  };
}

export async function openPostgres(url: string): Promise<SqlDb> {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the worker; the next query reconnects.
  pool.on("error", () => {});
  const queue = new Queue();
  // Fail now, with the server's reason, rather than at the first evaluation.
  await pool.query("SELECT 1");
  return {
    kind: "postgres",
    query: <T extends Row>(sql: string, params: readonly unknown[] = []) =>
      queue.run(async () => (await pool.query(sql, params as unknown[])).rows as T[]),
    exec: (sql) => queue.run(async () => void (await pool.query(sql))),
    transaction: (fn) =>
      queue.run(async () => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const out = await fn({
            query: async <T extends Row>(sql: string, params: readonly unknown[] = []) =>
              (await client.query(sql, params as unknown[])).rows as T[],
          });
          await client.query("COMMIT");
          return out;
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      }),
    close: () => queue.run(() => pool.end()),
  };
}
