/**
 * The decoded events the Curie engine consumes, as one discriminated union.
 *
 * Why hand-written signatures: the package artifacts are JSON (not `as const`), so viem cannot
 * type their arguments. Each signature below is the event exactly as the package's ABI declares
 * it (events.test.ts checks every one against the shipped artifact, topic by topic), so the
 * types are derived from the real ABIs while staying literal. `decodeCurieLog` decodes a raw log
 * of a known contract role into a `CurieEvent`.
 */
import {
  type AbiEvent,
  type Address,
  type DecodeEventLogReturnType,
  decodeEventLog,
  type Hex,
  parseAbi,
} from "viem";

/** Every event the engine reads, by the role of the contract that emits it. */
export const CURIE_EVENT_ABIS = {
  ClearingHouse: parseAbi([
    "event PositionChanged(address indexed trader, address indexed baseToken, int256 exchangedPositionSize, int256 exchangedPositionNotional, uint256 fee, int256 openNotional, int256 realizedPnl, uint256 sqrtPriceAfterX96)",
    "event PositionLiquidated(address indexed trader, address indexed baseToken, uint256 positionNotional, uint256 positionSize, uint256 liquidationFee, address liquidator)",
    "event FundingPaymentSettled(address indexed trader, address indexed baseToken, int256 fundingPayment)",
    "event LiquidityChanged(address indexed maker, address indexed baseToken, address indexed quoteToken, int24 lowerTick, int24 upperTick, int256 base, int256 quote, int128 liquidity, uint256 quoteFee)",
    "event PositionClosed(address indexed trader, address indexed baseToken, int256 closedPositionSize, int256 closedPositionNotional, int256 openNotional, int256 realizedPnl, uint256 closedPrice)",
    "event ReferredPositionChanged(bytes32 indexed referralCode)",
  ]),
  AccountBalance: parseAbi(["event PnlRealized(address indexed trader, int256 amount)"]),
  Exchange: parseAbi([
    "event FundingUpdated(address indexed baseToken, uint256 marketTwap, uint256 indexTwap)",
    "event MaxTickCrossedWithinBlockChanged(address indexed baseToken, uint24 maxTickCrossedWithinBlock)",
  ]),
  Vault: parseAbi([
    "event Deposited(address indexed collateralToken, address indexed trader, uint256 amount)",
    "event Withdrawn(address indexed collateralToken, address indexed trader, uint256 amount)",
    "event BadDebtSettled(address indexed trader, uint256 amount)",
    "event CollateralLiquidated(address indexed trader, address indexed collateralToken, address indexed liquidator, uint256 collateral, uint256 repaidSettlementWithoutInsuranceFundFeeX10_S, uint256 insuranceFundFeeX10_S, uint24 discountRatio)",
  ]),
  InsuranceFund: parseAbi([
    "event Repaid(uint256 repaidAmount, uint256 tokenBalanceAfterRepaid)",
    "event FeeDistributed(uint256 surplus, uint256 insuranceFundCapacity, uint256 insuranceFundFreeCollateral, uint256 distributionThreshold)",
  ]),
  CollateralManager: parseAbi([
    "event CollateralAdded(address indexed token, address priceFeed, uint24 collateralRatio, uint24 discountRatio, uint256 depositCap)",
  ]),
  MarketRegistry: parseAbi([
    "event PoolAdded(address indexed baseToken, uint24 indexed feeRatio, address indexed pool)",
    "event FeeRatioChanged(address baseToken, uint24 feeRatio)",
    "event InsuranceFundFeeRatioChanged(address baseToken, uint24 feeRatio)",
    "event FeeDiscountRatioChanged(address indexed trader, uint24 discountRatio)",
    "event MarketMaxPriceSpreadRatioChanged(address indexed baseToken, uint24 spreadRatio)",
    "event MaxOrdersPerMarketChanged(uint8 maxOrdersPerMarket)",
  ]),
  ClearingHouseConfig: parseAbi([
    "event LiquidationPenaltyRatioChanged(uint24 liquidationPenaltyRatio)",
    "event MarkPriceMarketTwapIntervalChanged(uint32 twapInterval)",
    "event MarkPricePremiumIntervalChanged(uint32 premiumInterval)",
    "event MaxFundingRateChanged(uint24 rate)",
    "event MaxMarketsPerAccountChanged(uint8 maxMarketsPerAccount)",
    "event PartialCloseRatioChanged(uint24 partialCloseRatio)",
    "event SettlementTokenBalanceCapChanged(uint256 cap)",
    "event TwapIntervalChanged(uint256 twapInterval)",
  ]),
  BaseToken: parseAbi([
    "event StatusUpdated(uint8 indexed status)",
    "event PriceFeedChanged(address indexed priceFeed)",
  ]),
  Pool: parseAbi([
    "event Initialize(uint160 sqrtPriceX96, int24 tick)",
    "event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)",
    "event Mint(address sender, address indexed owner, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount, uint256 amount0, uint256 amount1)",
    "event Burn(address indexed owner, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount, uint256 amount0, uint256 amount1)",
    "event IncreaseObservationCardinalityNext(uint16 observationCardinalityNextOld, uint16 observationCardinalityNextNew)",
  ]),
  /** The Chainlink-style aggregator behind a ChainlinkPriceFeedV3 (ours: MockAggregatorV3). */
  Aggregator: parseAbi([
    "event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)",
  ]),
  /** ChainlinkPriceFeedV3: the feed's price cache (it emits on every new round it caches). */
  PriceFeed: parseAbi([
    "event ChainlinkPriceUpdated(uint256 price, uint256 timestamp, uint8 freezedReason)",
  ]),
  PriceFeedDispatcher: parseAbi([
    "event StatusUpdated(uint8 status)",
    "event UniswapV3PriceFeedUpdated(address uniswapV3PriceFeed)",
  ]),
  /** The settlement token (ERC20): only transfers to or from the InsuranceFund matter. */
  SettlementToken: parseAbi([
    "event Transfer(address indexed from, address indexed to, uint256 value)",
  ]),
} as const;

export type CurieContract = keyof typeof CURIE_EVENT_ABIS;

/** Where a log sits on the chain: the engine orders by (block, logIndex). */
export interface CurieEventPosition {
  /** The emitting contract. */
  address: Address;
  block: { number: bigint; timestamp: bigint };
  /** Index of the transaction in its block: the events of one call share it. */
  transactionIndex: number;
  logIndex: number;
}

type DecodedOf<C extends CurieContract> = DecodeEventLogReturnType<(typeof CURIE_EVENT_ABIS)[C]>;

/** One decoded event of contract role `C`: `name` and `args` as viem decodes them. */
export type CurieEventOf<C extends CurieContract> =
  DecodedOf<C> extends infer D
    ? D extends { eventName: infer N; args: infer A }
      ? { contract: C; name: N; args: A } & CurieEventPosition
      : never
    : never;

export type CurieEvent = { [C in CurieContract]: CurieEventOf<C> }[CurieContract];

/** The event `name` of contract `C`, narrowed. */
export type CurieEventNamed<C extends CurieContract, N extends string> = Extract<
  CurieEventOf<C>,
  { name: N }
>;

/** The ABI fragment of one event, for filters and topics. */
export function curieEventAbi(contract: CurieContract, name: string): AbiEvent {
  const hit = (CURIE_EVENT_ABIS[contract] as readonly AbiEvent[]).find((e) => e.name === name);
  if (!hit) throw new Error(`curie events: ${contract} has no event ${name} in CURIE_EVENT_ABIS`);
  return hit;
}

/** A raw log as viem and Ponder give it. */
export interface RawLog {
  address: Address;
  topics: [Hex, ...Hex[]] | [];
  data: Hex;
  logIndex: number;
  transactionIndex: number;
}

/**
 * Decodes `log` as an event of `contract`; undefined when the log is not one of the events the
 * engine reads (e.g. an ERC20 Approval, a pool Collect).
 */
export function decodeCurieLog(
  contract: CurieContract,
  log: RawLog,
  block: { number: bigint; timestamp: bigint },
): CurieEvent | undefined {
  let decoded: { eventName: string; args: unknown };
  try {
    decoded = decodeEventLog({
      abi: CURIE_EVENT_ABIS[contract],
      topics: log.topics,
      data: log.data,
    }) as { eventName: string; args: unknown };
  } catch {
    return undefined;
  }
  return {
    contract,
    name: decoded.eventName,
    args: decoded.args,
    address: log.address,
    block,
    transactionIndex: log.transactionIndex,
    logIndex: log.logIndex,
  } as CurieEvent;
}
