/**
 * The index price: ChainlinkPriceFeedV3 (its last valid price, CumulativeTwap ring and
 * CachedTwap cache) behind a PriceFeedDispatcher, as `BaseToken.getIndexPrice(interval)` reads
 * it. Mirrored from AnswerUpdated (the aggregator's rounds), ChainlinkPriceUpdated (the feed
 * caching a round: `_cachePrice` then `_update`) and — for the cache, which has no event — the
 * first `settleFunding` of a block (FundingUpdated; see apply.ts), where `cacheTwap` runs.
 */
import type { FeedObservation, PriceFeedState } from "./state.js";

const MAX_OBSERVATION = 1800;
/** ChainlinkPriceFeedV3.FreezedReason.NotFreezed. */
const NOT_FREEZED = 0;

function observation(f: PriceFeedState, i: number): FeedObservation {
  return f.observations.get(i) ?? { price: 0n, priceCumulative: 0n, timestamp: 0n };
}

/** CumulativeTwap._update. */
export function feedUpdate(f: PriceFeedState, price: bigint, updatedAt: bigint): PriceFeedState {
  if (f.currentObservationIndex === 0 && observation(f, 0).timestamp === 0n) {
    return {
      ...f,
      observations: f.observations.set(0, { price, priceCumulative: 0n, timestamp: updatedAt }),
    };
  }
  const last = observation(f, f.currentObservationIndex);
  if (updatedAt < last.timestamp) throw new Error("curie feed: CumulativeTwap reverts CT_IT");
  if (price === last.price) return f;
  const index = (f.currentObservationIndex + 1) % MAX_OBSERVATION;
  return {
    ...f,
    currentObservationIndex: index,
    observations: f.observations.set(index, {
      price,
      priceCumulative: last.priceCumulative + last.price * (updatedAt - last.timestamp),
      timestamp: updatedAt,
    }),
  };
}

/** ChainlinkPriceUpdated: `_cachePrice` stored the round unless frozen, then `_update` ran. */
export function onChainlinkPriceUpdated(
  f: PriceFeedState,
  price: bigint,
  timestamp: bigint,
  freezedReason: number,
): PriceFeedState {
  const cached =
    freezedReason === NOT_FREEZED
      ? { ...f, lastValidPrice: price, lastValidTimestamp: timestamp }
      : f;
  return feedUpdate(cached, cached.lastValidPrice, cached.lastValidTimestamp);
}

/** `_getFreezedReason` of the aggregator's latest round, at block time `now`. */
function isRoundValid(f: PriceFeedState, now: bigint): boolean {
  const r = f.latestRound;
  if (!r || r.roundId === 0n) return false;
  if (r.updatedAt === 0n || r.updatedAt < f.lastValidTimestamp || r.updatedAt > now) return false;
  return r.answer > 0n;
}

/** `_getLatestOrCachedPrice` at `now`. */
export function latestOrCachedPrice(f: PriceFeedState, now: bigint): [bigint, bigint] {
  const r = f.latestRound;
  const alreadyCached =
    f.lastValidTimestamp > 0n && r !== undefined && f.lastValidTimestamp === r.updatedAt;
  if (!alreadyCached && r && isRoundValid(f, now)) return [r.answer, r.updatedAt];
  return [f.lastValidPrice, f.lastValidTimestamp];
}

function surrounding(f: PriceFeedState, target: bigint): [FeedObservation, FeedObservation] {
  const empty = { price: 0n, priceCumulative: 0n, timestamp: 0n };
  let beforeOrAt = observation(f, f.currentObservationIndex);
  if (beforeOrAt.timestamp <= target) return [beforeOrAt, empty];
  beforeOrAt = observation(f, (f.currentObservationIndex + 1) % MAX_OBSERVATION);
  if (beforeOrAt.timestamp === 0n) beforeOrAt = observation(f, 0);
  if (beforeOrAt.timestamp > target) return [beforeOrAt, beforeOrAt];
  let l = (f.currentObservationIndex + 1) % MAX_OBSERVATION;
  let r = l + MAX_OBSERVATION - 1;
  for (;;) {
    const i = Math.floor((l + r) / 2);
    const b = observation(f, i % MAX_OBSERVATION);
    if (b.timestamp === 0n) {
      l = i + 1;
      continue;
    }
    const a = observation(f, (i + 1) % MAX_OBSERVATION);
    const atOrAfterTarget = b.timestamp <= target;
    if (atOrAfterTarget && target <= a.timestamp) return [b, a];
    if (!atOrAfterTarget) r = i - 1;
    else l = i + 1;
  }
}

/** CumulativeTwap._calculateTwap at `now`. */
function calculateTwap(
  f: PriceFeedState,
  interval: bigint,
  price: bigint,
  latestTs: bigint,
  now: bigint,
): bigint {
  if ((f.currentObservationIndex === 0 && observation(f, 0).timestamp === 0n) || interval === 0n)
    return 0n;
  const latest = observation(f, f.currentObservationIndex);
  if (latest.timestamp === latestTs && price !== latest.price) {
    throw new Error("curie feed: CumulativeTwap reverts CT_IPWCT");
  }
  const target = now - interval;
  const current =
    latest.priceCumulative +
    latest.price * (latestTs - latest.timestamp) +
    price * (now - latestTs);
  const [b, a] = surrounding(f, target);
  let targetCumulative: bigint;
  if (target === b.timestamp) targetCumulative = b.priceCumulative;
  else if (a.timestamp === target) targetCumulative = a.priceCumulative;
  else if (b.timestamp === a.timestamp) return 0n;
  else if (a.timestamp === 0n)
    targetCumulative = b.priceCumulative + b.price * (target - b.timestamp);
  else {
    targetCumulative =
      b.priceCumulative +
      ((a.priceCumulative - b.priceCumulative) * (target - b.timestamp)) /
        (a.timestamp - b.timestamp);
  }
  return (current - targetCumulative) / interval;
}

function getTwap(
  f: PriceFeedState,
  interval: bigint,
  price: bigint,
  ts: bigint,
  now: bigint,
): bigint {
  const twap = calculateTwap(f, interval, price, ts, now);
  return twap === 0n ? price : twap;
}

/** `cacheTwap(interval)` after its `_cachePrice` (already applied from ChainlinkPriceUpdated). */
export function cacheTwap(f: PriceFeedState, interval: bigint, now: bigint): PriceFeedState {
  const updated = feedUpdate(f, f.lastValidPrice, f.lastValidTimestamp);
  if (updated.cacheInterval !== interval || now === updated.lastUpdatedAt) return updated;
  const cachedTwap = getTwap(
    updated,
    interval,
    updated.lastValidPrice,
    updated.lastValidTimestamp,
    now,
  );
  return { ...updated, lastUpdatedAt: now, cachedTwap };
}

/** ChainlinkPriceFeedV3.getPrice(interval) at `now`, in the feed's decimals. */
export function feedPrice(f: PriceFeedState, interval: bigint, now: bigint): bigint {
  const [price, ts] = latestOrCachedPrice(f, now);
  if (interval === 0n) return price;
  if (now === f.lastUpdatedAt && interval === f.cacheInterval) return f.cachedTwap;
  return getTwap(f, interval, price, ts, now);
}

/** BaseToken.getIndexPrice(interval) of an open market (18 decimals) at `now`. */
export function indexPrice(f: PriceFeedState, interval: bigint, now: bigint): bigint {
  const p = feedPrice(f, interval, now);
  return f.decimals >= 18 ? p / 10n ** BigInt(f.decimals - 18) : p * 10n ** BigInt(18 - f.decimals);
}
