import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainEnv, exchangesEnv, loadPerpwatchConfig } from "./perpwatchConfig.js";

function dirWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "perpwatch-config-"));
  writeFileSync(join(dir, "perpwatch.config.yaml"), text);
  return dir;
}

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
};

describe("loadPerpwatchConfig", () => {
  it("is all defaults without a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "perpwatch-config-"));
    expect(loadPerpwatchConfig(undefined, dir)).toEqual({ path: null, file: {} });
  });

  it("reads the sections it knows", () => {
    const dir = dirWith(
      "devnet:\n  scenario: calm\n  accounts: 50\nindexer:\n  port: 43000\nalerts:\n  receivers: {}\nexporter: false\n",
    );
    const cfg = loadPerpwatchConfig(undefined, dir);
    expect(cfg.path).toBe(join(dir, "perpwatch.config.yaml"));
    expect(cfg.file).toEqual({
      devnet: { scenario: "calm", accounts: 50 },
      indexer: { port: 43000 },
      alerts: { receivers: {} },
      exporter: false,
    });
  });

  it("names the file, the key, what was expected and what it got — in one line", () => {
    const file = (d: string) => join(d, "perpwatch.config.yaml");
    let d = dirWith("devnet:\n  accounts: lots\n");
    expect(errorOf(() => loadPerpwatchConfig(undefined, d))).toBe(
      `config ${file(d)}: key "devnet.accounts": expected number, received string (got "lots")`,
    );
    d = dirWith("devnet:\n  scenario: meltdown\n");
    expect(errorOf(() => loadPerpwatchConfig(undefined, d))).toMatch(
      /key "devnet.scenario": invalid option: expected one of .*crash-cascade.* \(got "meltdown"\)$/,
    );
    d = dirWith("indexr:\n  port: 1\n");
    expect(errorOf(() => loadPerpwatchConfig(undefined, d))).toBe(
      `config ${file(d)}: unknown key "indexr"; check the spelling`,
    );
    d = dirWith("devnet: [\n");
    expect(errorOf(() => loadPerpwatchConfig(undefined, d))).toMatch(/not valid YAML/);
    d = dirWith(
      "devnet: {}\nchain:\n  rpcUrl: http://x:8545\n  chainId: 1\n  exchange: '0x0000000000000000000000000000000000000001'\n  oracle: '0x0000000000000000000000000000000000000002'\n",
    );
    expect(errorOf(() => loadPerpwatchConfig(undefined, d))).toMatch(
      /keys "chain" and "devnet": expected one of "chain", "exchanges" or "devnet"/,
    );
    expect(errorOf(() => loadPerpwatchConfig("nope.yaml", d))).toBe(
      "config nope.yaml: no such file",
    );
    for (const m of [
      errorOf(() => loadPerpwatchConfig(undefined, dirWith("devnet:\n  port: 0\n"))),
    ]) {
      expect(m.split("\n")).toHaveLength(1);
    }
  });

  it("turns a chain section into the indexer's environment", () => {
    const d = dirWith(
      "chain:\n  rpcUrl: https://rpc.example\n  chainId: 8453\n  exchange: '0x00000000000000000000000000000000000000aa'\n  oracle: '0x00000000000000000000000000000000000000bb'\n",
    );
    const chain = loadPerpwatchConfig(undefined, d).file.chain!;
    expect(chainEnv(chain)).toEqual({
      PERPWATCH_RPC_URL: "https://rpc.example",
      PERPWATCH_CHAIN_ID: "8453",
      PERPWATCH_EXCHANGE_ADDRESS: "0x00000000000000000000000000000000000000aa",
      PERPWATCH_ORACLE_ADDRESS: "0x00000000000000000000000000000000000000bb",
      PERPWATCH_START_BLOCK: "0",
    });
  });

  it("turns an exchanges section into the indexer's PERPWATCH_EXCHANGES", () => {
    const d = dirWith(
      "exchanges:\n  - id: a\n    protocol: reference\n    chain: { id: 10, rpcUrl: http://x:1 }\n    addresses: { exchange: '0x00000000000000000000000000000000000000aa', oracle: '0x00000000000000000000000000000000000000bb' }\n",
    );
    const file = loadPerpwatchConfig(undefined, d).file;
    expect(JSON.parse(exchangesEnv(file.exchanges!).PERPWATCH_EXCHANGES!)).toEqual([
      {
        id: "a",
        protocol: "reference",
        chain: { id: 10, rpcUrl: "http://x:1" },
        addresses: {
          exchange: "0x00000000000000000000000000000000000000aa",
          oracle: "0x00000000000000000000000000000000000000bb",
        },
        startBlock: 0,
      },
    ]);
    const both = dirWith(`${"devnet: {}\n"}exchanges: []\n`);
    expect(errorOf(() => loadPerpwatchConfig(undefined, both))).toMatch(/exchanges/);
  });
});
