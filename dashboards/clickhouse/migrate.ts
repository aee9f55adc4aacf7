/**
 * Versioned DDL migrations: `dashboards/migrations/NNNN_name.sql`, applied in order, each
 * once, recorded in `<db>.schema_migrations` with a checksum.
 *
 * Why versioned files rather than "CREATE IF NOT EXISTS at start-up": the history outlives
 * releases — a ClickHouse server keeps months of it — so a schema change must be a new,
 * ordered step that every deployment runs the same way, and a file edited after it ran is an
 * error, not a silent drift. Statements are separated by a `;` at the end of a line; `{db}`
 * stands for the configured database. Every statement is idempotent (IF NOT EXISTS), so a
 * migration interrupted half-way is simply run again.
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

/** The statements of a migration, `{db}` replaced, comments and blank lines dropped. */
export function statementsOf(sql: string, database: string): string[] {
  const body = sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n");
  return body
    .split(/;\s*\n|;\s*$/)
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => s.replaceAll("{db}", database));
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
    for (const statement of statementsOf(m.sql, db)) {
      try {
        await ch.client.command({ query: statement });
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
