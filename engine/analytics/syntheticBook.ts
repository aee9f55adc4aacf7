/**
 * Synthetic books: seeded, realistic exchange states (markets, oracle prices, accounts with
 * cross-margin positions) in the exact engine's plain data, for tests and benchmarks.
 *
 * Why: the analytics must agree with the exact engine on books that look like real ones —
 * single-market directional traders, near-max-leverage degens, hedgers long one market and
 * short another, baskets — with unrealized PnL, accrued funding and a few accounts already
 * underwater; and the benchmark needs 100,000 of them. The first five markets are the default
 * markets the devnet deploys (defaultMarkets.ts: BTC, ETH, SOL, DOGE, WIF); more are small caps
 * made from the same templates. The trader mix follows devnet/simulator/traders.ts.
 */
import type {
  Account,
  Address,
  Market,
  MarketParams,
  OraclePrice,
  Position,
} from "../risk/book.js";
import { SeededRandom } from "../seededRandom.js";
import { toD18 } from "./d18.js";
import { DEFAULT_MARKETS } from "./defaultMarkets.js";

/** The market parameters of a synthetic market, in floats (converted to D18 on output). */
export interface SyntheticMarketSpec {
  symbol: string;
  price: number;
  skewScale: number;
  maxFundingVelocity: number;
  imrScalar: number;
  imrMin: number;
  mmScalar: number;
  minPositionMargin: number;
  takerFee: number;
  keeperRewardRatio: number;
  maxKeeperReward: number;
  liquidationPenaltyRatio: number;
  maxOpenInterest: number;
}

/** The default markets (defaultMarkets.ts: the devnet's), as synthetic market specs. */
export const DEVNET_MARKET_SPECS: readonly SyntheticMarketSpec[] = DEFAULT_MARKETS.map((m) => ({
  symbol: m.symbol,
  price: m.initialPrice,
  ...m.params,
}));

/** `n` market specs: the devnet five, then small caps derived from the SOL/DOGE/WIF templates. */
export function syntheticMarketSpecs(n: number, seed = 1): SyntheticMarketSpec[] {
  const rng = new SeededRandom(seed);
  const out: SyntheticMarketSpec[] = [];
  for (let m = 0; m < n; m++) {
    const base = DEVNET_MARKET_SPECS[m];
    if (base) {
      out.push({ ...base });
      continue;
    }
    const t = DEVNET_MARKET_SPECS[2 + (m % 3)]!;
    const price = rng.logBetween(0.05, 500);
    const unitScale = t.price / price;
    out.push({
      ...t,
      symbol: `ALT${m + 1}`,
      price,
      skewScale: t.skewScale * unitScale,
      maxOpenInterest: t.maxOpenInterest * unitScale,
    });
  }
  return out;
}

function params(s: SyntheticMarketSpec): MarketParams {
  return {
    skewScale: toD18(s.skewScale),
    maxFundingVelocity: toD18(s.maxFundingVelocity),
    imrScalar: toD18(s.imrScalar),
    imrMin: toD18(s.imrMin),
    mmScalar: toD18(s.mmScalar),
    minPositionMargin: toD18(s.minPositionMargin),
    takerFee: toD18(s.takerFee),
    keeperRewardRatio: toD18(s.keeperRewardRatio),
    maxKeeperReward: toD18(s.maxKeeperReward),
    liquidationPenaltyRatio: toD18(s.liquidationPenaltyRatio),
    maxOpenInterest: toD18(s.maxOpenInterest),
  };
}

export interface SyntheticBookOptions {
  seed: number;
  accounts: number;
  /** Total open positions (default 3 per account); each account holds 1…min(6, markets). */
  positions?: number;
  /** Markets (default 5, the devnet ones). */
  markets?: number | readonly SyntheticMarketSpec[];
  /** Share of multi-market accounts whose legs point both ways (default 0.35). */
  hedgedShare?: number;
  /** Log-price dispersion of entry prices around the mark (default 0.04): unrealized PnL. */
  entryDispersion?: number;
  /** Block time of the book (default 1_767_225_600). */
  timestamp?: bigint;
}

/**
 * A whole exchange as an exact engine holds it: the normalized book's markets, accounts and
 * oracle prices with the deployment's scalars (the reference engine's `SyntheticState` shape,
 * so a synthetic book can be fed to it as the oracle of the analytics' tests).
 */
export interface SyntheticState {
  address: Address;
  owner: Address;
  maxPriceAge: bigint;
  insuranceFund: bigint;
  accountCount: bigint;
  markets: readonly Market[];
  accounts: Readonly<Record<string, Account>>;
  oracle: {
    owner: Address;
    updaters: Readonly<Record<string, boolean>>;
    prices: Readonly<Record<string, OraclePrice>>;
  };
  tokenBalance: bigint;
}

export interface SyntheticBook {
  state: SyntheticState;
  timestamp: bigint;
  specs: readonly SyntheticMarketSpec[];
}

const OWNER = "0x00000000000000000000000000000000000000aa" as const;

/** A seeded book. Deterministic for given options. */
export function syntheticBook(opts: SyntheticBookOptions): SyntheticBook {
  const rng = new SeededRandom(opts.seed);
  const specs =
    typeof opts.markets === "object"
      ? opts.markets.map((s) => ({ ...s }))
      : syntheticMarketSpecs(opts.markets ?? 5, opts.seed + 1);
  const nM = specs.length;
  const nA = opts.accounts;
  const maxK = Math.min(6, nM);
  const target = opts.positions ?? Math.min(3 * nA, maxK * nA);
  if (target < nA || target > maxK * nA) {
    throw new RangeError(`positions: ${target} is outside [${nA}, ${maxK * nA}]`);
  }
  const hedgedShare = opts.hedgedShare ?? 0.35;
  const dispersion = opts.entryDispersion ?? 0.04;
  const timestamp = opts.timestamp ?? 1_767_225_600n;

  // Positions per account: spread around the mean, then nudged until the total is exact.
  const mean = target / nA;
  const k = new Int32Array(nA);
  let total = 0;
  for (let a = 0; a < nA; a++) {
    const spread = Math.min(mean - 1, maxK - mean);
    k[a] = Math.max(1, Math.min(maxK, Math.round(mean + (rng.uniform() * 2 - 1) * spread)));
    total += k[a]!;
  }
  while (total !== target) {
    const a = rng.int(0, nA);
    if (total < target && k[a]! < maxK) {
      k[a]!++;
      total++;
    } else if (total > target && k[a]! > 1) {
      k[a]!--;
      total--;
    }
  }

  const fundingIndex = specs.map((s) => s.price * rng.between(-0.02, 0.02));
  const skew = new Float64Array(nM);
  const long = new Float64Array(nM);
  const short = new Float64Array(nM);
  const accounts: Record<string, Account> = {};
  const picked = new Int32Array(nM);
  for (let a = 0; a < nA; a++) {
    const ka = k[a]!;
    // Kind and gross leverage, after devnet/simulator/traders.ts.
    const u = rng.uniform();
    let collateral: number;
    let leverage: number;
    if (ka === 1 && u < 0.2) {
      collateral = rng.logBetween(2_000, 25_000); // degen: 55–92% of max leverage
      leverage = rng.between(0.55, 0.92) / specs[0]!.imrMin;
    } else if (u > 0.995) {
      collateral = rng.logBetween(1_000_000, 6_000_000); // whale
      leverage = rng.between(2, 8);
    } else {
      collateral = rng.logBetween(1_000, 200_000);
      leverage = rng.between(1.5, 10);
    }
    // Markets: distinct, the majors more often.
    picked.fill(0);
    const chosen: number[] = [];
    while (chosen.length < ka) {
      const m = rng.chance(0.5) ? rng.int(0, Math.min(3, nM)) : rng.int(0, nM);
      if (picked[m]) continue;
      picked[m] = 1;
      chosen.push(m);
    }
    chosen.sort((x, y) => x - y);
    const hedged = ka > 1 && rng.chance(hedgedShare);
    const side = rng.chance(0.55) ? 1 : -1;
    const weights = chosen.map(() => rng.between(0.2, 1));
    const wsum = weights.reduce((s, w) => s + w, 0);
    const positions: Record<string, Position> = {};
    let openMarkets = 0n;
    let firstLegSide = side;
    chosen.forEach((m, j) => {
      const spec = specs[m]!;
      const dir = hedged ? (j === 0 ? side : rng.chance(0.6) ? -firstLegSide : firstLegSide) : side;
      if (j === 0) firstLegSide = dir;
      // Cap each leg near the market's minimum initial margin, so leverage stays plausible.
      const maxLev = 1 / (spec.imrMin * 1.1);
      const notional = (collateral * Math.min(leverage, maxLev) * weights[j]!) / wsum;
      const size = (dir * notional) / spec.price;
      const entry = spec.price * Math.exp(dispersion * rng.normal());
      const idx = fundingIndex[m]! - spec.price * rng.between(-0.003, 0.003);
      const sizeD = toD18(size);
      if (sizeD === 0n) return;
      positions[String(m + 1)] = {
        size: sizeD,
        lastPrice: toD18(entry),
        lastFundingIndex: toD18(idx),
      };
      openMarkets |= 1n << BigInt(m);
      skew[m] = skew[m]! + size;
      if (size > 0) long[m] = long[m]! + size;
      else short[m] = short[m]! - size;
    });
    const accountId = BigInt(a + 1);
    accounts[accountId.toString()] = {
      accountId,
      owner: OWNER,
      collateral: toD18(collateral),
      openMarkets,
      positions,
      adlRecords: {},
    };
  }

  const markets: Market[] = specs.map((s, m) => {
    // Open-interest caps sized to the book, as an exchange sizes them to its demand.
    const cap = Math.max(s.maxOpenInterest, 1.25 * Math.max(long[m]!, short[m]!));
    s.maxOpenInterest = cap;
    return {
      marketId: BigInt(m + 1),
      symbol: s.symbol,
      params: params(s),
      state: {
        skew: toD18(skew[m]!),
        sizeLong: toD18(long[m]!),
        sizeShort: toD18(short[m]!),
        lastFundingRate: toD18(rng.between(-0.002, 0.002)),
        lastFundingIndex: toD18(fundingIndex[m]!),
        lastFundingTime: timestamp - 3_600n,
        badDebt: 0n,
      },
    };
  });
  const prices: Record<string, { price: bigint; publishTime: bigint }> = {};
  specs.forEach((s, m) => {
    prices[String(m + 1)] = { price: toD18(s.price), publishTime: timestamp };
  });
  const state: SyntheticState = {
    address: "0x00000000000000000000000000000000000000ee",
    owner: OWNER,
    maxPriceAge: 3_600n,
    insuranceFund: 0n,
    accountCount: BigInt(nA),
    markets,
    accounts,
    oracle: { owner: OWNER, updaters: { [OWNER]: true }, prices },
    tokenBalance: 0n,
  };
  return { state, timestamp, specs };
}

/** One account of a hand-made book: collateral and legs (market index, signed size, entry). */
export interface HandmadeAccount {
  collateral: number;
  legs: readonly { market: number; size: number; entry?: number }[];
}

/**
 * A book written out by hand (tests: two clusters, a hedge): markets from `specs` (default the
 * devnet five) at their spec prices, no funding accrued, entries at the mark unless given.
 */
export function handmadeBook(
  accounts: readonly HandmadeAccount[],
  specs: readonly SyntheticMarketSpec[] = DEVNET_MARKET_SPECS,
  timestamp = 1_767_225_600n,
): SyntheticBook {
  const base = syntheticBook({ seed: 1, accounts: 1, markets: specs, timestamp });
  const markets = base.state.markets.map((m) => ({
    ...m,
    state: { ...m.state, lastFundingRate: 0n, skew: 0n, lastFundingTime: timestamp },
  }));
  const out: Record<string, Account> = {};
  accounts.forEach((acc, a) => {
    const positions: Record<string, Position> = {};
    let openMarkets = 0n;
    for (const l of acc.legs) {
      const spec = specs[l.market];
      if (!spec) throw new RangeError(`legs: no market index ${l.market}`);
      positions[String(l.market + 1)] = {
        size: toD18(l.size),
        lastPrice: toD18(l.entry ?? spec.price),
        lastFundingIndex: markets[l.market]!.state.lastFundingIndex,
      };
      openMarkets |= 1n << BigInt(l.market);
    }
    const accountId = BigInt(a + 1);
    out[accountId.toString()] = {
      accountId,
      owner: OWNER,
      collateral: toD18(acc.collateral),
      openMarkets,
      positions,
      adlRecords: {},
    };
  });
  return {
    state: { ...base.state, markets, accounts: out, accountCount: BigInt(accounts.length) },
    timestamp,
    specs: base.specs,
  };
}
