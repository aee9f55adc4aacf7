/**
 * Curie's contracts as Ponder sees them: one Ponder contract per role (ClearingHouse, Vault,
 * …, and the per-market pools, base tokens and price feeds as address lists), each with only
 * the events the engine reads (engine/events.ts), over every configured Curie exchange's
 * chain; and the block source that ends each block.
 *
 * Why roles and not one contract per address: the handlers and their event types are fixed
 * at compile time whatever the markets are; which exchange a log belongs to is its chain.
 * The settlement token is filtered to transfers from or to the insurance fund (its capacity
 * is its token balance), so a real USDC does not flood the index.
 */
import { createConfig } from "ponder";
import { type BlockSource, type ByChain, blockSource } from "../../ponderSources.js";
import type { Address, ExchangeConfig } from "../../protocol.js";
import { curieMarketAddresses } from "../addresses.js";
import type { CurieMarketContract } from "../devnet/manifest.js";
import { CURIE_EVENT_ABIS, type CurieContract } from "../engine/events.js";

/** Ponder's source of one role on every exchange: its address(es) from the start block. */
function source(
  exchanges: readonly ExchangeConfig[],
  pick: (x: ExchangeConfig) => Address | Address[],
) {
  const at = (x: ExchangeConfig) => ({ address: pick(x), startBlock: x.startBlock });
  const [only] = exchanges;
  if (exchanges.length === 1 && only) return { chain: only.chain.name, ...at(only) } as never;
  return { chain: Object.fromEntries(exchanges.map((x) => [x.chain.name, at(x)])) } as {
    chain: ByChain<{ address: Address | Address[]; startBlock: number }>;
  };
}

const core = (key: string) => (x: ExchangeConfig) => x.addresses[key]!;
const perMarket = (role: CurieMarketContract) => (x: ExchangeConfig) =>
  curieMarketAddresses(x.addresses, role);

/** The Ponder contract name of each engine role (unique among all protocols). */
export const PONDER_NAMES = {
  ClearingHouse: "CurieClearingHouse",
  AccountBalance: "CurieAccountBalance",
  Exchange: "CurieExchange",
  Vault: "CurieVault",
  InsuranceFund: "CurieInsuranceFund",
  CollateralManager: "CurieCollateralManager",
  MarketRegistry: "CurieMarketRegistry",
  ClearingHouseConfig: "CurieClearingHouseConfig",
  BaseToken: "CurieBaseToken",
  Pool: "CuriePool",
  Aggregator: "CurieAggregator",
  PriceFeed: "CuriePriceFeed",
  PriceFeedDispatcher: "CuriePriceFeedDispatcher",
  SettlementToken: "CurieSettlementToken",
} as const satisfies Record<CurieContract, string>;

export function curieContracts(exchanges: readonly ExchangeConfig[]) {
  const abi = CURIE_EVENT_ABIS;
  const fund = (x: ExchangeConfig) => x.addresses.insuranceFund!;
  return {
    CurieClearingHouse: { abi: abi.ClearingHouse, ...source(exchanges, core("clearingHouse")) },
    CurieAccountBalance: { abi: abi.AccountBalance, ...source(exchanges, core("accountBalance")) },
    CurieExchange: { abi: abi.Exchange, ...source(exchanges, core("exchange")) },
    CurieVault: { abi: abi.Vault, ...source(exchanges, core("vault")) },
    CurieInsuranceFund: { abi: abi.InsuranceFund, ...source(exchanges, core("insuranceFund")) },
    CurieCollateralManager: {
      abi: abi.CollateralManager,
      ...source(exchanges, core("collateralManager")),
    },
    CurieMarketRegistry: { abi: abi.MarketRegistry, ...source(exchanges, core("marketRegistry")) },
    CurieClearingHouseConfig: {
      abi: abi.ClearingHouseConfig,
      ...source(exchanges, core("clearingHouseConfig")),
    },
    CurieBaseToken: { abi: abi.BaseToken, ...source(exchanges, perMarket("baseToken")) },
    CuriePool: { abi: abi.Pool, ...source(exchanges, perMarket("pool")) },
    CurieAggregator: { abi: abi.Aggregator, ...source(exchanges, perMarket("aggregator")) },
    CuriePriceFeed: { abi: abi.PriceFeed, ...source(exchanges, perMarket("priceFeed")) },
    CuriePriceFeedDispatcher: {
      abi: abi.PriceFeedDispatcher,
      ...source(exchanges, perMarket("priceFeedDispatcher")),
    },
    CurieSettlementToken: {
      abi: abi.SettlementToken,
      ...source(exchanges, core("settlementToken")),
      // Only the insurance fund's side of the token: its balance is its capacity.
      filter: exchanges.flatMap((x) => [
        { event: "Transfer" as const, args: { from: fund(x) } },
        { event: "Transfer" as const, args: { to: fund(x) } },
      ]),
    },
  };
}

/** The block source whose events end every block (see mirror.ts `endBlock`). */
export const CURIE_BLOCK_END = "CurieBlockEnd";

export function curieBlocks(exchanges: readonly ExchangeConfig[]) {
  return { [CURIE_BLOCK_END]: blockSource(exchanges) } as { CurieBlockEnd: BlockSource };
}

/** Never called: its return type is the Ponder config the Curie handlers are typed by. */
function curieConfigShape() {
  return createConfig({
    chains: {} as ByChain<{ id: number; rpc: string }>,
    contracts: curieContracts([]),
    blocks: curieBlocks([]),
  });
}

export type CuriePonderConfig = ReturnType<typeof curieConfigShape>;
