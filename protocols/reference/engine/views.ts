/**
 * The contract's external views, one function each, evaluated on a mirrored state at a block
 * time.
 *
 * Why: the indexer checks the mirror against the chain and the API answers from the mirror;
 * both need exactly what the contract's view would return at that block — including the
 * views that revert (funding views of a market that does not exist divide by its zero
 * skewScale: `Panic(0x12)`), and including time: `fundingIndex` and `currentFundingRate` move
 * with the block time even when nothing is touched.
 */
import { adlRecordOf } from "./adl.js";
import { readView, ZERO_ADDRESS } from "./exchangeState.js";
import { fundingNow, fundingVelocity } from "./funding.js";
import { oraclePrice } from "./oracle.js";
import { positionOf } from "./position.js";
import type { Address, AdlRecord, ExchangeState, Market, Position, ViewResult } from "./types.js";

const ZERO_PARAMS: Market["params"] = {
  skewScale: 0n,
  maxFundingVelocity: 0n,
  imrScalar: 0n,
  imrMin: 0n,
  mmScalar: 0n,
  minPositionMargin: 0n,
  takerFee: 0n,
  keeperRewardRatio: 0n,
  maxKeeperReward: 0n,
  liquidationPenaltyRatio: 0n,
  maxOpenInterest: 0n,
};

/** `getMarket(marketId)`: the zero struct for a market that does not exist. */
export function getMarket(state: ExchangeState, marketId: bigint): Market {
  const m =
    marketId >= 1n && marketId <= BigInt(state.markets.length)
      ? state.markets[Number(marketId) - 1]
      : undefined;
  return (
    m ?? {
      marketId,
      symbol: "",
      params: ZERO_PARAMS,
      state: {
        skew: 0n,
        sizeLong: 0n,
        sizeShort: 0n,
        lastFundingRate: 0n,
        lastFundingIndex: 0n,
        lastFundingTime: 0n,
        badDebt: 0n,
      },
    }
  );
}

/** `getAccount(accountId)` → (owner, collateral, openMarkets). */
export function getAccount(
  state: ExchangeState,
  accountId: bigint,
): { owner: Address; collateral: bigint; openMarkets: bigint } {
  const a = state.accounts[accountId.toString()];
  return a
    ? { owner: a.owner, collateral: a.collateral, openMarkets: a.openMarkets }
    : { owner: ZERO_ADDRESS, collateral: 0n, openMarkets: 0n };
}

/** `getPosition(accountId, marketId)`. */
export function getPosition(state: ExchangeState, accountId: bigint, marketId: bigint): Position {
  return positionOf(state.accounts[accountId.toString()], marketId);
}

/** `getAdlRecord(accountId, marketId, isLong)`. */
export function getAdlRecord(
  state: ExchangeState,
  accountId: bigint,
  marketId: bigint,
  isLong: boolean,
): AdlRecord {
  return adlRecordOf(state.accounts[accountId.toString()], marketId, isLong);
}

/** `fundingIndex(marketId)`: the index as of `timestamp`, at the stored oracle price. */
export function fundingIndex(
  state: ExchangeState,
  marketId: bigint,
  timestamp: bigint,
): ViewResult<bigint> {
  return readView(state, timestamp, (d) => {
    const m = getMarket(state, marketId);
    return fundingNow(m.state, m.params, oraclePrice(d, marketId), d.now).index;
  });
}

/** `currentFundingRate(marketId)`: the rate (per day, D18) as of `timestamp`. */
export function currentFundingRate(
  state: ExchangeState,
  marketId: bigint,
  timestamp: bigint,
): ViewResult<bigint> {
  return readView(state, timestamp, (d) => {
    const m = getMarket(state, marketId);
    return fundingNow(m.state, m.params, oraclePrice(d, marketId), d.now).rate;
  });
}

/** `fundingVelocity(marketId)`: from the current skew (no time dependence). */
export function getFundingVelocity(state: ExchangeState, marketId: bigint): ViewResult<bigint> {
  return readView(state, 0n, () => {
    const m = getMarket(state, marketId);
    return fundingVelocity(m.state.skew, m.params);
  });
}

/** `marketCount()`. */
export function marketCount(state: ExchangeState): bigint {
  return BigInt(state.markets.length);
}
