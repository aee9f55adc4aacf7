/**
 * Which of the indexer's history tables the exporter streams into ClickHouse, and how a row
 * of Ponder's generated GraphQL becomes a ClickHouse row.
 *
 * Why a declarative list: the exporter reads every event table the same way (by block
 * range, paginated), digests them the same way (reorg detection) and writes them the same
 * way; only the field list and the column mapping differ, and they sit here side by side
 * with the DDL in migrations/0010_history_at_scale.sql (the `ev_*` tables).
 *
 * Every event row names a market: its own, or for account-level events the market the same
 * transaction traded (`batchMarkets`): a liquidation's is the market it closed the most
 * notional in, an insurance-fund fee's the market of the trade that paid it; 0 / '' where an
 * event is of no market (collateral moves, mirror checks).
 */
import { mulD } from "../../engine/analytics/d18.js";
import { blockTimeOfEventId, d18 } from "./values.js";

/** A row as Ponder's GraphQL returns it: bigints as decimal strings, integers as numbers. */
export type PonderRow = Record<string, string | number | boolean | null>;

export interface RowContext {
  chainId: number;
  /** The exchange's configured id (`exchanges[].id`), which the rows read all name. */
  exchange: string;
  /** Market symbols by decimal market id (from the `market` table). */
  symbols: ReadonlyMap<string, string>;
  /** Markets of this batch's transactions (`batchMarkets`); none: every such event of no market. */
  txMarkets?: TxMarkets;
}

/** Per transaction: the market a liquidation closed most in (by account), and the first traded. */
export interface TxMarkets {
  liquidated: ReadonlyMap<string, string>;
  traded: ReadonlyMap<string, string>;
}

/** The markets of a batch's transactions, from its position changes (Ponder rows). */
export function batchMarkets(positionChanges: readonly PonderRow[]): TxMarkets {
  const liquidated = new Map<string, string>();
  const largest = new Map<string, bigint>();
  const traded = new Map<string, string>();
  for (const r of positionChanges) {
    const tx = str(r.txHash);
    const market = str(r.marketId);
    if (!traded.has(tx)) traded.set(tx, market);
    if (r.kind !== "liquidation") continue;
    const key = `${tx}:${str(r.accountId)}`;
    const n = mulD(abs(big(r.sizeDelta)), big(r.fillPrice));
    if (n >= (largest.get(key) ?? -1n)) {
      largest.set(key, n);
      liquidated.set(key, market);
    }
  }
  return { liquidated, traded };
}

/** `[market_id, symbol]` of a market id ('' or undefined: of no market). */
function marketOf(id: string | undefined, ctx: RowContext): [number, string] {
  if (id === undefined || id === "") return [0, ""];
  return [Number(id), ctx.symbols.get(id) ?? `#${id}`];
}

export interface EventTableSpec {
  /** Plural query of Ponder's generated GraphQL (`<ts table name>s`). */
  graphql: string;
  /** Target table in ClickHouse. */
  table: string;
  /** Fields read (each is a column of the Ponder table); every spec has `blockNumber`. */
  fields: readonly string[];
  /** The field holding the Ponder event id (checkpoint): `id` unless said otherwise. */
  idField?: string;
  /** ClickHouse columns after the common ones (BASE_COLUMNS), in `values` order. */
  columns: readonly string[];
  /** This table's values of one row, in `columns` order. */
  values(r: PonderRow, ctx: RowContext): unknown[];
}

/** Columns every event table starts with. */
export const BASE_COLUMNS = [
  "chain_id",
  "exchange",
  "block_number",
  "log_index",
  "block_time",
  "event_id",
] as const;

/**
 * A Ponder row as the ClickHouse row's values, in `[...BASE_COLUMNS, ...spec.columns]` order.
 * Arrays rather than objects: this runs for every exported row, and building objects by
 * spreading was most of the exporter's CPU time.
 */
export function toValues(spec: EventTableSpec, r: PonderRow, ctx: RowContext): unknown[] {
  const id = str(r[spec.idField ?? "id"]);
  return [
    ctx.chainId,
    ctx.exchange,
    str(r.blockNumber),
    Number(r.logIndex),
    blockTimeOfEventId(id),
    id,
    ...spec.values(r, ctx),
  ];
}

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const big = (v: unknown): bigint => BigInt(str(v) || "0");
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

const symbol = (r: PonderRow, ctx: RowContext) =>
  ctx.symbols.get(str(r.marketId)) ?? `#${str(r.marketId)}`;

export const EVENT_TABLES: readonly EventTableSpec[] = [
  {
    graphql: "positionChanges",
    table: "ev_trades",
    fields: [
      "id",
      "accountId",
      "marketId",
      "kind",
      "sizeDelta",
      "newSize",
      "fillPrice",
      "realizedPnl",
      "realizedFunding",
      "fee",
      "newCollateral",
      "blockNumber",
      "logIndex",
      "txHash",
    ],
    columns: [
      "tx_hash",
      "account_id",
      "market_id",
      "symbol",
      "kind",
      "size_delta",
      "new_size",
      "fill_price",
      "notional",
      "realized_pnl",
      "realized_funding",
      "fee",
      "new_collateral",
    ],
    values: (r, ctx) => [
      str(r.txHash),
      str(r.accountId),
      Number(r.marketId),
      symbol(r, ctx),
      str(r.kind),
      d18(str(r.sizeDelta)),
      d18(str(r.newSize)),
      d18(str(r.fillPrice)),
      d18(mulD(abs(big(r.sizeDelta)), big(r.fillPrice))), // the traded notional, |size|·price
      d18(str(r.realizedPnl)),
      d18(str(r.realizedFunding)),
      d18(str(r.fee)),
      d18(str(r.newCollateral)),
    ],
  },
  {
    graphql: "liquidations",
    table: "ev_liquidations",
    fields: [
      "id",
      "accountId",
      "liquidator",
      "equity",
      "maintenanceMargin",
      "notional",
      "keeperReward",
      "penaltyToInsurance",
      "insuranceCovered",
      "badDebt",
      "blockNumber",
      "logIndex",
      "txHash",
    ],
    columns: [
      "tx_hash",
      "account_id",
      "market_id",
      "symbol",
      "liquidator",
      "equity",
      "maintenance_margin",
      "notional",
      "keeper_reward",
      "penalty_to_insurance",
      "insurance_covered",
      "bad_debt",
    ],
    values: (r, ctx) => [
      str(r.txHash),
      str(r.accountId),
      ...marketOf(ctx.txMarkets?.liquidated.get(`${str(r.txHash)}:${str(r.accountId)}`), ctx),
      str(r.liquidator),
      d18(str(r.equity)),
      d18(str(r.maintenanceMargin)),
      d18(str(r.notional)),
      d18(str(r.keeperReward)),
      d18(str(r.penaltyToInsurance)),
      d18(str(r.insuranceCovered)),
      d18(str(r.badDebt)),
    ],
  },
  {
    graphql: "adlEvents",
    table: "ev_adl",
    fields: [
      "id",
      "bankruptAccountId",
      "counterpartyAccountId",
      "marketId",
      "sizeDelta",
      "bankruptcyPrice",
      "lossAbsorbed",
      "blockNumber",
      "logIndex",
      "txHash",
    ],
    columns: [
      "tx_hash",
      "bankrupt_account_id",
      "counterparty_account_id",
      "market_id",
      "symbol",
      "size_delta",
      "bankruptcy_price",
      "loss_absorbed",
    ],
    values: (r, ctx) => [
      str(r.txHash),
      str(r.bankruptAccountId),
      str(r.counterpartyAccountId),
      Number(r.marketId),
      symbol(r, ctx),
      d18(str(r.sizeDelta)),
      d18(str(r.bankruptcyPrice)),
      d18(str(r.lossAbsorbed)),
    ],
  },
  {
    graphql: "fundingUpdates",
    table: "ev_funding",
    fields: [
      "id",
      "marketId",
      "price",
      "skew",
      "fundingRate",
      "fundingVelocity",
      "fundingIndex",
      "timestamp",
      "blockNumber",
      "logIndex",
    ],
    columns: [
      "market_id",
      "symbol",
      "price",
      "skew",
      "funding_rate",
      "funding_velocity",
      "funding_index",
      "funding_time",
    ],
    values: (r, ctx) => [
      Number(r.marketId),
      symbol(r, ctx),
      d18(str(r.price)),
      d18(str(r.skew)),
      d18(str(r.fundingRate)),
      d18(str(r.fundingVelocity)),
      d18(str(r.fundingIndex)),
      Number(big(r.timestamp)),
    ],
  },
  {
    graphql: "priceUpdates",
    table: "ev_oracle_prices",
    fields: ["id", "marketId", "price", "publishTime", "blockNumber", "logIndex"],
    columns: ["market_id", "symbol", "price", "publish_time"],
    values: (r, ctx) => [
      Number(r.marketId),
      symbol(r, ctx),
      d18(str(r.price)),
      Number(big(r.publishTime)),
    ],
  },
  {
    graphql: "insuranceFundUpdates",
    table: "ev_insurance_fund",
    fields: ["id", "delta", "newBalance", "reason", "blockNumber", "logIndex", "txHash"],
    columns: ["tx_hash", "market_id", "symbol", "delta", "new_balance", "reason"],
    values: (r, ctx) => [
      str(r.txHash),
      ...marketOf(ctx.txMarkets?.traded.get(str(r.txHash)), ctx),
      d18(str(r.delta)),
      d18(str(r.newBalance)),
      str(r.reason),
    ],
  },
  {
    graphql: "collateralChanges",
    table: "ev_collateral",
    fields: [
      "id",
      "accountId",
      "amountDelta",
      "newCollateral",
      "sender",
      "blockNumber",
      "logIndex",
      "txHash",
    ],
    columns: ["tx_hash", "account_id", "amount_delta", "new_collateral", "sender"],
    values: (r) => [
      str(r.txHash),
      str(r.accountId),
      d18(str(r.amountDelta)),
      d18(str(r.newCollateral)),
      str(r.sender),
    ],
  },
  {
    graphql: "badDebtUpdates",
    table: "ev_bad_debt",
    fields: [
      "id",
      "accountId",
      "marketId",
      "recordSize",
      "recordDebt",
      "marketBadDebt",
      "blockNumber",
      "logIndex",
      "txHash",
    ],
    columns: [
      "tx_hash",
      "account_id",
      "market_id",
      "symbol",
      "record_size",
      "record_debt",
      "market_bad_debt",
    ],
    values: (r, ctx) => [
      str(r.txHash),
      str(r.accountId),
      Number(r.marketId),
      symbol(r, ctx),
      d18(str(r.recordSize)),
      d18(str(r.recordDebt)),
      d18(str(r.marketBadDebt)),
    ],
  },
  {
    graphql: "mirrorChecks",
    table: "ev_mirror_divergences",
    fields: [
      "id",
      "eventId",
      "eventName",
      "field",
      "chainValue",
      "mirrorValue",
      "blockNumber",
      "logIndex",
      "txHash",
    ],
    idField: "eventId",
    columns: ["field", "tx_hash", "event_name", "chain_value", "mirror_value"],
    values: (r) => [
      str(r.field),
      str(r.txHash),
      str(r.eventName),
      str(r.chainValue),
      str(r.mirrorValue),
    ],
  },
];
