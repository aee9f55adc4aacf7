import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Manifest, readManifest, writeManifest } from "./manifest.js";

const good: Manifest = {
  version: 1,
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  startBlock: 1,
  genesisTimestamp: 0,
  contracts: {
    exchange: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    oracle: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    collateralToken: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    lens: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  },
  markets: [{ marketId: 1, symbol: "BTC" }],
  maxPriceAge: 60,
  deployedAt: "2026-01-01T00:00:00.000Z",
};

describe("deployment manifest", () => {
  const dir = mkdtempSync(join(tmpdir(), "perpwatch-manifest-"));

  it("round-trips", () => {
    const path = join(dir, "m.json");
    writeManifest(path, good);
    expect(readManifest(path)).toEqual(good);
  });

  it("names the bad key and what was expected, in one line", () => {
    const path = join(dir, "bad.json");
    writeFileSync(
      path,
      JSON.stringify({ ...good, contracts: { ...good.contracts, exchange: "0x12" } }),
    );
    expect(() => readManifest(path)).toThrow(
      /^manifest .*bad\.json: key "contracts\.exchange" a 0x-prefixed 20-byte hex address$/,
    );
  });

  it("says when the file is missing", () => {
    expect(() => readManifest(join(dir, "nope.json"))).toThrow(
      /cannot read it .*run the devnet first/,
    );
  });
});
