/**
 * Deploys Perpetual Protocol v2 ("Curie") on a devnet from the unmodified bytecode its npm
 * packages ship (see artifacts.ts), with viem through the devnet's TxSigner / BlockProducer,
 * so it works on a manual-mining anvil: every transaction of a phase is signed with a locally
 * tracked nonce (contract addresses follow from the deployer's nonces) and the phase is mined
 * as one block. Two phases: (1) contracts, initialisation, wiring, virtual-token mints and the
 * Uniswap pools; (2) — once the pools' addresses can be read from the factory — pool
 * initialisation at the oracle price, whitelists, `MarketRegistry.addPool`, per-market
 * configuration and the first price-feed update.
 *
 * The order is the one in shared/CURIE-NOTES.md, where each constraint was checked; the
 * comments at each step say which check in the Solidity it satisfies.
 */
import {
  type Abi,
  type Address,
  encodeDeployData,
  getContractAddress,
  type Hash,
  parseUnits,
} from "viem";
import { type BlockProducer, type ChainClient, TxSigner } from "../../../devnet/chain.js";
import { ANVIL_KEYS } from "../../../devnet/keys.js";
import {
  mockAggregatorV3Abi,
  mockAggregatorV3Bytecode,
  mockSettlementTokenAbi,
  mockSettlementTokenBytecode,
} from "../contracts/generated/index.js";
import { type Artifact, curie } from "./artifacts.js";
import { aggregatorAnswer, sqrtPriceX96At, tickRange } from "./prices.js";

/** One Curie market: a BaseToken priced by its own Chainlink-style feed, and its pool. */
export interface CurieMarketSpec {
  /** The virtual base token's symbol, as Perp names them (vETH, vBTC, ...). */
  symbol: string;
  /** The oracle's first answer and the pool's initial price, USD per base. */
  initialPrice: number;
  /**
   * Ticks the pool may cross within one block (`Exchange.setMaxTickCrossedWithinBlock`).
   * 0 — the contract default — pauses the market: every swap reverts `EX_MIP`.
   */
  maxTickCrossedWithinBlock: number;
}

/**
 * vETH and vBTC at round prices. maxTickCrossedWithinBlock 1000 ticks is a devnet choice,
 * not a mainnet value: 1.0001^1000 ≈ +10.5 % per block, enough for a simulator to move the
 * market within a few blocks yet still exercising the limit (`EX_OPLAS` past it).
 */
export const DEFAULT_CURIE_MARKETS: readonly CurieMarketSpec[] = [
  { symbol: "vETH", initialPrice: 3000, maxTickCrossedWithinBlock: 1000 },
  { symbol: "vBTC", initialPrice: 60000, maxTickCrossedWithinBlock: 1000 },
];

/**
 * Uniswap fee tier of every pool. Curie keys a market by (base token, Uniswap fee) and ignores
 * the Uniswap fee for trading (it charges `MarketRegistry` fee ratios instead, see FEE_RATIO);
 * Perp v2's mainnet pools are believed to be 0.3 % pools (not re-checked). Tick spacing 60.
 */
export const UNISWAP_FEE = 3000;
export const TICK_SPACING = 60;

/**
 * Exchange fee ratio (1e6 = 100 %): 0.1 %, the trading fee Perp v2 documents for its main
 * markets (not re-checked against chain state). `MarketRegistry.addPool` copies the Uniswap fee (0.3 %) here; this overrides it.
 */
export const FEE_RATIO = 1000;
/**
 * Share of the exchange fee that goes to the insurance fund (1e6 = 100 %). A devnet choice
 * (10 %): the contract default is 0, so without it the fund would only grow from liquidation
 * penalties; Perp's mainnet ratio was not checked here.
 */
export const INSURANCE_FUND_FEE_RATIO = 100_000;

export interface CurieDeployOptions {
  markets?: readonly CurieMarketSpec[];
  /**
   * Uniswap oracle slots per pool (`increaseObservationCardinalityNext`). Curie's mark price
   * takes a 30-minute market TWAP, which needs one observation per block that traded within
   * those 30 minutes; each slot costs ~22 k gas once (500 cost ~11 M), added in steps of
   * CARDINALITY_STEP. 100 covers the window for trades every 18 s or slower; the devnet
   * binding asks for one slot per block of the window (binding.ts observationCardinalityFor).
   */
  observationCardinality?: number;
  /** USD (settlement token) minted to the InsuranceFund at deployment. */
  insuranceFund?: number;
  /** `ClearingHouseConfig.setSettlementTokenBalanceCap`, USD. The default of 0 blocks every deposit. */
  settlementTokenBalanceCap?: number;
  /**
   * ChainlinkPriceFeedV3 timeout, seconds: past it without a new round the feed reports
   * timed out. Long on a devnet so time jumps in tests do not freeze prices.
   */
  priceFeedTimeout?: number;
}

export interface CurieMarket {
  symbol: string;
  spec: CurieMarketSpec;
  baseToken: Address;
  pool: Address;
  aggregator: Address;
  chainlinkPriceFeed: Address;
  priceFeedDispatcher: Address;
}

export interface CurieDeployment {
  chainId: number;
  startBlock: number;
  deployer: Address;
  settlementToken: Address;
  uniswapV3Factory: Address;
  clearingHouseConfig: Address;
  quoteToken: Address;
  marketRegistry: Address;
  orderBook: Address;
  accountBalance: Address;
  exchange: Address;
  insuranceFund: Address;
  vault: Address;
  collateralManager: Address;
  clearingHouse: Address;
  markets: CurieMarket[];
}

const DEPLOY_GAS = 12_000_000n;
/** Observation slots added per `increaseObservationCardinalityNext` (~22 k gas each). */
const CARDINALITY_STEP = 400;
const CALL_GAS = 1_000_000n;
const AGGREGATOR_DECIMALS = 8;
/** ClearingHouseConfig's mark-price market TWAP (30 min), the longest window Curie observes. */
const MARK_TWAP_WINDOW = 1800;
/** ChainlinkPriceFeedV3's cached-TWAP window: 15 min, the ClearingHouseConfig TWAP interval. */
const PRICE_FEED_TWAP_INTERVAL = 900n;

/**
 * CollateralManager parameters (1e6 = 100 %). The devnet deposits only the settlement token, so
 * none of them is exercised yet; the values are those of Perp's own ClearingHouse test fixture
 * (perp-curie-contract test/clearingHouse/fixtures.ts): 5 collateral tokens per account, debt
 * up to 75 % of non-settlement collateral value, 50 % liquidation ratio, 0.2 % mm-ratio
 * buffer, 3 % insurance-fund fee on collateral liquidations, 10 000 USD debt threshold, 500 USD
 * collateral dust.
 */
const COLLATERAL_MANAGER = {
  maxCollateralTokensPerAccount: 5,
  debtNonSettlementTokenValueRatio: 750_000,
  liquidationRatio: 500_000,
  mmRatioBuffer: 2_000,
  clInsuranceFundFeeRatio: 30_000,
  debtThreshold: 10_000,
  collateralValueDust: 500,
};

/** Markets one account may hold at once; the contract default is 255. A devnet choice. */
const MAX_MARKETS_PER_ACCOUNT = 10;

export async function deployCurie(
  client: ChainClient,
  producer: BlockProducer,
  opts: CurieDeployOptions = {},
): Promise<CurieDeployment> {
  const specs = opts.markets ?? DEFAULT_CURIE_MARKETS;
  const usd = (n: number) => parseUnits(String(n), 18);
  const deployer = new TxSigner(client, ANVIL_KEYS.deployer);
  await deployer.syncNonce();
  const nextAddress = () =>
    getContractAddress({ from: deployer.address, nonce: BigInt(deployer.nextNonce) });
  const hashes: Hash[] = [];

  /** Sends a creation transaction; returns the address it will have. */
  async function create(a: Artifact, args?: readonly unknown[]): Promise<Address> {
    const address = nextAddress();
    const data = encodeDeployData({ abi: a.abi, bytecode: a.bytecode, args } as never);
    hashes.push(await deployer.sendData(undefined, data, DEPLOY_GAS));
    return address;
  }
  async function call(
    to: Address,
    abi: Abi,
    fn: string,
    args: readonly unknown[] = [],
    gas = CALL_GAS,
  ) {
    hashes.push(await deployer.write(to, abi, fn as never, args as never, gas));
  }
  /** Spends a nonce on a no-op self-transfer, to move the next contract address. */
  async function skipNonce() {
    hashes.push(await deployer.sendData(deployer.address, "0x", 21_000n));
  }

  const A = {
    config: curie.ClearingHouseConfig(),
    quote: curie.QuoteToken(),
    base: curie.BaseToken(),
    registry: curie.MarketRegistry(),
    orderBook: curie.OrderBook(),
    accountBalance: curie.AccountBalance(),
    exchange: curie.Exchange(),
    insuranceFund: curie.InsuranceFund(),
    vault: curie.Vault(),
    collateralManager: curie.CollateralManager(),
    clearingHouse: curie.ClearingHouse(),
    feed: curie.ChainlinkPriceFeedV3(),
    dispatcher: curie.PriceFeedDispatcher(),
    factory: curie.UniswapV3Factory(),
  };

  // ── Phase 1 ──────────────────────────────────────────────────────────────────────────
  // Settlement token and Uniswap factory.
  const settlementToken = nextAddress();
  hashes.push(await deployer.sendData(undefined, mockSettlementTokenBytecode, DEPLOY_GAS));
  const uniswapV3Factory = await create(A.factory);

  // Oracles: aggregator (8 decimals, like Chainlink's USD feeds) → ChainlinkPriceFeedV3 →
  // PriceFeedDispatcher (the BaseToken's price feed; reports 18 decimals).
  const oracles: { aggregator: Address; feed: Address; dispatcher: Address }[] = [];
  for (const m of specs) {
    const aggregator = nextAddress();
    hashes.push(
      await deployer.sendData(
        undefined,
        encodeDeployData({
          abi: mockAggregatorV3Abi,
          bytecode: mockAggregatorV3Bytecode,
          args: [AGGREGATOR_DECIMALS, `${m.symbol.slice(1)} / USD`],
        }),
        DEPLOY_GAS,
      ),
    );
    await call(aggregator, mockAggregatorV3Abi, "pushAnswer", [
      aggregatorAnswer(m.initialPrice, AGGREGATOR_DECIMALS),
    ]);
    const feed = await create(A.feed, [
      aggregator,
      BigInt(opts.priceFeedTimeout ?? 86_400),
      PRICE_FEED_TWAP_INTERVAL,
    ]);
    const dispatcher = await create(A.dispatcher, [feed]);
    oracles.push({ aggregator, feed, dispatcher });
  }

  // ClearingHouseConfig: initialize() sets IM 10 %, MM 6.25 %, liquidation penalty 2.5 %,
  // max funding rate 10 %, TWAP 15 min, mark-price market TWAP 30 min, premium 15 min (the
  // contract's defaults; the IM/MM ratios are those Perp's v2 docs state) and a
  // settlement-token balance cap of 0.
  const clearingHouseConfig = await create(A.config);
  await call(clearingHouseConfig, A.config.abi, "initialize");

  // Curie requires base = token0 and quote = token1 in every pool, i.e. every base token's
  // address numerically below the quote token's (`MarketRegistry.addPool` reverts `MR_IB`).
  // Addresses follow from nonces: give the quote token a high one, then skip any nonce whose
  // address would put a base token above it. Deterministic for a given deployer and nonce.
  while (BigInt(nextAddress()) < 0xc000000000000000000000000000000000000000n) await skipNonce();
  const quoteToken = await create(A.quote);
  await call(quoteToken, A.quote.abi, "initialize", ["Perp Virtual USD", "vUSD"]);
  const baseTokens: Address[] = [];
  for (const [i, m] of specs.entries()) {
    while (BigInt(nextAddress()) >= BigInt(quoteToken)) await skipNonce();
    const base = await create(A.base);
    await call(base, A.base.abi, "initialize", [
      `Perp Virtual ${m.symbol.slice(1)}`,
      m.symbol,
      oracles[i]!.dispatcher,
    ]);
    baseTokens.push(base);
  }

  // Core contracts, bare (no proxies: `initialize` works on the implementation itself).
  const marketRegistry = await create(A.registry);
  await call(marketRegistry, A.registry.abi, "initialize", [uniswapV3Factory, quoteToken]);
  const orderBook = await create(A.orderBook);
  await call(orderBook, A.orderBook.abi, "initialize", [marketRegistry]);
  const accountBalance = await create(A.accountBalance);
  await call(accountBalance, A.accountBalance.abi, "initialize", [clearingHouseConfig, orderBook]);
  const exchange = await create(A.exchange);
  await call(exchange, A.exchange.abi, "initialize", [
    marketRegistry,
    orderBook,
    clearingHouseConfig,
  ]);
  const insuranceFund = await create(A.insuranceFund);
  await call(insuranceFund, A.insuranceFund.abi, "initialize", [settlementToken]);
  // Vault reads the settlement token (and its decimals) from the insurance fund.
  const vault = await create(A.vault);
  await call(vault, A.vault.abi, "initialize", [
    insuranceFund,
    clearingHouseConfig,
    accountBalance,
    exchange,
  ]);
  const cm = COLLATERAL_MANAGER;
  const collateralManager = await create(A.collateralManager);
  await call(collateralManager, A.collateralManager.abi, "initialize", [
    clearingHouseConfig,
    vault,
    cm.maxCollateralTokensPerAccount,
    cm.debtNonSettlementTokenValueRatio,
    cm.liquidationRatio,
    cm.mmRatioBuffer,
    cm.clInsuranceFundFeeRatio,
    usd(cm.debtThreshold),
    usd(cm.collateralValueDust),
  ]);
  // ClearingHouse after Exchange: its initialize calls Exchange.getOrderBook().
  const clearingHouse = await create(A.clearingHouse);
  await call(clearingHouse, A.clearingHouse.abi, "initialize", [
    clearingHouseConfig,
    vault,
    quoteToken,
    uniswapV3Factory,
    exchange,
    accountBalance,
    insuranceFund,
  ]);

  // Wiring.
  await call(orderBook, A.orderBook.abi, "setExchange", [exchange]);
  await call(exchange, A.exchange.abi, "setAccountBalance", [accountBalance]);
  await call(accountBalance, A.accountBalance.abi, "setVault", [vault]);
  await call(insuranceFund, A.insuranceFund.abi, "setVault", [vault]);
  await call(vault, A.vault.abi, "setCollateralManager", [collateralManager]);
  for (const [to, a] of [
    [marketRegistry, A.registry],
    [orderBook, A.orderBook],
    [accountBalance, A.accountBalance],
    [exchange, A.exchange],
    [vault, A.vault],
  ] as const) {
    await call(to, a.abi, "setClearingHouse", [clearingHouse]);
  }
  await call(clearingHouseConfig, A.config.abi, "setSettlementTokenBalanceCap", [
    usd(opts.settlementTokenBalanceCap ?? 1_000_000_000),
  ]);
  await call(clearingHouseConfig, A.config.abi, "setMaxMarketsPerAccount", [
    MAX_MARKETS_PER_ACCOUNT,
  ]);

  // Virtual tokens: the ClearingHouse holds the whole supply of each and may move it.
  await call(quoteToken, A.quote.abi, "mintMaximumTo", [clearingHouse]);
  await call(quoteToken, A.quote.abi, "addWhitelist", [clearingHouse]);
  for (const base of baseTokens) {
    await call(base, A.base.abi, "mintMaximumTo", [clearingHouse]);
    await call(base, A.base.abi, "addWhitelist", [clearingHouse]);
    await call(
      uniswapV3Factory,
      A.factory.abi,
      "createPool",
      [base, quoteToken, UNISWAP_FEE],
      6_000_000n,
    );
  }

  // Insurance fund seed: settlement tokens held by the fund (250 000 USD by default).
  const seed = usd(opts.insuranceFund ?? 250_000);
  if (seed > 0n) await call(settlementToken, mockSettlementTokenAbi, "mint", [insuranceFund, seed]);

  const phase1 = await producer.settle(hashes.splice(0), "curie deploy (contracts)");
  const startBlock = Number(phase1[0]!.blockNumber);

  // ── Phase 2 ──────────────────────────────────────────────────────────────────────────
  const markets: CurieMarket[] = [];
  const cardinality = opts.observationCardinality ?? 100;
  for (const [i, spec] of specs.entries()) {
    const base = baseTokens[i]!;
    const pool = (await client.public.readContract({
      address: uniswapV3Factory,
      abi: A.factory.abi,
      functionName: "getPool",
      args: [base, quoteToken, UNISWAP_FEE],
    })) as Address;
    const poolAbi = curie.UniswapV3Pool().abi;
    // Pool price = token1 / token0 = quote per base = the oracle's USD price.
    await call(pool, poolAbi, "initialize", [sqrtPriceX96At(spec.initialPrice)]);
    // In steps of at most CARDINALITY_STEP slots, so no transaction nears a per-tx gas cap.
    for (let next = Math.min(cardinality, CARDINALITY_STEP); ; next += CARDINALITY_STEP) {
      const target = Math.min(next, cardinality);
      await call(
        pool,
        poolAbi,
        "increaseObservationCardinalityNext",
        [target],
        BigInt(Math.min(target, CARDINALITY_STEP)) * 30_000n + 200_000n,
      );
      if (target === cardinality) break;
    }
    await call(base, A.base.abi, "addWhitelist", [pool]);
    await call(quoteToken, A.quote.abi, "addWhitelist", [pool]);
    // addPool checks: the ClearingHouse holds max supply of both tokens and is whitelisted on
    // both, the pool exists, is initialised and is whitelisted on both, base < quote.
    await call(marketRegistry, A.registry.abi, "addPool", [base, UNISWAP_FEE]);
    await call(marketRegistry, A.registry.abi, "setFeeRatio", [base, FEE_RATIO]);
    await call(marketRegistry, A.registry.abi, "setInsuranceFundFeeRatio", [
      base,
      INSURANCE_FUND_FEE_RATIO,
    ]);
    // Must follow addPool (it requires the market to exist); at 0 the market is paused.
    await call(exchange, A.exchange.abi, "setMaxTickCrossedWithinBlock", [
      base,
      spec.maxTickCrossedWithinBlock,
    ]);
    // Cache the first price (reverts CPF_NU unless the aggregator has a round not yet cached).
    await call(oracles[i]!.feed, A.feed.abi, "update");
    markets.push({
      symbol: spec.symbol,
      spec,
      baseToken: base,
      pool,
      aggregator: oracles[i]!.aggregator,
      chainlinkPriceFeed: oracles[i]!.feed,
      priceFeedDispatcher: oracles[i]!.dispatcher,
    });
  }
  await producer.settle(hashes.splice(0), "curie deploy (markets)");

  // Warm-up: Curie reads 30-minute market TWAPs from the pools (mark price, and the price checks
  // of addLiquidity / openPosition), and Uniswap's `observe` reverts `OLD` for a window that
  // starts before the pool was initialised. On mainnet the pools were long-lived; here the next
  // block is put MARK_TWAP_WINDOW seconds after the pools' first one.
  if (producer.manual) {
    await producer.mine(MARK_TWAP_WINDOW);
  } else {
    await client.rpc("evm_increaseTime", [MARK_TWAP_WINDOW]);
    await client.rpc("evm_mine");
  }

  return {
    chainId: client.chain.id,
    startBlock,
    deployer: deployer.address,
    settlementToken,
    uniswapV3Factory,
    clearingHouseConfig,
    quoteToken,
    marketRegistry,
    orderBook,
    accountBalance,
    exchange,
    insuranceFund,
    vault,
    collateralManager,
    clearingHouse,
    markets,
  };
}

/** Tick range of a maker order around `price`, ±`width` (e.g. 0.2 = ±20 %), on the pool's spacing. */
export function makerTicks(price: number, width: number): { lowerTick: number; upperTick: number } {
  return tickRange(price * (1 - width), price * (1 + width), TICK_SPACING);
}
