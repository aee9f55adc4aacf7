/**
 * A Curie deployment as the devnet manifest names it (devnet/manifest.ts `contracts` is a flat
 * record of named addresses). The CLI shows the first entry as the main contract, so the
 * ClearingHouse comes first; then every protocol-wide contract by its Curie name in camelCase;
 * then, per market, `<symbol>.<role>` — e.g. `vETH.baseToken`, `vETH.pool`,
 * `vETH.aggregator` (the Chainlink-style round source), `vETH.priceFeed`
 * (ChainlinkPriceFeedV3) and `vETH.priceFeedDispatcher` (what the BaseToken reads).
 * `curieContractsOf` reads the same names back, so the two directions cannot drift apart.
 */
import type { Address } from "viem";
import type { Manifest } from "../../../devnet/manifest.js";
import type { CurieDeployment } from "./deploy.js";

/** Protocol-wide contracts, in manifest order (the ClearingHouse first: the main contract). */
export const CURIE_CORE_CONTRACTS = [
  "clearingHouse",
  "vault",
  "accountBalance",
  "exchange",
  "orderBook",
  "insuranceFund",
  "marketRegistry",
  "clearingHouseConfig",
  "collateralManager",
  "quoteToken",
  "settlementToken",
  "uniswapV3Factory",
] as const;
export type CurieCoreContract = (typeof CURIE_CORE_CONTRACTS)[number];

/** Per-market contracts, named `<symbol>.<role>` in the manifest. */
export const CURIE_MARKET_CONTRACTS = [
  "baseToken",
  "pool",
  "aggregator",
  "priceFeed",
  "priceFeedDispatcher",
] as const;
export type CurieMarketContract = (typeof CURIE_MARKET_CONTRACTS)[number];

/** The ChainlinkPriceFeedV3 timeout deployCurie uses by default: the manifest's max price age. */
const PRICE_FEED_TIMEOUT = 86_400;

export function curieManifestContracts(d: CurieDeployment): Record<string, Address> {
  const contracts: Record<string, Address> = {};
  for (const name of CURIE_CORE_CONTRACTS) contracts[name] = d[name];
  for (const m of d.markets) {
    const byRole: Record<CurieMarketContract, Address> = {
      baseToken: m.baseToken,
      pool: m.pool,
      aggregator: m.aggregator,
      priceFeed: m.chainlinkPriceFeed,
      priceFeedDispatcher: m.priceFeedDispatcher,
    };
    for (const role of CURIE_MARKET_CONTRACTS) contracts[`${m.symbol}.${role}`] = byRole[role];
  }
  return contracts;
}

export function toCurieManifest(
  d: CurieDeployment,
  rpcUrl: string,
  genesisTimestamp = 0,
): Manifest {
  return {
    version: 1,
    protocol: "curie",
    chainId: d.chainId,
    rpcUrl,
    startBlock: d.startBlock,
    genesisTimestamp,
    contracts: curieManifestContracts(d),
    markets: d.markets.map((m, i) => ({ marketId: i + 1, symbol: m.symbol })),
    maxPriceAge: PRICE_FEED_TIMEOUT,
    deployedAt: new Date().toISOString(),
  };
}

export interface CurieManifestContracts {
  core: Record<CurieCoreContract, Address>;
  markets: { symbol: string; contracts: Record<CurieMarketContract, Address> }[];
}

/** The manifest's Curie addresses, by role; a missing one is one clear error. */
export function curieContractsOf(
  contracts: Readonly<Record<string, Address>>,
  symbols: readonly string[],
): CurieManifestContracts {
  const need = (key: string): Address => {
    const a = contracts[key];
    if (!a) throw new Error(`curie manifest: contract "${key}" missing (expected an address)`);
    return a;
  };
  const core = Object.fromEntries(CURIE_CORE_CONTRACTS.map((n) => [n, need(n)])) as Record<
    CurieCoreContract,
    Address
  >;
  const markets = symbols.map((symbol) => ({
    symbol,
    contracts: Object.fromEntries(
      CURIE_MARKET_CONTRACTS.map((r) => [r, need(`${symbol}.${r}`)]),
    ) as Record<CurieMarketContract, Address>,
  }));
  return { core, markets };
}
