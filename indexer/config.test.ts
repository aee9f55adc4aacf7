import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { writeManifest } from "../devnet/manifest.js";
import { SAMPLE_MANIFEST } from "../devnet/sampleManifest.js";
import { DEFAULT_PROTOCOL, protocolNamed } from "../protocols/protocols.js";
import { ConfigError, loadIndexerConfig } from "./config.js";
import { ponderConfig } from "./ponderConfig.js";

const dir = mkdtempSync(join(tmpdir(), "perpwatch-indexer-config-"));

const manifest = SAMPLE_MANIFEST;
const manifestPath = join(dir, "manifest.json");
writeManifest(manifestPath, manifest);

const explicit = {
  PERPWATCH_RPC_URL: "https://rpc.example.org",
  PERPWATCH_CHAIN_ID: "8453",
  PERPWATCH_EXCHANGE_ADDRESS: "0x1111111111111111111111111111111111111111",
  PERPWATCH_ORACLE_ADDRESS: "0x2222222222222222222222222222222222222222",
  PERPWATCH_START_BLOCK: "123",
};

/** The error's message, asserting it is a one-line ConfigError. */
function failure(env: Record<string, string>): string {
  try {
    loadIndexerConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a ConfigError");
}

describe("indexer configuration", () => {
  it("reads the chain and the deployment from the manifest by default", () => {
    const cfg = loadIndexerConfig({ PERPWATCH_MANIFEST: manifestPath });
    expect(cfg).toMatchObject({
      source: { kind: "manifest", path: resolve(manifestPath) },
      exchanges: [
        {
          id: `${DEFAULT_PROTOCOL}-31337`,
          protocol: DEFAULT_PROTOCOL,
          chain: { id: 31337, name: "perpwatch", rpcUrl: "http://127.0.0.1:8545" },
          addresses: {
            exchange: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
            oracle: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
          },
          startBlock: 1,
        },
      ],
      pollingIntervalMs: 1000,
    });
  });

  it("puts PGlite under .perpwatch/, one directory per devnet session", () => {
    const cfg = loadIndexerConfig({ PERPWATCH_MANIFEST: manifestPath });
    expect(cfg.database.kind).toBe("pglite");
    const first = cfg.database.kind === "pglite" ? cfg.database.directory : "";
    expect(first).toMatch(/\/\.perpwatch\/ponder\/pglite-31337-[0-9a-f]{12}$/);
    const later = join(dir, "later.json");
    writeManifest(later, { ...manifest, deployedAt: "2026-01-02T00:00:00.000Z" });
    const next = loadIndexerConfig({ PERPWATCH_MANIFEST: later }).database;
    expect(next.kind === "pglite" && next.directory).not.toBe(first);
    const chosen = loadIndexerConfig({
      PERPWATCH_MANIFEST: manifestPath,
      PERPWATCH_PGLITE_DIR: dir,
    });
    expect(chosen.database).toEqual({ kind: "pglite", directory: dir });
  });

  it("uses PostgreSQL when DATABASE_URL is set", () => {
    const url = "postgresql://u:p@db:5432/perpwatch";
    expect(
      loadIndexerConfig({ PERPWATCH_MANIFEST: manifestPath, DATABASE_URL: url }).database,
    ).toEqual({ kind: "postgres", connectionString: url });
  });

  it("takes the deployment from the environment as soon as one deployment key is set", () => {
    const cfg = loadIndexerConfig({ ...explicit, PERPWATCH_POLLING_INTERVAL_MS: "250" });
    expect(cfg).toMatchObject({
      source: { kind: "env" },
      exchanges: [
        {
          chain: { id: 8453, rpcUrl: "https://rpc.example.org" },
          addresses: { exchange: "0x1111111111111111111111111111111111111111" },
          startBlock: 123,
        },
      ],
      pollingIntervalMs: 250,
    });
    const { PERPWATCH_START_BLOCK: _, ...noStart } = explicit;
    expect(loadIndexerConfig(noStart).exchanges[0]!.startBlock).toBe(0);
  });

  it("names the key, the value and what was expected, in one line", () => {
    expect(failure({ ...explicit, PERPWATCH_CHAIN_ID: "abc" })).toBe(
      'PERPWATCH_CHAIN_ID: expected a positive integer (got "abc")',
    );
    expect(failure({ ...explicit, PERPWATCH_EXCHANGE_ADDRESS: "0x12" })).toBe(
      'PERPWATCH_EXCHANGE_ADDRESS: expected a 0x-prefixed 20-byte hex address (got "0x12")',
    );
    expect(failure({ ...explicit, PERPWATCH_RPC_URL: "localhost:8545" })).toMatch(
      /^PERPWATCH_RPC_URL: expected an http\(s\):\/\/ or ws\(s\):\/\/ JSON-RPC URL/,
    );
    expect(failure({ ...explicit, PERPWATCH_START_BLOCK: "-1" })).toMatch(
      /^PERPWATCH_START_BLOCK: /,
    );
    expect(failure({ ...explicit, DATABASE_URL: "mysql://x" })).toMatch(
      /^DATABASE_URL: expected a postgres/,
    );
    expect(
      failure({ PERPWATCH_MANIFEST: manifestPath, PERPWATCH_POLLING_INTERVAL_MS: "0" }),
    ).toMatch(/^PERPWATCH_POLLING_INTERVAL_MS: /);
    expect(failure({ PERPWATCH_MANIFEST: manifestPath, PERPWATCH_ROW_WRITES: "daily" })).toBe(
      'PERPWATCH_ROW_WRITES: expected "per-block" or "per-call" (got "daily")',
    );
  });

  it("writes the exchange-wide rows per block unless told per call, and the Ponder config follows", () => {
    const perBlock = loadIndexerConfig({ PERPWATCH_MANIFEST: manifestPath });
    expect(perBlock.rowWrites).toBe("per-block");
    const protocol = protocolNamed(DEFAULT_PROTOCOL)!;
    expect(Object.keys(ponderConfig(perBlock).blocks ?? {})).toEqual(
      Object.keys(protocol.blocks(perBlock.exchanges, { blockEnd: true })),
    );
    expect(Object.keys(ponderConfig(perBlock).blocks ?? {}).length).toBeGreaterThan(0);
    const perCall = loadIndexerConfig({
      PERPWATCH_MANIFEST: manifestPath,
      PERPWATCH_ROW_WRITES: "per-call",
    });
    expect(perCall.rowWrites).toBe("per-call");
    expect(Object.keys(ponderConfig(perCall).blocks ?? {})).toEqual([]);
  });

  it("says which key is missing when the configuration is partial", () => {
    expect(failure({ PERPWATCH_RPC_URL: "http://127.0.0.1:8545" })).toMatch(
      /^PERPWATCH_CHAIN_ID: is required/,
    );
  });

  it("says when the manifest is missing or bad", () => {
    expect(failure({ PERPWATCH_MANIFEST: join(dir, "nope.json") })).toMatch(
      /^PERPWATCH_MANIFEST: manifest .*nope\.json: cannot read it .*run the devnet first$/,
    );
  });

  it("lists several exchanges on several chains, each checked against its protocol", () => {
    const a = "0x1111111111111111111111111111111111111111";
    const b = "0x2222222222222222222222222222222222222222";
    const list = [
      {
        id: "main",
        protocol: DEFAULT_PROTOCOL,
        chain: { id: 10, rpcUrl: "http://127.0.0.1:1" },
        addresses: { exchange: a, oracle: b },
      },
      {
        id: "second",
        protocol: DEFAULT_PROTOCOL,
        chain: { id: 8453, rpcUrl: "http://127.0.0.1:2" },
        addresses: { exchange: b, oracle: a },
        startBlock: 7,
      },
    ];
    const cfg = loadIndexerConfig({ PERPWATCH_EXCHANGES: JSON.stringify(list) });
    expect(cfg.exchanges.map((x) => [x.id, x.chain.name, x.startBlock])).toEqual([
      ["main", "perpwatch", 0],
      ["second", "perpwatch-8453", 7],
    ]);
    const pc = ponderConfig(cfg);
    expect(Object.keys(pc.chains)).toEqual(["perpwatch", "perpwatch-8453"]);
    const env = (l: unknown) => ({ PERPWATCH_EXCHANGES: JSON.stringify(l) });
    expect(failure({ PERPWATCH_EXCHANGES: "[{" })).toMatch(
      /^PERPWATCH_EXCHANGES: expected a JSON list/,
    );
    expect(failure(env([]))).toBe("PERPWATCH_EXCHANGES: expected at least one exchange");
    expect(failure(env([{ ...list[0], protocol: "nope" }]))).toMatch(
      /^PERPWATCH_EXCHANGES\[0\]\.protocol: expected one of .* \(got "nope"\)$/,
    );
    expect(failure(env([{ ...list[0], addresses: { exchange: "0x12", oracle: b } }]))).toMatch(
      /^PERPWATCH_EXCHANGES\[0\]\.addresses\.exchange: expected a 0x-prefixed/,
    );
    expect(failure(env([list[0], { ...list[1], id: "main" }]))).toMatch(
      /\[1\]\.id: expected unique ids/,
    );
    expect(failure(env([list[0], { ...list[1], chain: list[0]!.chain }]))).toMatch(
      /\[1\]: expected one .* exchange per chain/,
    );
    expect(failure(env([{ ...list[0], chain: { id: 0, rpcUrl: "x" } }]))).toMatch(
      /^PERPWATCH_EXCHANGES\[0\]\.chain\.id: /,
    );
  });
});
