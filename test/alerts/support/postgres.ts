/**
 * Test support: the PostgreSQL the alert-store tests also run on (PERPWATCH_TEST_PG, set by
 * `source .ci/postgres.sh`); without it those tests are skipped and say how to run them.
 */
export const PG_URL: string | undefined = process.env.PERPWATCH_TEST_PG || undefined;

export const PG_SKIP_REASON =
  PG_URL === undefined ? " (skipped: set PERPWATCH_TEST_PG, e.g. `source .ci/postgres.sh`)" : "";

/** A schema no other run uses. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}
