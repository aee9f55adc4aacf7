import { defineConfig } from "vitest/config";

/**
 * Unit tests sit beside their file; end-to-end tests live in test/. Tests that start anvil
 * each get their own port, so files may run in parallel on the two cores CI has.
 */
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".perpwatch/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
