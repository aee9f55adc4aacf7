/**
 * Curie's contracts exactly as published: the Hardhat artifacts (`abi`, creation `bytecode`)
 * shipped in `@perp/curie-contract`, `@perp/perp-oracle-contract` and `@uniswap/v3-core`,
 * read from node_modules as they are. Nothing is recompiled, linked or patched (none of them
 * has library link references), so what runs on the devnet is the bytecode Perp built.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Abi, Hex } from "viem";

export interface Artifact {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
}

const PACKAGES = {
  curie: "@perp/curie-contract",
  oracle: "@perp/perp-oracle-contract",
  uniswap: "@uniswap/v3-core",
} as const;

const require = createRequire(import.meta.url);
const cache = new Map<string, Artifact>();

/** `artifacts/contracts/<Name>.sol/<Name>.json` of one of the three packages. */
export function loadArtifact(pkg: keyof typeof PACKAGES, name: string): Artifact {
  const key = `${pkg}:${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const path = require.resolve(`${PACKAGES[pkg]}/artifacts/contracts/${name}.sol/${name}.json`);
  const json = JSON.parse(readFileSync(path, "utf8")) as {
    contractName: string;
    abi: Abi;
    bytecode: Hex;
    linkReferences?: Record<string, unknown>;
  };
  if (json.linkReferences && Object.keys(json.linkReferences).length > 0) {
    throw new Error(`${key}: artifact needs library linking, which this deployer does not do`);
  }
  const artifact = { contractName: json.contractName, abi: json.abi, bytecode: json.bytecode };
  cache.set(key, artifact);
  return artifact;
}

/** Every contract the devnet deploys or talks to, by the name Curie gives it. */
export const curie = {
  ClearingHouseConfig: () => loadArtifact("curie", "ClearingHouseConfig"),
  QuoteToken: () => loadArtifact("curie", "QuoteToken"),
  BaseToken: () => loadArtifact("curie", "BaseToken"),
  MarketRegistry: () => loadArtifact("curie", "MarketRegistry"),
  OrderBook: () => loadArtifact("curie", "OrderBook"),
  AccountBalance: () => loadArtifact("curie", "AccountBalance"),
  Exchange: () => loadArtifact("curie", "Exchange"),
  InsuranceFund: () => loadArtifact("curie", "InsuranceFund"),
  Vault: () => loadArtifact("curie", "Vault"),
  CollateralManager: () => loadArtifact("curie", "CollateralManager"),
  ClearingHouse: () => loadArtifact("curie", "ClearingHouse"),
  ChainlinkPriceFeedV3: () => loadArtifact("oracle", "ChainlinkPriceFeedV3"),
  PriceFeedDispatcher: () => loadArtifact("oracle", "PriceFeedDispatcher"),
  UniswapV3Factory: () => loadArtifact("uniswap", "UniswapV3Factory"),
  UniswapV3Pool: () => loadArtifact("uniswap", "UniswapV3Pool"),
};
