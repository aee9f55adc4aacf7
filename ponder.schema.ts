/**
 * The normalized state of a perpetual-futures exchange, as Ponder tables.
 *
 * Why this shape: protocol plugins (protocols/<name>/, one folder each) map their events
 * onto one model — markets, oracle prices, cross-margin accounts, positions, and the loss
 * waterfall (liquidations, insurance fund, bad debt, ADL) — so the API, alerts and dashboards
 * never see a protocol's own event layout. Current state lives in keyed tables that handlers
 * update in place; history lives in append-only tables keyed by Ponder's event id (unique and
 * ordered), each with a block index because "what happened between blocks a and b" is the
 * question every consumer asks. Every row names its exchange (`exchanges[].id` in the
 * configuration), so one Perpwatch indexes several exchanges on several chains into one set
 * of tables; keys and indexes lead with it. Every on-chain amount is a `bigint` column (NUMERIC(78,0)) in
 * the contract's own unit (D18 for prices, sizes and USD): never a float.
 *
 * `mirror_check` is the indexer's self-check: a row for every field where the exact mirror
 * (the protocol's exact engine) disagreed with what the chain emitted. It is empty when the mirror is right.
 */
import { index, onchainTable, primaryKey } from "ponder";

/**
 * One row per indexed exchange, keyed by its configured id (`exchanges[].id`): which protocol,
 * which chain and contract, and exchange-wide scalars. Every other row names its exchange.
 */
export const exchange = onchainTable("exchange", (t) => ({
  id: t.text().primaryKey(),
  protocol: t.text().notNull(),
  chainId: t.integer().notNull(),
  address: t.hex().notNull(),
  maxPriceAge: t.bigint().notNull(),
  /** The insurance fund's current balance (its ledger is `insurance_fund_update`). */
  insuranceFund: t.bigint().notNull(),
  accountCount: t.bigint().notNull(),
  marketCount: t.bigint().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

/** Markets: parameters, latest oracle price, funding checkpoint, open interest, bad debt. */
export const market = onchainTable(
  "market",
  (t) => ({
    exchange: t.text().notNull(),
    /** The protocol's market id (any uint128; sparse on real protocols). */
    marketId: t.bigint().notNull(),
    symbol: t.text().notNull(),
    skewScale: t.bigint().notNull(),
    maxFundingVelocity: t.bigint().notNull(),
    imrScalar: t.bigint().notNull(),
    imrMin: t.bigint().notNull(),
    mmScalar: t.bigint().notNull(),
    minPositionMargin: t.bigint().notNull(),
    takerFee: t.bigint().notNull(),
    keeperRewardRatio: t.bigint().notNull(),
    maxKeeperReward: t.bigint().notNull(),
    liquidationPenaltyRatio: t.bigint().notNull(),
    maxOpenInterest: t.bigint().notNull(),
    /** Latest oracle price (D18) and its publish time (0 before the first price). */
    price: t.bigint().notNull(),
    priceTime: t.bigint().notNull(),
    /** Net size (long − short), and open interest per side, in units of the asset (D18). */
    skew: t.bigint().notNull(),
    sizeLong: t.bigint().notNull(),
    sizeShort: t.bigint().notNull(),
    /** Funding checkpoint: rate per day, velocity from the current skew, index, time. */
    fundingRate: t.bigint().notNull(),
    fundingVelocity: t.bigint().notNull(),
    fundingIndex: t.bigint().notNull(),
    fundingTime: t.bigint().notNull(),
    /** Bad debt recorded in this market and not yet absorbed by ADL (USD, D18). */
    /** The protocol's own funding growth at `updatedBlock`, when it has one (Perp v2:
     *  `twPremiumX96` of the global funding growth). */
    fundingGrowth: t.bigint(),
    /** The market's pool liquidity when liquidations trade against one (Perp v2): the
     *  venue curve as text (engine/risk/liquidityCurve.ts). */
    liquidity: t.text(),
    badDebt: t.bigint().notNull(),
    createdBlock: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.exchange, table.marketId] }) }),
);

/** The oracle's latest price per market id (it may publish ids no market has yet). */
export const oraclePrice = onchainTable(
  "oracle_price",
  (t) => ({
    exchange: t.text().notNull(),
    marketId: t.bigint().notNull(),
    price: t.bigint().notNull(),
    publishTime: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.exchange, table.marketId] }) }),
);

/** Every oracle price push. */
export const priceUpdate = onchainTable(
  "price_update",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    marketId: t.bigint().notNull(),
    price: t.bigint().notNull(),
    publishTime: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    marketBlockIdx: index().on(table.exchange, table.marketId, table.blockNumber),
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/** Funding history: the market's funding state after every touch. */
export const fundingUpdate = onchainTable(
  "funding_update",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    marketId: t.bigint().notNull(),
    price: t.bigint().notNull(),
    skew: t.bigint().notNull(),
    fundingRate: t.bigint().notNull(),
    fundingVelocity: t.bigint().notNull(),
    fundingIndex: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    marketBlockIdx: index().on(table.exchange, table.marketId, table.blockNumber),
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/**
 * Cross-margin accounts: owner, collateral and which markets they hold. Health (equity,
 * margins, liquidatable) is not stored: it moves with every price and funding tick, so the API
 * computes it at the block it serves, with the exchange's risk model.
 */
export const account = onchainTable(
  "account",
  (t) => ({
    exchange: t.text().notNull(),
    accountId: t.bigint().notNull(),
    owner: t.hex().notNull(),
    collateral: t.bigint().notNull(),
    /** Bitmap of markets with an open position (bit marketId − 1). */
    openMarkets: t.bigint().notNull(),
    createdBlock: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.exchange, table.accountId] }),
    ownerIdx: index().on(table.exchange, table.owner),
  }),
);

/** Positions, one per (account, market); a closed position stays with size 0. */
export const position = onchainTable(
  "position",
  (t) => ({
    exchange: t.text().notNull(),
    accountId: t.bigint().notNull(),
    marketId: t.bigint().notNull(),
    size: t.bigint().notNull(),
    /** Price the position was last realized at (its entry for PnL). */
    lastPrice: t.bigint().notNull(),
    lastFundingIndex: t.bigint().notNull(),
    /** Quote balance, for protocols that account positions by it (engine/risk/book.ts). */
    quoteBalance: t.bigint(),
    /** The protocol's own funding growth the position last settled at, when its funding is
     *  not the normalized index's (Perp v2: `lastTwPremiumGrowthGlobalX96`). */
    fundingGrowth: t.bigint(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.exchange, table.accountId, table.marketId] }),
    marketIdx: index().on(table.exchange, table.marketId, table.size),
  }),
);

/** Every position modification: trades, liquidation closes and ADL fills. */
export const positionChange = onchainTable(
  "position_change",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    accountId: t.bigint().notNull(),
    marketId: t.bigint().notNull(),
    /** "trade" | "liquidation" | "adl". */
    kind: t.text().notNull(),
    sizeDelta: t.bigint().notNull(),
    newSize: t.bigint().notNull(),
    fillPrice: t.bigint().notNull(),
    realizedPnl: t.bigint().notNull(),
    realizedFunding: t.bigint().notNull(),
    fee: t.bigint().notNull(),
    newCollateral: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    accountIdx: index().on(table.exchange, table.accountId, table.blockNumber),
    marketBlockIdx: index().on(table.exchange, table.marketId, table.blockNumber),
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/** Deposits and withdrawals. */
export const collateralChange = onchainTable(
  "collateral_change",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    accountId: t.bigint().notNull(),
    amountDelta: t.bigint().notNull(),
    newCollateral: t.bigint().notNull(),
    sender: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    accountIdx: index().on(table.exchange, table.accountId, table.blockNumber),
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/** Liquidations with their waterfall: keeper reward, penalty, fund cover, bad debt. */
export const liquidation = onchainTable(
  "liquidation",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    accountId: t.bigint().notNull(),
    liquidator: t.hex().notNull(),
    equity: t.bigint().notNull(),
    maintenanceMargin: t.bigint().notNull(),
    notional: t.bigint().notNull(),
    keeperReward: t.bigint().notNull(),
    penaltyToInsurance: t.bigint().notNull(),
    insuranceCovered: t.bigint().notNull(),
    badDebt: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    accountIdx: index().on(table.exchange, table.accountId, table.blockNumber),
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/** ADL fills: a profitable counterparty closed at the bankruptcy price. */
export const adlEvent = onchainTable(
  "adl_event",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    bankruptAccountId: t.bigint().notNull(),
    counterpartyAccountId: t.bigint().notNull(),
    marketId: t.bigint().notNull(),
    sizeDelta: t.bigint().notNull(),
    bankruptcyPrice: t.bigint().notNull(),
    lossAbsorbed: t.bigint().notNull(),
    /** The bankrupt side of the record the fill absorbed. */
    isLong: t.boolean().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    bankruptIdx: index().on(table.exchange, table.bankruptAccountId),
    counterpartyIdx: index().on(table.exchange, table.counterpartyAccountId),
    marketBlockIdx: index().on(table.exchange, table.marketId, table.blockNumber),
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/**
 * Pending bad debt per (bankrupt account, market, side): the ADL record — the bankrupt-side
 * size still to be closed and the loss still to be absorbed. Zero once ADL has absorbed it.
 */
export const badDebt = onchainTable(
  "bad_debt",
  (t) => ({
    exchange: t.text().notNull(),
    accountId: t.bigint().notNull(),
    marketId: t.bigint().notNull(),
    /** The bankrupt side the record is for. */
    isLong: t.boolean().notNull(),
    size: t.bigint().notNull(),
    debt: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({
      columns: [table.exchange, table.accountId, table.marketId, table.isLong],
    }),
    marketIdx: index().on(table.exchange, table.marketId),
  }),
);

/** Every change of a bad-debt record (on liquidation and after each ADL call). */
export const badDebtUpdate = onchainTable(
  "bad_debt_update",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    accountId: t.bigint().notNull(),
    marketId: t.bigint().notNull(),
    isLong: t.boolean().notNull(),
    recordSize: t.bigint().notNull(),
    recordDebt: t.bigint().notNull(),
    marketBadDebt: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    accountIdx: index().on(table.exchange, table.accountId, table.marketId),
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/** The insurance fund's ledger: every credit and debit with the balance after it. */
export const insuranceFundUpdate = onchainTable(
  "insurance_fund_update",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    delta: t.bigint().notNull(),
    newBalance: t.bigint().notNull(),
    /** "fee" | "penalty" | "bad_debt_cover" | "deposit". */
    reason: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/**
 * Where the mirror disagreed with the chain: one row per event field (or per event, for a
 * missing/unexpected event or a predicted revert). Values are decimal strings or names.
 */
export const mirrorCheck = onchainTable(
  "mirror_check",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    eventId: t.text().notNull(),
    eventName: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
    field: t.text().notNull(),
    chainValue: t.text().notNull(),
    mirrorValue: t.text().notNull(),
  }),
  (table) => ({
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

/**
 * The indexer's own bookmark: the last block whose logs the in-memory mirror applied, per
 * exchange (its configured id). The mirror compares it with its memory at every new block; a difference means
 * Ponder reverted or replayed something (a reorg, a retried batch, a restart), and the
 * mirror reloads its state from the tables. Not part of the exchange's model.
 */
/**
 * A protocol's exact engine state as of a recent block (a snapshot, taken every few hundred
 * blocks), for mirrors whose state the normalized tables cannot rebuild (Perp v2's pools,
 * growth maps and price-feed caches): after a restart or a reorg the mirror reloads it and
 * replays `mirror_journal` from there. Text (protocols/curie/indexer/stateCodec.ts).
 */
export const mirrorState = onchainTable("mirror_state", (t) => ({
  exchange: t.text().primaryKey(),
  blockNumber: t.bigint().notNull(),
  blockHash: t.hex().notNull(),
  state: t.text().notNull(),
}));

/** The logs such a mirror applied, one row per block (`logIndex`: how many), to replay after
 *  its last snapshot. */
export const mirrorJournal = onchainTable(
  "mirror_journal",
  (t) => ({
    exchange: t.text().notNull(),
    id: t.text().primaryKey(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    event: t.text().notNull(),
  }),
  (table) => ({
    blockIdx: index().on(table.exchange, table.blockNumber),
  }),
);

export const mirrorCursor = onchainTable("mirror_cursor", (t) => ({
  exchange: t.text().primaryKey(),
  blockNumber: t.bigint().notNull(),
  blockHash: t.hex().notNull(),
}));
