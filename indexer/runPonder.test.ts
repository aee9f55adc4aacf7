import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { codeFingerprint } from "./codeFingerprint.js";
import { ConfigError } from "./config.js";
import { ponderEnv, REPO_ROOT, startPonder } from "./runPonder.js";

describe("runPonder", () => {
  it("passes the deployment and the database to Ponder through its environment", () => {
    const pglite = ponderEnv({
      manifestPath: "m.json",
      database: { kind: "pglite", directory: "db" },
      env: { PERPWATCH_POLLING_INTERVAL_MS: "100" },
    });
    expect(pglite).toMatchObject({
      PERPWATCH_MANIFEST: resolve("m.json"),
      PERPWATCH_PGLITE_DIR: resolve("db"),
      PERPWATCH_POLLING_INTERVAL_MS: "100",
      PONDER_TELEMETRY_DISABLED: "1",
    });
    expect(pglite.DATABASE_URL).toBeUndefined();
    const pg = ponderEnv({ database: { kind: "postgres", url: "postgresql://u@h/db" } });
    expect(pg.DATABASE_URL).toBe("postgresql://u@h/db");
  });

  it("fails in the caller, with the configuration's one line, before spawning anything", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "perpwatch-run-")), "none.json");
    const started = startPonder({ manifestPath: missing });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(
      /^PERPWATCH_MANIFEST: manifest .*none\.json: cannot read it/,
    );
  });

  it("names the default schema after the indexing code", () => {
    expect(codeFingerprint(REPO_ROOT)).toMatch(/^[0-9a-f]{10}$/);
    expect(codeFingerprint(REPO_ROOT)).toBe(codeFingerprint(REPO_ROOT));
  });
});
