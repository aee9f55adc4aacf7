/**
 * Small, readable exchange states for the engine's unit and property tests: named actors, a
 * BTC-like and an ETH-like market, helpers that apply an operation and insist it succeeded.
 *
 * Why a file: every unit test needs "an exchange with a market, a price and a funded
 * account"; building it through the engine's own operations (never by hand) keeps the
 * fixtures valid states by construction. Used by tests only.
 */

import { deployedState } from "../engine/exchangeState.js";
import { applyOperation } from "../engine/operations.js";
import type {
  Address,
  ExchangeEvent,
  ExchangeState,
  MarketParams,
  Operation,
  OpResult,
} from "../engine/types.js";

export const D18 = 10n ** 18n;
export const T0 = 1_767_225_600n;

export const EXCHANGE: Address = "0x00000000000000000000000000000000000000e0";
export const OWNER: Address = "0x00000000000000000000000000000000000000a0";
export const KEEPER: Address = "0x00000000000000000000000000000000000000a1";
export const LIQUIDATOR: Address = "0x00000000000000000000000000000000000000a2";
export const ALICE: Address = "0x00000000000000000000000000000000000000b1";
export const BOB: Address = "0x00000000000000000000000000000000000000b2";
export const CAROL: Address = "0x00000000000000000000000000000000000000b3";

/** `x` USD (or units) as D18; decimals allowed as a string. */
export function usd(x: number | string): bigint {
  const [i, f = ""] = String(x).split(".");
  return BigInt(i!) * D18 + BigInt((f + "0".repeat(18)).slice(0, 18));
}

export const BTC: MarketParams = {
  skewScale: usd(10_000),
  maxFundingVelocity: usd(9),
  imrScalar: usd(1),
  imrMin: usd("0.02"),
  mmScalar: usd("0.5"),
  minPositionMargin: usd(50),
  takerFee: usd("0.0005"),
  keeperRewardRatio: usd("0.0005"),
  maxKeeperReward: usd(500),
  liquidationPenaltyRatio: usd("0.005"),
  maxOpenInterest: usd(4_000),
};

export const ETH: MarketParams = {
  ...BTC,
  skewScale: usd(250_000),
  maxOpenInterest: usd(100_000),
};

/** Applies `op` and returns the result, whatever it is. */
export function apply(
  state: ExchangeState,
  op: Operation,
  sender: Address,
  timestamp: bigint,
): OpResult {
  return applyOperation(state, op, { timestamp, sender });
}

/** Applies `op` and insists it succeeds. */
export function must(
  state: ExchangeState,
  op: Operation,
  sender: Address,
  timestamp: bigint,
): { state: ExchangeState; events: ExchangeEvent[] } {
  const r = apply(state, op, sender, timestamp);
  if (!r.ok) throw new Error(`expected ${op.kind} to succeed: ${r.error.message}`);
  return r;
}

/**
 * An exchange at `T0` with BTC (id 1, $95,000) and ETH (id 2, $3,400) priced, the keeper an
 * updater, `insurance` in the fund, and one account per trader in `traders` (ids from 1)
 * holding `collateral` each.
 */
export function market2(
  opts: { insurance?: bigint; traders?: Address[]; collateral?: bigint; maxPriceAge?: bigint } = {},
): ExchangeState {
  let s = deployedState({
    address: EXCHANGE,
    owner: OWNER,
    maxPriceAge: opts.maxPriceAge ?? 60n,
    tokenBalance: usd(1_000_000),
  }).state;
  s = must(s, { kind: "setUpdater", updater: KEEPER, allowed: true }, OWNER, T0).state;
  s = must(s, { kind: "createMarket", symbol: "BTC", params: BTC }, OWNER, T0).state;
  s = must(s, { kind: "createMarket", symbol: "ETH", params: ETH }, OWNER, T0).state;
  s = must(
    s,
    { kind: "setPrices", marketIds: [1n, 2n], prices: [usd(95_000), usd(3_400)] },
    KEEPER,
    T0,
  ).state;
  if ((opts.insurance ?? 0n) > 0n) {
    s = must(s, { kind: "depositInsuranceFund", amount: opts.insurance! }, OWNER, T0).state;
  }
  for (const t of opts.traders ?? []) {
    s = must(s, { kind: "createAccount" }, t, T0).state;
    const id = s.accountCount;
    if ((opts.collateral ?? 0n) > 0n) {
      s = must(
        s,
        { kind: "modifyCollateral", accountId: id, amountDelta: opts.collateral! },
        t,
        T0,
      ).state;
    }
  }
  return s;
}

/** Sets every market's price at `timestamp` (so nothing is stale). */
export function prices(
  state: ExchangeState,
  timestamp: bigint,
  ...values: bigint[]
): ExchangeState {
  return must(
    state,
    { kind: "setPrices", marketIds: values.map((_, i) => BigInt(i + 1)), prices: values },
    KEEPER,
    timestamp,
  ).state;
}
