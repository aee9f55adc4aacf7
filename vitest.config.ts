import { defineConfig } from "vitest/config";

/**
 * Unit tests sit beside their file; end-to-end tests live in test/. Tests that start anvil
 * each get their own port, so files may run in parallel on the two cores CI has.
 *
 * Three files at once on two cores: the longest end-to-end files mostly wait on a real-time
 * devnet (the crash-cascade alerts run is 150 s of 0.5 s blocks), and a third file keeps the
 * cores busy meanwhile. PERPWATCH_TEST_FORKS sets another number.
 */
const forks = Number(process.env.PERPWATCH_TEST_FORKS ?? 3);
if (!Number.isInteger(forks) || forks < 1) {
  throw new Error(
    `PERPWATCH_TEST_FORKS: expected a whole number of test processes, at least 1 (got "${process.env.PERPWATCH_TEST_FORKS}")`,
  );
}
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".perpwatch/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: forks, minForks: 1 } },
  },
});
