import { describe, expect, it } from "vitest";
import { parseServeOptions, type RawServeOptions } from "./serveCommand.js";

const raw: RawServeOptions = { port: "42069", host: "127.0.0.1", maxLagBlocks: "2" };
const PG = "postgres://perpwatch:pw@postgres:5432/perpwatch";

describe("parseServeOptions", () => {
  it("takes DATABASE_URL and DATABASE_SCHEMA from the environment; flags win", () => {
    const env = { DATABASE_URL: PG, DATABASE_SCHEMA: "perpwatch_x" };
    expect(parseServeOptions(raw, env)).toMatchObject({
      databaseUrl: PG,
      schema: "perpwatch_x",
      port: 42069,
      host: "127.0.0.1",
      maxLagBlocks: 2,
    });
    expect(
      parseServeOptions({ ...raw, schema: "other", databaseUrl: `${PG}2`, port: "8080" }, env),
    ).toMatchObject({ schema: "other", databaseUrl: `${PG}2`, port: 8080 });
  });

  it("defaults the schema to the one perpwatch start uses for this code", () => {
    expect(parseServeOptions(raw, { DATABASE_URL: PG }).schema).toMatch(/^perpwatch_[0-9a-f]{10}$/);
  });

  it("a missing database or a bad value is one line naming the flag", () => {
    expect(() => parseServeOptions(raw, {})).toThrow(/^option --database-url: is required/);
    expect(() => parseServeOptions({ ...raw, databaseUrl: "mysql://x" }, {})).toThrow(
      'option --database-url: expected a postgres:// or postgresql:// URL (got "mysql://x")',
    );
    const env = { DATABASE_URL: PG };
    expect(() => parseServeOptions({ ...raw, schema: "a-b" }, env)).toThrow(/^option --schema:/);
    expect(() => parseServeOptions({ ...raw, port: "0" }, env)).toThrow(
      'option --port: expected a port from 1 to 65535 (got "0")',
    );
    expect(() => parseServeOptions({ ...raw, maxLagBlocks: "-1" }, env)).toThrow(
      /^option --max-lag-blocks: expected 0 or more blocks/,
    );
  });
});
