/**
 * MarkExposure: every account's health at the mark and how it moves with relative price moves.
 *
 * Why: with the price of market m at `P_m = mark_m·(1 + R_m)`, every health quantity of an
 * account is affine in the moves R (funding included — `_fundingNow` is affine in the price),
 * so "equity − MM" is `gap + Σ_i gapSlope_i·R_{m_i}` over the account's positions i. Closed-form
 * thresholds, the ladder sweep, the cascade's re-checks and the Monte-Carlo filters are all this
 * one linear form; computing its coefficients once (per position, in the store's CSR order)
 * keeps them consistent with each other and with `healthAt`.
 */
import type { AccountHealth } from "./health.js";
import type { PositionStore } from "./positionStore.js";

export interface MarkExposure {
  /** Health at the marks. */
  health: AccountHealth;
  /** Per account: `equity − MM` at the marks (negative: liquidatable now, if MM > 0). */
  gap: Float64Array;
  /** Per account: 1 when `MM > 0` (the contract can liquidate it at all), else 0. */
  canLiquidate: Uint8Array;
  /** Per position: ∂equity/∂R. */
  equitySlope: Float64Array;
  /** Per position: ∂MM/∂R. */
  marginSlope: Float64Array;
  /** Per position: ∂(equity − MM)/∂R. */
  gapSlope: Float64Array;
  /** Per position: `|size|·mark`, the position's notional at the mark (∂notional/∂R too). */
  notional: Float64Array;
  /** Per position: `size·mark` (positive long). */
  signedNotional: Float64Array;
}

export function markExposure(store: PositionStore): MarkExposure {
  // One pass over the positions, account by account: `healthAt` at the marks (the same sums in
  // the same order, so `health` equals `healthAt(store)`) and the per-position slopes beside it.
  const nA = store.accountCount;
  const nP = store.positionCount;
  const equity = new Float64Array(nA);
  const initialMargin = new Float64Array(nA);
  const maintenanceMargin = new Float64Array(nA);
  const accountNotional = new Float64Array(nA);
  const keeperReward = new Float64Array(nA);
  const penaltyCap = new Float64Array(nA);
  const gap = new Float64Array(nA);
  const canLiquidate = new Uint8Array(nA);
  const equitySlope = new Float64Array(nP);
  const marginSlope = new Float64Array(nP);
  const gapSlope = new Float64Array(nP);
  const notional = new Float64Array(nP);
  const signedNotional = new Float64Array(nP);
  const { accountStart, positionMarket, size, equityPerPrice, equityConst, mmPerPrice } = store;
  const { imPerPrice, price, collateral } = store;
  const { minPositionMargin, keeperRewardRatio, maxKeeperReward, liquidationPenaltyRatio } = store;
  for (let a = 0, i = 0; a < nA; a++) {
    let e = collateral[a]!;
    let im = 0;
    let mm = 0;
    let n = 0;
    let k = 0;
    let pc = 0;
    for (const end = accountStart[a + 1]!; i < end; i++) {
      const m = positionMarket[i]!;
      const p = price[m]!;
      const s = size[i]!;
      const ni = (s < 0 ? -s : s) * p;
      const mpm = minPositionMargin[m]!;
      const es = equityPerPrice[i]! * p;
      const ms = mmPerPrice[i]! * p;
      e += es + equityConst[i]!;
      im += imPerPrice[i]! * p + mpm;
      mm += ms + mpm;
      n += ni;
      k += Math.min(ni * keeperRewardRatio[m]!, maxKeeperReward[m]!);
      pc += ni * liquidationPenaltyRatio[m]!;
      equitySlope[i] = es;
      marginSlope[i] = ms;
      gapSlope[i] = es - ms;
      signedNotional[i] = s * p;
      notional[i] = ni;
    }
    equity[a] = e;
    initialMargin[a] = im;
    maintenanceMargin[a] = mm;
    accountNotional[a] = n;
    keeperReward[a] = k;
    penaltyCap[a] = pc;
    gap[a] = e - mm;
    canLiquidate[a] = mm > 0 ? 1 : 0;
  }
  const health: AccountHealth = {
    equity,
    initialMargin,
    maintenanceMargin,
    notional: accountNotional,
    keeperReward,
    penaltyCap,
  };
  return {
    health,
    gap,
    canLiquidate,
    equitySlope,
    marginSlope,
    gapSlope,
    notional,
    signedNotional,
  };
}
