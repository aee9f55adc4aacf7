/**
 * The plain data the exact engine takes and returns, shared by the indexer and the API.
 *
 * Why a file of its own: these shapes are the contract between components (an indexer stores
 * them, an API serves them, the engine transforms them), so they are interfaces of bigint,
 * number and string only — no classes, no hidden state, nothing that cannot be copied or
 * compared field by field. Every on-chain quantity is a bigint exactly as the contract holds
 * it (D18 where the contract is D18); ids and timestamps are bigint because they are uint256
 * on chain. Field names follow the Solidity structs, events and errors, so a value decoded by
 * viem from the chain and the engine's value can be compared key by key.
 */

/** A 20-byte address, lowercase hex. */
export type Address = `0x${string}`;

// ------------------------------------------------------------------ state

export interface MarketParams {
  skewScale: bigint;
  maxFundingVelocity: bigint;
  imrScalar: bigint;
  imrMin: bigint;
  mmScalar: bigint;
  minPositionMargin: bigint;
  takerFee: bigint;
  keeperRewardRatio: bigint;
  maxKeeperReward: bigint;
  liquidationPenaltyRatio: bigint;
  maxOpenInterest: bigint;
}

/** `PerpExchange.MarketState`: skew, open interest per side, the funding checkpoint, bad debt. */
export interface MarketState {
  skew: bigint;
  sizeLong: bigint;
  sizeShort: bigint;
  lastFundingRate: bigint;
  lastFundingIndex: bigint;
  lastFundingTime: bigint;
  badDebt: bigint;
}

export interface Market {
  marketId: bigint;
  symbol: string;
  params: MarketParams;
  state: MarketState;
}

/** An open position: signed size, the price and funding index it was last realized at. */
export interface Position {
  size: bigint;
  lastPrice: bigint;
  lastFundingIndex: bigint;
}

/**
 * Bad debt a bankrupt account left on one side of one market: the closed (bankrupt-side)
 * size and the debt. A pending record always has a size (its sign is the side).
 */
export interface AdlRecord {
  size: bigint;
  debt: bigint;
}

export interface Account {
  accountId: bigint;
  owner: Address;
  collateral: bigint;
  /** Bitmap of markets with an open position: bit `marketId - 1`. */
  openMarkets: bigint;
  /** Open positions only (size ≠ 0), keyed by decimal market id. */
  positions: Readonly<Record<string, Position>>;
  /**
   * Non-zero ADL records of this account as the bankrupt side, one per (market, side), keyed
   * by `adlKey(marketId, isLong)` (`"<market id>:long"` / `"<market id>:short"`).
   */
  adlRecords: Readonly<Record<string, AdlRecord>>;
}

export interface OraclePrice {
  price: bigint;
  publishTime: bigint;
}

/** The `PriceOracle` contract: owner, authorised updaters, one price per market id. */
export interface OracleState {
  owner: Address;
  updaters: Readonly<Record<string, boolean>>;
  /** Keyed by decimal market id; prices may exist for ids no market has yet. */
  prices: Readonly<Record<string, OraclePrice>>;
}

/**
 * The whole mirrored exchange. `markets[i]` is market `i + 1`. `accounts` must hold every
 * account an operation touches (a partial map is fine for anything else).
 */
export interface ExchangeState {
  /** The exchange contract's address (the token reverts name it when it cannot pay). */
  address: Address;
  owner: Address;
  maxPriceAge: bigint;
  insuranceFund: bigint;
  accountCount: bigint;
  markets: readonly Market[];
  accounts: Readonly<Record<string, Account>>;
  oracle: OracleState;
  /** The exchange's balance of the collateral token: payouts above it revert in the token. */
  tokenBalance: bigint;
}

/** `PerpExchange.Health`: equity and margins at oracle prices and funding as of now. */
export interface Health {
  equity: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
  notional: bigint;
}

// ------------------------------------------------------------------ enums as on chain

export const PositionChange = { Trade: 0, Liquidation: 1, Adl: 2 } as const;
export type PositionChange = (typeof PositionChange)[keyof typeof PositionChange];

export const InsuranceReason = { Fee: 0, Penalty: 1, BadDebtCover: 2, Deposit: 3 } as const;
export type InsuranceReason = (typeof InsuranceReason)[keyof typeof InsuranceReason];

// ------------------------------------------------------------------ events

/** Arguments of every event the exchange and its oracle emit, named as in the ABI. */
export interface EventArgs {
  AccountCreated: { accountId: bigint; owner: Address };
  MarketCreated: { marketId: bigint; symbol: string };
  MarketParamsSet: { marketId: bigint } & MarketParams;
  MaxPriceAgeSet: { maxPriceAge: bigint };
  CollateralModified: {
    accountId: bigint;
    amountDelta: bigint;
    newCollateral: bigint;
    sender: Address;
  };
  FundingUpdated: {
    marketId: bigint;
    price: bigint;
    skew: bigint;
    fundingRate: bigint;
    fundingVelocity: bigint;
    fundingIndex: bigint;
    timestamp: bigint;
  };
  PositionModified: {
    accountId: bigint;
    marketId: bigint;
    kind: PositionChange;
    sizeDelta: bigint;
    newSize: bigint;
    fillPrice: bigint;
    realizedPnl: bigint;
    realizedFunding: bigint;
    fee: bigint;
    newCollateral: bigint;
  };
  AccountLiquidated: {
    accountId: bigint;
    liquidator: Address;
    equity: bigint;
    maintenanceMargin: bigint;
    notional: bigint;
    keeperReward: bigint;
    penaltyToInsurance: bigint;
    insuranceCovered: bigint;
    badDebt: bigint;
  };
  BadDebtRecorded: {
    accountId: bigint;
    marketId: bigint;
    recordSize: bigint;
    recordDebt: bigint;
    marketBadDebt: bigint;
    isLong: boolean;
  };
  InsuranceFundUpdated: { delta: bigint; newBalance: bigint; reason: InsuranceReason };
  PositionAutoDeleveraged: {
    bankruptAccountId: bigint;
    counterpartyAccountId: bigint;
    marketId: bigint;
    sizeDelta: bigint;
    bankruptcyPrice: bigint;
    lossAbsorbed: bigint;
    /** The bankrupt side of the record absorbed (fills may close no size). */
    isLong: boolean;
  };
  /** Emitted by the oracle contract. */
  PriceUpdated: { marketId: bigint; price: bigint; publishTime: bigint };
  /** Emitted by the oracle contract. */
  UpdaterSet: { updater: Address; allowed: boolean };
}

export type EventName = keyof EventArgs;

export type ExchangeEvent = {
  [K in EventName]: { name: K; args: EventArgs[K] };
}[EventName];

/** Which contract emits each event. */
export const EVENT_CONTRACT: Record<EventName, "PerpExchange" | "PriceOracle"> = {
  AccountCreated: "PerpExchange",
  MarketCreated: "PerpExchange",
  MarketParamsSet: "PerpExchange",
  MaxPriceAgeSet: "PerpExchange",
  CollateralModified: "PerpExchange",
  FundingUpdated: "PerpExchange",
  PositionModified: "PerpExchange",
  AccountLiquidated: "PerpExchange",
  BadDebtRecorded: "PerpExchange",
  InsuranceFundUpdated: "PerpExchange",
  PositionAutoDeleveraged: "PerpExchange",
  PriceUpdated: "PriceOracle",
  UpdaterSet: "PriceOracle",
};

// ------------------------------------------------------------------ errors

/**
 * Arguments of every way an operation can fail, named as in the ABI: the exchange's and the
 * oracle's custom errors, the collateral token's revert when it cannot pay, Solidity's
 * `Panic(code)` (0x11 overflow, 0x12 division by zero), and `InvalidInput` for input that no
 * transaction could carry (not an ABI value, or an id out of range).
 */
export interface ErrorArgs {
  NotOwner: Record<string, never>;
  AccountNotFound: { accountId: bigint };
  NotAccountOwner: { accountId: bigint; caller: Address };
  MarketNotFound: { marketId: bigint };
  TooManyMarkets: Record<string, never>;
  InvalidMarketParams: { field: number };
  ZeroAmount: Record<string, never>;
  AmountTooLarge: { amount: bigint };
  ZeroSizeDelta: Record<string, never>;
  NoPrice: { marketId: bigint };
  StalePrice: { marketId: bigint; publishTime: bigint };
  InvalidFillPrice: { fillPrice: bigint };
  MaxOpenInterestExceeded: { marketId: bigint; sizeLong: bigint; sizeShort: bigint };
  InsufficientMargin: { equity: bigint; initialMargin: bigint };
  InsufficientCollateral: { collateral: bigint; amount: bigint };
  NotLiquidatable: { equity: bigint; maintenanceMargin: bigint };
  NoPendingBadDebt: { accountId: bigint; marketId: bigint; isLong: boolean };
  NotOppositeSide: { accountId: bigint };
  NotInProfit: { accountId: bigint; pnl: bigint };
  TransferFailed: Record<string, never>;
  NotUpdater: { caller: Address };
  ZeroPrice: { marketId: bigint };
  LengthMismatch: Record<string, never>;
  InsufficientBalance: { account: Address; balance: bigint; needed: bigint };
  Panic: { code: bigint };
  InvalidInput: { field: string; reason: string };
}

export type ErrorName = keyof ErrorArgs;

/** A predicted revert: the error's name and arguments, and a sentence saying why. */
export type EngineError = {
  [K in ErrorName]: { name: K; args: ErrorArgs[K]; message: string };
}[ErrorName];

// ------------------------------------------------------------------ operations

/** The block an operation is mined in, as far as the contract can see it. */
export interface Context {
  /** `block.timestamp`, seconds. */
  timestamp: bigint;
  /** `msg.sender`. */
  sender: Address;
}

export type OpResult =
  | { ok: true; state: ExchangeState; events: ExchangeEvent[] }
  | { ok: false; error: EngineError };

export type ViewResult<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export interface CreateMarketInput {
  symbol: string;
  params: MarketParams;
}
export interface SetMarketParamsInput {
  marketId: bigint;
  params: MarketParams;
}
export interface SetMaxPriceAgeInput {
  maxPriceAge: bigint;
}
export interface DepositInsuranceFundInput {
  amount: bigint;
}
export type CreateAccountInput = Record<string, never>;
export interface ModifyCollateralInput {
  accountId: bigint;
  amountDelta: bigint;
}
export interface ModifyPositionInput {
  accountId: bigint;
  marketId: bigint;
  sizeDelta: bigint;
}
export interface LiquidateInput {
  accountId: bigint;
}
export interface AutoDeleverageInput {
  bankruptAccountId: bigint;
  marketId: bigint;
  /** The bankrupt side whose record is absorbed (counterparties are on the other side). */
  isLong: boolean;
  counterparties: readonly bigint[];
}
export interface SetPriceInput {
  marketId: bigint;
  price: bigint;
}
export interface SetPricesInput {
  marketIds: readonly bigint[];
  prices: readonly bigint[];
}
export interface SetUpdaterInput {
  updater: Address;
  allowed: boolean;
}

/** Every state-changing call, as one tagged value (what an indexer or a replay feeds in). */
export type Operation =
  | ({ kind: "createMarket" } & CreateMarketInput)
  | ({ kind: "setMarketParams" } & SetMarketParamsInput)
  | ({ kind: "setMaxPriceAge" } & SetMaxPriceAgeInput)
  | ({ kind: "depositInsuranceFund" } & DepositInsuranceFundInput)
  | { kind: "createAccount" }
  | ({ kind: "modifyCollateral" } & ModifyCollateralInput)
  | ({ kind: "modifyPosition" } & ModifyPositionInput)
  | ({ kind: "liquidate" } & LiquidateInput)
  | ({ kind: "autoDeleverage" } & AutoDeleverageInput)
  | ({ kind: "setPrice" } & SetPriceInput)
  | ({ kind: "setPrices" } & SetPricesInput)
  | ({ kind: "setUpdater" } & SetUpdaterInput);

export type OperationKind = Operation["kind"];
