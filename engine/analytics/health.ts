/**
 * Account health in float64 at any vector of prices: equity, initial and maintenance margin,
 * notional, and the liquidation waterfall's keeper reward and penalty cap.
 *
 * Why: it is `_health` over the column store, for all accounts at once — the float twin of the
 * exact engine's `healthWithMarks`, with the same formulas and the same condition
 * (`MM > 0 && equity < MM`). Everything else in analytics is a closed form or a sweep built on
 * the affine coefficients this sums; this is the direct evaluation they are checked against.
 */
import type { PositionStore } from "./positionStore.js";

export interface AccountHealth {
  equity: Float64Array;
  initialMargin: Float64Array;
  maintenanceMargin: Float64Array;
  notional: Float64Array;
  /** `Σ_m min(notional_m·keeperRewardRatio_m, maxKeeperReward_m)`: paid before anything else. */
  keeperReward: Float64Array;
  /** `Σ_m notional_m·liquidationPenaltyRatio_m`: the most the insurance fund can take. */
  penaltyCap: Float64Array;
}

/** Health of every account at `prices` (per market; default: the store's marks). */
export function healthAt(
  store: PositionStore,
  prices: ArrayLike<number> = store.price,
): AccountHealth {
  const nA = store.accountCount;
  const equity = new Float64Array(nA);
  const initialMargin = new Float64Array(nA);
  const maintenanceMargin = new Float64Array(nA);
  const notional = new Float64Array(nA);
  const keeperReward = new Float64Array(nA);
  const penaltyCap = new Float64Array(nA);
  const {
    accountStart,
    positionMarket,
    size,
    equityPerPrice,
    equityConst,
    mmPerPrice,
    imPerPrice,
  } = store;
  const { minPositionMargin, keeperRewardRatio, maxKeeperReward, liquidationPenaltyRatio } = store;
  for (let a = 0; a < nA; a++) {
    let e = store.collateral[a]!;
    let im = 0;
    let mm = 0;
    let n = 0;
    let k = 0;
    let pc = 0;
    const end = accountStart[a + 1]!;
    for (let i = accountStart[a]!; i < end; i++) {
      const m = positionMarket[i]!;
      const p = prices[m]!;
      const s = size[i]!;
      const ni = (s < 0 ? -s : s) * p;
      const mpm = minPositionMargin[m]!;
      e += equityPerPrice[i]! * p + equityConst[i]!;
      im += imPerPrice[i]! * p + mpm;
      mm += mmPerPrice[i]! * p + mpm;
      n += ni;
      const kr = ni * keeperRewardRatio[m]!;
      const cap = maxKeeperReward[m]!;
      k += Math.min(kr, cap);
      pc += ni * liquidationPenaltyRatio[m]!;
    }
    equity[a] = e;
    initialMargin[a] = im;
    maintenanceMargin[a] = mm;
    notional[a] = n;
    keeperReward[a] = k;
    penaltyCap[a] = pc;
  }
  return { equity, initialMargin, maintenanceMargin, notional, keeperReward, penaltyCap };
}

/** The contract's condition for account `a`: `MM > 0 && equity < MM`. */
export function isLiquidatableAt(h: AccountHealth, a: number): boolean {
  const mm = h.maintenanceMargin[a]!;
  return mm > 0 && h.equity[a]! < mm;
}

/**
 * What liquidating an account with equity `equity`, keeper reward `keeper` and penalty cap
 * `penaltyCap` leaves, following the contract's waterfall before the insurance fund:
 * `rest = equity − keeper`; `rest ≥ 0` pays `min(rest, cap)` to the fund, `rest < 0` is a
 * shortfall the fund (and then ADL) must cover.
 */
export function waterfall(
  equity: number,
  keeper: number,
  penaltyCap: number,
): { penalty: number; shortfall: number } {
  const rest = equity - keeper;
  if (rest >= 0) return { penalty: Math.min(rest, penaltyCap), shortfall: 0 };
  return { penalty: 0, shortfall: -rest };
}
