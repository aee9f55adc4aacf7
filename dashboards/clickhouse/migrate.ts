/**
 * Versioned DDL migrations: `dashboards/migrations/NNNN_name.sql`, applied in order, each
 * once, recorded in `<db>.schema_migrations` with a checksum.
 *
 * Why versioned files rather than "CREATE IF NOT EXISTS at start-up": the history outlives
 * releases — a ClickHouse server keeps months of it — so a schema change must be a new,
 * ordered step that every deployment runs the same way, and a file edited after it ran is an
 * error, not a silent drift. Statements are separated by a `;` at the end of a line; `{db}`
 * stands for the configured database. Every statement is idempotent (IF NOT EXISTS, or guarded
 * by `-- if-exists:`), so a migration interrupted half-way is simply run again. Versions need
 * not be consecutive (0010 follows 0004): each is applied once, in order, whatever came before.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClickHouseHandle } from "./connect.js";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** A migration problem, one line. */
export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

/** The migration files in `dir`, ordered by version. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) continue;
    const sql = readFileSync(join(dir, file), "utf8");
    out.push({
      version: Number(m[1]),
      name: m[2]!,
      sql,
      checksum: createHash("sha256").update(sql).digest("hex").slice(0, 16),
    });
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version === out[i - 1]!.version) {
      throw new MigrationError(`two migrations have version ${out[i]!.version} in ${dir}`);
    }
  }
  return out;
}

/** A statement of a migration, and the tables that must exist for it to run. */
export interface Statement {
  sql: string;
  /** From a `-- if-exists: <table> [<table>…]` line before it: run only while all exist. */
  ifExists: string[];
}

const IF_EXISTS = /^--\s*if-exists:\s*(.+)$/;

/**
 * The statements of a migration, `{db}` replaced, comments and blank lines dropped. A
 * statement ends with a `;` at the end of a line. A `-- if-exists: a b` line makes the next
 * statement conditional on tables `a` and `b` of the database existing: how a migration that
 * copies a table and then drops it stays safe to run again after an interruption.
 */
export function parseStatements(sql: string, database: string): Statement[] {
  const out: Statement[] = [];
  let lines: string[] = [];
  let guard: string[] = [];
  const flush = () => {
    const text = lines.join("\n").trim();
    if (text !== "") out.push({ sql: text.replaceAll("{db}", database), ifExists: guard });
    lines = [];
    guard = [];
  };
  for (const line of sql.split("\n")) {
    const t = line.trim();
    const g = IF_EXISTS.exec(t);
    if (g) guard = g[1]!.split(/\s+/).filter((x) => x !== "");
    else if (t.startsWith("--")) continue;
    else if (t.endsWith(";")) {
      lines.push(line.replace(/;\s*$/, ""));
      flush();
    } else lines.push(line);
  }
  flush();
  return out;
}

/** The statements' SQL (see parseStatements). */
export function statementsOf(sql: string, database: string): string[] {
  return parseStatements(sql, database).map((s) => s.sql);
}

/** Whether every table named exists in `db`. */
async function tablesExist(ch: ClickHouseHandle, tables: readonly string[]): Promise<boolean> {
  if (tables.length === 0) return true;
  const rows = await ch.client
    .query({
      query:
        "SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name IN {t:Array(String)}",
      query_params: { db: ch.database, t: tables },
      format: "JSONEachRow",
    })
    .then((r) => r.json<{ n: string }>());
  return Number(rows[0]?.n ?? 0) === tables.length;
}

export interface MigrateResult {
  applied: number[];
  current: number;
}

/** Creates the database and applies every migration not yet applied. */
export async function migrate(
  ch: ClickHouseHandle,
  migrations: readonly Migration[] = readMigrations(),
): Promise<MigrateResult> {
  const db = ch.database;
  await ch.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await ch.client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
  });
  const rows = await ch.client
    .query({
      query: `SELECT version, name, checksum FROM ${db}.schema_migrations FINAL ORDER BY version`,
      format: "JSONEachRow",
    })
    .then((r) => r.json<{ version: number; name: string; checksum: string }>());
  const done = new Map(rows.map((r) => [Number(r.version), r]));
  const applied: number[] = [];
  for (const m of migrations) {
    const prior = done.get(m.version);
    if (prior) {
      if (prior.checksum !== m.checksum) {
        throw new MigrationError(
          `migration ${m.version}_${m.name} was changed after it was applied to ${db} (checksum ${prior.checksum}, file ${m.checksum}); add a new migration instead`,
        );
      }
      continue;
    }
    for (const statement of parseStatements(m.sql, db)) {
      try {
        if (!(await tablesExist(ch, statement.ifExists))) continue;
        await ch.client.command({ query: statement.sql });
      } catch (err) {
        const why = (err instanceof Error ? err.message : String(err)).split("\n")[0];
        throw new MigrationError(`migration ${m.version}_${m.name} failed on ${db}: ${why}`);
      }
    }
    await ch.client.insert({
      table: `${db}.schema_migrations`,
      values: [{ version: m.version, name: m.name, checksum: m.checksum, applied_at: Date.now() }],
      format: "JSONEachRow",
    });
    applied.push(m.version);
  }
  return { applied, current: migrations.at(-1)?.version ?? 0 };
}
