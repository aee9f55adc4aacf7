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
import { type AccountHealth, healthAt } from "./health.js";
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
  const health = healthAt(store);
  const nA = store.accountCount;
  const nP = store.positionCount;
  const gap = new Float64Array(nA);
  const canLiquidate = new Uint8Array(nA);
  for (let a = 0; a < nA; a++) {
    const mm = health.maintenanceMargin[a]!;
    gap[a] = health.equity[a]! - mm;
    canLiquidate[a] = mm > 0 ? 1 : 0;
  }
  const equitySlope = new Float64Array(nP);
  const marginSlope = new Float64Array(nP);
  const gapSlope = new Float64Array(nP);
  const notional = new Float64Array(nP);
  const signedNotional = new Float64Array(nP);
  for (let i = 0; i < nP; i++) {
    const p = store.price[store.positionMarket[i]!]!;
    const es = store.equityPerPrice[i]! * p;
    const ms = store.mmPerPrice[i]! * p;
    const sn = store.size[i]! * p;
    equitySlope[i] = es;
    marginSlope[i] = ms;
    gapSlope[i] = es - ms;
    signedNotional[i] = sn;
    notional[i] = sn < 0 ? -sn : sn;
  }
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
