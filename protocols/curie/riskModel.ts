/**
 * Perpetual Protocol v2's risk model (engine/risk/riskModel.ts) over the normalized book the
 * Curie plugin writes: every figure rounded as Curie's own views round it, so that at the
 * indexed block an account's equity is `ClearingHouse.getAccountValue` and its maintenance
 * margin `AccountBalance.getMarginRequirementForLiquidation`, to the wei.
 *
 * How the plugin maps Curie onto the book (indexer/): an account's `collateral` is its
 * settlement balance + owed realized PnL + pending maker fees (− a maker's pending funding)
 * at the block (Vault's `_getSettlementTokenBalanceAndUnrealizedPnl`, D18); a position is its total size
 * (taker + maker) and its net quote balance (`quoteBalance`); a market's price is its mark
 * price (median of the pool TWAPs and index + premium). Hence:
 *
 *   position value  = trunc(size · mark / 1e18)            (AccountBalance._getPositionValue)
 *   equity          = collateral + Σ (value + quoteBalance − pending funding)
 *   margin for liq. = floor(Σ |value| · mmRatio / 1e6)      (getMarginRequirementForLiquidation)
 *   liquidatable    = equity < margin                        (ClearingHouse._isLiquidatable)
 *
 * Funding: a taker position's pending payment is computed exactly from its settled growth and
 * the market's growth at the block (`pendingFunding`); a maker's (whose payment also depends
 * on its ranges) is folded into its collateral by the plugin. Its future accrual depends on
 * pool TWAPs, not on the price alone, so the affine funding index is flat.
 *
 * What differs from the reference exchange: liquidations trade against the pool
 * (`executesAt: "pool"`); there is no auto-deleveraging (`adlSupported: false`). Maker positions are valued as fixed sizes under
 * a price shock (a maker's size moves with the pool price: not modelled here).
 */
import type { Account, Book, Health, Market, Position } from "../../engine/risk/book.js";
import type { PositionAt, RiskModel } from "../../engine/risk/riskModel.js";

const ONE = 10n ** 18n;
/** Curie's ratios are in 1e6 (`uint24`); the book keeps them D18. */
const RATIO_TO_D18 = 10n ** 12n;

/** Per market (index `marketId - 1`): the mark price and the two margin ratios (1e6). */
export interface CurieMark {
  price: bigint;
  imRatio: bigint;
  mmRatio: bigint;
  /** The global funding growth (`twPremiumX96`) at the block, when the book carries it. */
  fundingGrowth: bigint | undefined;
}

const Q96 = 1n << 96n;
/** Curie's funding period (Funding._DEFAULT_FUNDING_PERIOD): one day. */
const FUNDING_PERIOD = 86_400n;

/**
 * A taker position's pending funding payment (positive: the trader pays), as
 * `Exchange.getPendingFundingPayment` computes it for an account without orders:
 * mulDiv(size, growth − lastGrowth, 2^96) / 1 day, both truncated toward zero. Positions
 * without their own growth (makers) have it folded into collateral by the plugin.
 */
export function pendingFunding(p: Position, mark: CurieMark): bigint {
  if (p.fundingGrowth === undefined || mark.fundingGrowth === undefined) return 0n;
  return mulDivTrunc(p.size, mark.fundingGrowth - p.fundingGrowth, Q96) / FUNDING_PERIOD;
}

/** Solidity's signed division: truncates toward zero (PerpMath.mulDiv on int256). */
function mulDivTrunc(a: bigint, b: bigint, d: bigint): bigint {
  return (a * b) / d;
}

/** The book's D18 margin parameters back as Curie's 1e6 ratios (IM = imrMin, MM = IM·mmScalar). */
export function ratiosOf(market: Market): { imRatio: bigint; mmRatio: bigint } {
  const imRatio = market.params.imrMin / RATIO_TO_D18;
  const mmRatio = (market.params.imrMin * market.params.mmScalar) / ONE / RATIO_TO_D18;
  return { imRatio, mmRatio };
}

/** The quote balance of a position: its own, or (rows without one) −size·entry. */
function quoteOf(p: Position): bigint {
  return p.quoteBalance ?? -mulDivTrunc(p.size, p.lastPrice, ONE);
}

function markOf(
  marks: readonly (CurieMark | undefined)[],
  id: bigint,
  account: Account,
): CurieMark {
  const m = marks[Number(id) - 1];
  if (m === undefined) throw new Error(`account ${account.accountId}: no mark for market ${id}`);
  return m;
}

function health(marks: readonly (CurieMark | undefined)[], account: Account): Health {
  let pnl = 0n;
  let notional = 0n;
  let im = 0n;
  let mm = 0n;
  for (const [key, p] of Object.entries(account.positions)) {
    const mark = markOf(marks, BigInt(key), account);
    const value = mulDivTrunc(p.size, mark.price, ONE);
    const abs = value < 0n ? -value : value;
    pnl += value + quoteOf(p) - pendingFunding(p, mark);
    notional += abs;
    im += abs * mark.imRatio;
    mm += abs * mark.mmRatio;
  }
  // Curie applies one ratio to the total; markets share it (one ClearingHouseConfig).
  return {
    equity: account.collateral + pnl,
    initialMargin: im / 1_000_000n,
    maintenanceMargin: mm / 1_000_000n,
    notional,
  };
}

export const curieRiskModel: RiskModel<(CurieMark | undefined)[]> = {
  mechanics: { executesAt: "pool", adlSupported: false },

  marks(book: Book) {
    return book.markets.map((m) => {
      const price = book.prices[m.marketId.toString()]?.price;
      if (price === undefined) return undefined;
      return { price, ...ratiosOf(m), fundingGrowth: m.state.fundingGrowth };
    });
  },

  accountHealth(marks, account) {
    const h = health(marks, account);
    return {
      health: h,
      marginRatio: h.equity <= 0n ? null : (h.maintenanceMargin * ONE) / h.equity,
      liquidatable: h.equity < h.maintenanceMargin,
    };
  },

  positions(marks, _book, account) {
    const ids = Object.keys(account.positions)
      .map(BigInt)
      .sort((a, b) => (a < b ? -1 : 1));
    return ids.map((id): PositionAt => {
      const p = account.positions[id.toString()]!;
      const mark = markOf(marks, id, account);
      const value = mulDivTrunc(p.size, mark.price, ONE);
      const abs = value < 0n ? -value : value;
      return {
        marketId: id,
        size: p.size,
        entryPrice: p.lastPrice,
        entryFundingIndex: 0n,
        price: mark.price,
        fundingIndex: 0n,
        notional: abs,
        unrealizedPnl: value + quoteOf(p),
        unrealizedFunding: -pendingFunding(p, mark),
        initialMargin: (abs * mark.imRatio) / 1_000_000n,
        maintenanceMargin: (abs * mark.mmRatio) / 1_000_000n,
      };
    });
  },

  funding(market: Market) {
    const { lastFundingRate: rate, lastFundingIndex: index } = market.state;
    return { rate, index, velocity: 0n, rateInOneHour: rate };
  },

  fundingIndexAffine(market) {
    return { base: market.state.lastFundingIndex, perPrice: 0n };
  },
};
