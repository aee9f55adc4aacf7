import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { manifestSchema } from "../../../devnet/manifest.js";
import type { CurieDeployment } from "./deploy.js";
import { CURIE_CORE_CONTRACTS, curieContractsOf, toCurieManifest } from "./manifest.js";

let n = 0;
const addr = (): Address => `0x${(++n).toString(16).padStart(40, "0")}`;

const market = (symbol: string) => ({
  symbol,
  spec: { symbol, initialPrice: 1, maxTickCrossedWithinBlock: 1000 },
  baseToken: addr(),
  pool: addr(),
  aggregator: addr(),
  chainlinkPriceFeed: addr(),
  priceFeedDispatcher: addr(),
});

const deployment = {
  chainId: 31337,
  startBlock: 1,
  deployer: addr(),
  ...Object.fromEntries(CURIE_CORE_CONTRACTS.map((name) => [name, addr()])),
  markets: [market("vETH"), market("vBTC")],
} as CurieDeployment;

describe("Curie manifest", () => {
  const manifest = toCurieManifest(deployment, "http://127.0.0.1:8545");

  it("names the ClearingHouse first (the CLI's main contract), then everything the indexer needs", () => {
    expect(manifestSchema.parse(manifest)).toEqual(manifest);
    expect(manifest.protocol).toBe("curie");
    const names = Object.keys(manifest.contracts);
    expect(names[0]).toBe("clearingHouse");
    expect(names).toContain("vETH.baseToken");
    expect(names).toContain("vBTC.pool");
    expect(names).toHaveLength(CURIE_CORE_CONTRACTS.length + 2 * 5);
    expect(manifest.markets).toEqual([
      { marketId: 1, symbol: "vETH" },
      { marketId: 2, symbol: "vBTC" },
    ]);
  });

  it("reads the same addresses back by role", () => {
    const back = curieContractsOf(manifest.contracts as Record<string, Address>, ["vETH", "vBTC"]);
    expect(back.core.vault).toBe(deployment.vault);
    expect(back.markets[1]!.contracts.priceFeed).toBe(deployment.markets[1]!.chainlinkPriceFeed);
    expect(back.markets[0]!.contracts.priceFeedDispatcher).toBe(
      deployment.markets[0]!.priceFeedDispatcher,
    );
  });

  it("says which contract a manifest lacks", () => {
    const { "vBTC.pool": _, ...rest } = manifest.contracts as Record<string, Address>;
    expect(() => curieContractsOf(rest, ["vETH", "vBTC"])).toThrow(
      'curie manifest: contract "vBTC.pool" missing (expected an address)',
    );
  });
});
