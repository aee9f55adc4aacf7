/**
 * Test support: the PostgreSQL the indexer tests may use. PERPWATCH_TEST_PG (or DATABASE_URL)
 * names it; without one those tests are skipped, and their title says how to run them.
 */

export const PG_URL: string | undefined =
  process.env.PERPWATCH_TEST_PG || process.env.DATABASE_URL || undefined;

export const PG_SKIP_REASON =
  PG_URL === undefined
    ? " (skipped: set PERPWATCH_TEST_PG=postgres://user:pass@host:5432/db to run on PostgreSQL)"
    : "";

/** Says once, on stderr, that the PostgreSQL tests of `what` do not run, and how to run them. */
export function noteWithoutPostgres(what: string): void {
  if (PG_URL !== undefined) return;
  process.stderr.write(
    `${what}: PostgreSQL tests skipped: set PERPWATCH_TEST_PG=postgres://user:pass@host:5432/db to run them\n`,
  );
}

/** A schema name no other run uses (Ponder creates it; tests never share one). */
export function uniqueSchema(prefix: string): string {
  return `pw_${prefix}_${process.pid}_${Date.now().toString(36)}`;
}

/**
 * A chain id no other test chain uses. Ponder caches RPC data by chain id in a schema shared
 * by the whole database (`ponder_sync`), so two different devnets with anvil's usual 31337
 * in one PostgreSQL database would read each other's blocks.
 */
export function uniqueChainId(): number {
  return 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
}
