/**
 * One risk snapshot: the book at the indexed head, run through engine/analytics, as the rows
 * of the snapshot tables (migrations/0002_snapshots.sql).
 *
 * Why computed in the worker: the history a risk team charts — open interest, skew, funding,
 * liquidation ladders, cascade amplification at the standard shocks, insurance-fund cover,
 * the account-health histogram, the riskiest accounts — is not in any event; it is the
 * analytics of the state at a block. The state comes from the indexer's current tables
 * (markets, accounts with open positions, positions), the time is the head block's, and
 * everything here is a pure function of that input, so a test can check it on a handmade
 * book. Float figures are estimates (analytics); exact amounts (the insurance fund, pending
 * bad debt) are kept as exact decimals.
 */
import {
  type BookInput,
  buildPositionStore,
  liquidationLadders,
  markExposure,
  prepareCascade,
  runCascade,
} from "../../engine/analytics/index.js";
import {
  type Account,
  fundingNow,
  fundingVelocity,
  type Market,
  type OraclePrice,
  type Position,
} from "../../protocols/reference/engine/index.js";
import type { PonderRow } from "./eventTables.js";
import { d18, finite } from "./values.js";

/** Correlated shocks (by beta, on the first market) every snapshot runs a cascade for. */
export const STANDARD_SHOCKS: readonly number[] = [-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2];
/** "Liquidatable within" levels of the market rows. */
const WITHIN = [0.01, 0.03, 0.05, 0.1] as const;

/** Account-health buckets by margin ratio MM/equity (accounts with open positions only). */
export const HEALTH_BUCKETS: readonly { label: string; below: number }[] = [
  { label: "< 25%", below: 0.25 },
  { label: "25–50%", below: 0.5 },
  { label: "50–75%", below: 0.75 },
  { label: "75–90%", below: 0.9 },
  { label: "90–100%", below: 1 },
  { label: "liquidatable", below: Number.POSITIVE_INFINITY },
  { label: "underwater", below: Number.NaN },
];

/** The indexer's current state, as read from Ponder's GraphQL. */
export interface BookRows {
  exchange: PonderRow | undefined;
  markets: readonly PonderRow[];
  /** Accounts with at least one open position. */
  accounts: readonly PonderRow[];
  /** Positions with size ≠ 0. */
  positions: readonly PonderRow[];
  /** Every account the exchange has (with or without positions). */
  accountCount: number;
  mirrorDivergences: number;
}

export interface SnapshotAt {
  chainId: number;
  /** The exchange's configured id (`exchanges[].id`). */
  exchange: string;
  block: number;
  /** Block timestamp, seconds. */
  timestamp: number;
  snapshotId: string;
}

export interface SnapshotOptions {
  ladderMaxMove: number;
  ladderStep: number;
  topAccounts: number;
  shocks?: readonly number[];
}

type Row = Record<string, unknown>;

export interface SnapshotRows {
  /** The `snapshots` row without status, version and basis (the exporter adds them). */
  header: Row;
  markets: Row[];
  ladder: Row[];
  cascades: Row[];
  health: Row[];
  accounts: Row[];
}

const big = (v: PonderRow[string] | undefined): bigint =>
  v === null || v === undefined || v === "" ? 0n : BigInt(String(v));
const num = (v: bigint): number => Number(v) / 1e18;

function marketOf(r: PonderRow): Market {
  return {
    marketId: big(r.marketId),
    symbol: String(r.symbol),
    params: {
      skewScale: big(r.skewScale),
      maxFundingVelocity: big(r.maxFundingVelocity),
      imrScalar: big(r.imrScalar),
      imrMin: big(r.imrMin),
      mmScalar: big(r.mmScalar),
      minPositionMargin: big(r.minPositionMargin),
      takerFee: big(r.takerFee),
      keeperRewardRatio: big(r.keeperRewardRatio),
      maxKeeperReward: big(r.maxKeeperReward),
      liquidationPenaltyRatio: big(r.liquidationPenaltyRatio),
      maxOpenInterest: big(r.maxOpenInterest),
    },
    state: {
      skew: big(r.skew),
      sizeLong: big(r.sizeLong),
      sizeShort: big(r.sizeShort),
      lastFundingRate: big(r.fundingRate),
      lastFundingIndex: big(r.fundingIndex),
      lastFundingTime: big(r.fundingTime),
      badDebt: big(r.badDebt),
    },
  };
}

/** The engine's plain book from the indexer's rows at block time `timestamp`. */
export function bookFromRows(rows: BookRows, timestamp: number): BookInput {
  const markets = [...rows.markets].map(marketOf).sort((a, b) => Number(a.marketId - b.marketId));
  const prices: Record<string, OraclePrice> = {};
  for (const r of rows.markets) {
    prices[String(r.marketId)] = { price: big(r.price), publishTime: big(r.priceTime) };
  }
  const positions = new Map<string, Record<string, Position>>();
  for (const p of rows.positions) {
    if (big(p.size) === 0n) continue;
    const key = String(p.accountId);
    const ps = positions.get(key) ?? {};
    positions.set(key, ps);
    ps[String(p.marketId)] = {
      size: big(p.size),
      lastPrice: big(p.lastPrice),
      lastFundingIndex: big(p.lastFundingIndex),
    };
  }
  const accounts: Account[] = [...rows.accounts]
    .map((a) => ({
      accountId: big(a.accountId),
      owner: String(a.owner).toLowerCase() as `0x${string}`,
      collateral: big(a.collateral),
      openMarkets: big(a.openMarkets),
      positions: positions.get(String(a.accountId)) ?? {},
      adlRecords: {},
    }))
    .sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  return { markets, accounts, prices, timestamp: BigInt(timestamp) };
}

function shockLabel(s: number): string {
  const pct = Math.round(s * 1000) / 10;
  return `${pct > 0 ? "+" : ""}${pct}%`;
}

function healthBucket(marginRatio: number, equity: number): number {
  if (!(equity > 0)) return HEALTH_BUCKETS.length - 1;
  for (let i = 0; i < HEALTH_BUCKETS.length - 1; i++) {
    if (marginRatio < HEALTH_BUCKETS[i]!.below) return i;
  }
  return HEALTH_BUCKETS.length - 2;
}

/** Computes every snapshot row for the book `rows` at `at`. */
export function computeRiskSnapshot(
  rows: BookRows,
  at: SnapshotAt,
  opts: SnapshotOptions,
): SnapshotRows {
  const started = performance.now();
  const book = bookFromRows(rows, at.timestamp);
  const store = buildPositionStore(book);
  const exposure = markExposure(store);
  const ladders = liquidationLadders(
    store,
    { maxMove: opts.ladderMaxMove, step: opts.ladderStep, within: [...WITHIN] },
    exposure,
  );
  const insuranceFund = big(rows.exchange?.insuranceFund);
  const fund = num(insuranceFund);
  const common = {
    chain_id: at.chainId,
    exchange: at.exchange,
    block_number: at.block,
    block_time: at.timestamp,
    snapshot_id: at.snapshotId,
  };

  // Markets: open interest, skew, funding now, liquidatable within 1/3/5/10%.
  const now = BigInt(at.timestamp);
  let openInterestUsd = 0;
  let maxAbsFunding = 0;
  let pendingBadDebt = 0n;
  const markets: Row[] = book.markets.map((m, i) => {
    const price = book.prices[m.marketId.toString()]?.price ?? 0n;
    const p = num(price);
    const long = num(m.state.sizeLong);
    const short = num(m.state.sizeShort);
    const rate = price > 0n ? num(fundingNow(m.state, m.params, price, now).rate) : 0;
    const ladder = ladders[i];
    const within = (move: number, side: "down" | "up") =>
      finite(ladder?.within.find((w) => Math.abs(w.move - move) < 1e-12)?.[side].notional ?? 0);
    openInterestUsd += (long + short) * p;
    maxAbsFunding = Math.max(maxAbsFunding, Math.abs(rate));
    pendingBadDebt += m.state.badDebt;
    return {
      ...common,
      market_id: Number(m.marketId),
      symbol: m.symbol,
      price: p,
      open_interest_long: long,
      open_interest_short: short,
      open_interest_usd: (long + short) * p,
      skew: num(m.state.skew),
      skew_ratio: m.params.skewScale > 0n ? num(m.state.skew) / num(m.params.skewScale) : 0,
      funding_rate: rate,
      funding_rate_annual: rate * 365,
      funding_velocity: num(fundingVelocity(m.state.skew, m.params)),
      pending_bad_debt: num(m.state.badDebt),
      accounts_at_risk: ladder?.atMark.count ?? 0,
      liquidatable_down_1: within(0.01, "down"),
      liquidatable_down_3: within(0.03, "down"),
      liquidatable_down_5: within(0.05, "down"),
      liquidatable_down_10: within(0.1, "down"),
      liquidatable_up_1: within(0.01, "up"),
      liquidatable_up_3: within(0.03, "up"),
      liquidatable_up_5: within(0.05, "up"),
      liquidatable_up_10: within(0.1, "up"),
    };
  });

  // Ladder buckets: cumulative from the mark outwards; bucket_notional is each bin's share.
  const ladder: Row[] = [];
  for (const l of ladders) {
    const k = l.moves.length;
    for (let j = 0; j < k; j++) {
      const move = l.moves[j]!;
      const marketCum = l.marketNotional[j]!;
      // The neighbour one bin nearer the mark (the grid is ascending and contains 0).
      const inner = move < 0 ? j + 1 : move > 0 ? j - 1 : -1;
      const bucket = inner >= 0 && inner < k ? marketCum - l.marketNotional[inner]! : marketCum;
      ladder.push({
        ...common,
        market_id: Number(l.marketId),
        symbol: l.symbol,
        move: Math.round(move * 1e6) / 1e6,
        price: finite(l.prices[j]!),
        liquidated_notional: finite(l.notional[j]!),
        market_notional: finite(marketCum),
        bucket_notional: finite(bucket),
        accounts: Math.round(l.count[j]!),
        bad_debt: finite(l.badDebt[j]!),
      });
    }
  }

  // Cascades at the standard shocks, with the insurance fund as it is now.
  const ctx = prepareCascade(store, undefined, exposure);
  let amplification10 = 1;
  const cascades: Row[] = (opts.shocks ?? STANDARD_SHOCKS).map((shock) => {
    const c = runCascade(ctx, { kind: "correlated", move: shock }, { insuranceFund: fund });
    if (Math.abs(shock + 0.1) < 1e-12) amplification10 = c.amplification;
    return {
      ...common,
      shock,
      shock_label: shockLabel(shock),
      amplification: finite(c.amplification, 1),
      liquidated_notional: finite(c.liquidatedNotional),
      liquidated_accounts: c.liquidatedAccounts,
      bad_debt: finite(c.badDebt),
      insurance_fund_start: finite(c.insuranceFundStart),
      insurance_covered: finite(c.insuranceCovered),
      uncovered_bad_debt: finite(c.uncoveredBadDebt),
      insurance_coverage: finite(c.insuranceCoverage, 1),
      adl_triggered: c.adlTriggered ? 1 : 0,
      rounds: c.rounds.length,
      converged: c.converged ? 1 : 0,
    };
  });

  // Account health at the head's prices: histogram and the riskiest accounts.
  const h = exposure.health;
  const counts = HEALTH_BUCKETS.map(() => ({ accounts: 0, notional: 0, equity: 0 }));
  const ranked: { a: number; ratio: number }[] = [];
  let atRisk = 0;
  let notionalAtRisk = 0;
  for (let a = 0; a < store.accountCount; a++) {
    if (store.accountStart[a + 1] === store.accountStart[a]) continue;
    const equity = h.equity[a]!;
    const mm = h.maintenanceMargin[a]!;
    const ratio = equity > 0 ? mm / equity : Number.POSITIVE_INFINITY;
    const b = counts[healthBucket(ratio, equity)]!;
    b.accounts++;
    b.notional += h.notional[a]!;
    b.equity += equity;
    if (mm > 0 && equity < mm) {
      atRisk++;
      notionalAtRisk += h.notional[a]!;
    }
    ranked.push({ a, ratio });
  }
  const health: Row[] = counts.map((c, i) => ({
    ...common,
    bucket_order: i,
    bucket: HEALTH_BUCKETS[i]!.label,
    accounts: c.accounts,
    notional: finite(c.notional),
    equity: finite(c.equity),
  }));
  ranked.sort((x, y) => y.ratio - x.ratio || x.a - y.a);
  const owners = new Map(rows.accounts.map((r) => [String(r.accountId), String(r.owner)]));
  const accounts: Row[] = ranked.slice(0, opts.topAccounts).map(({ a, ratio }, rank) => {
    const equity = h.equity[a]!;
    const mm = h.maintenanceMargin[a]!;
    const n = h.notional[a]!;
    const id = store.accountIds[a]!.toString();
    return {
      ...common,
      rank: rank + 1,
      account_id: id,
      owner: owners.get(id) ?? "",
      collateral: finite(store.collateral[a]!),
      equity: finite(equity),
      initial_margin: finite(h.initialMargin[a]!),
      maintenance_margin: finite(mm),
      notional: finite(n),
      margin_ratio: Number.isFinite(ratio) ? ratio : null,
      buffer: n > 0 ? finite((equity - mm) / n) : 0,
      liquidatable: mm > 0 && equity < mm ? 1 : 0,
      markets: store.accountStart[a + 1]! - store.accountStart[a]!,
    };
  });

  const header: Row = {
    ...common,
    insurance_fund: d18(insuranceFund),
    pending_bad_debt: d18(pendingBadDebt),
    accounts: rows.accountCount,
    open_accounts: ranked.length,
    positions: store.positionCount,
    open_interest_usd: finite(openInterestUsd),
    accounts_at_risk: atRisk,
    notional_at_risk: finite(notionalAtRisk),
    max_abs_funding_rate: finite(maxAbsFunding),
    amplification_10: finite(amplification10, 1),
    mirror_divergences: rows.mirrorDivergences,
    compute_ms: performance.now() - started,
  };
  return { header, markets, ladder, cascades, health, accounts };
}
