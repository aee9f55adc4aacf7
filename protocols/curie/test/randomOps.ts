/**
 * Test support: a seeded random stream of Curie operations for the differential test — deposits
 * and withdrawals, takers opening, reducing, reversing and closing in both markets (exact input
 * and exact output, some with a price limit), makers adding and removing liquidity, oracle
 * rounds (aggregator pushAnswer + ChainlinkPriceFeedV3.update), empty blocks after time jumps,
 * and liquidation attempts. Each operation carries the engine's prediction of whether it
 * reverts (from the engine's own state and views at the next block's time), or undefined
 * where the engine does not predict it yet.
 */
import { type Abi, type Address, type Hash, maxUint256, parseUnits } from "viem";
import type { TxSigner } from "../../../devnet/chain.js";
import { SeededRandom } from "../../../engine/seededRandom.js";
import { mockAggregatorV3Abi } from "../contracts/generated/index.js";
import { curie } from "../devnet/artifacts.js";
import type { CurieMarket } from "../devnet/deploy.js";
import { getSqrtRatioAtTick } from "../engine/pool/index.js";
import { predictAddLiquidity, predictLiquidate, predictTrade } from "../engine/predict.js";
import * as V from "../engine/views.js";
import { type CurieChain, TX_GAS } from "./curieChain.js";

const ZERO_REFERRAL = `0x${"0".repeat(64)}` as const;

export interface Op {
  kind: string;
  /** Seconds from the previous block. */
  gap: number;
  /** Engine's prediction: true = reverts; undefined = not predicted. */
  reverts?: boolean;
  why?: string;
  send: () => Promise<Hash[]>;
}

export class RandomOps {
  private readonly rng: SeededRandom;
  private readonly orders: {
    maker: TxSigner;
    market: CurieMarket;
    lowerTick: number;
    upperTick: number;
  }[] = [];
  private readonly A = {
    ch: curie.ClearingHouse().abi as Abi,
    vault: curie.Vault().abi as Abi,
    feed: curie.ChainlinkPriceFeedV3().abi as Abi,
  };

  constructor(
    private readonly c: CurieChain,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed, "xoshiro128**");
  }

  private gap(): number {
    const r = this.rng.uniform();
    if (r < 0.75) return this.rng.intInclusive(1, 20);
    if (r < 0.95) return this.rng.intInclusive(21, 300);
    return this.rng.intInclusive(301, 3600);
  }

  private send(who: TxSigner, to: Address, abi: Abi, fn: string, args: unknown[]): Promise<Hash> {
    return who.write(to, abi, fn as never, args as never, TX_GAS);
  }

  private price(m: CurieMarket): number {
    const s = this.c.state.markets[m.baseToken]!.poolState!;
    return (Number(s.sqrtPriceX96) / 2 ** 96) ** 2;
  }

  /** The anchor liquidity: wide ranges that stay, so trades always find a price. */
  anchor(): Op[] {
    return this.c.d.markets.map((m) => {
      const tick = this.c.state.markets[m.baseToken]!.poolState!.tick;
      const lower = Math.floor((tick - 6000) / 60) * 60;
      return this.addOp(this.c.makers[0]!, m, lower, lower + 12000, 5_000_000, false);
    });
  }

  /** Operations queued by a scripted sequence, built one at a time (predictions need the state then). */
  private readonly queue: (() => Op)[] = [];

  next(): Op {
    const queued = this.queue.shift();
    if (queued) return queued();
    if (this.rng.chance(1 / 120)) {
      this.queueCrash();
      return this.queue.shift()!();
    }
    const rng = this.rng;
    const kind = rng.weighted({
      open: 36,
      whale: 5,
      close: 8,
      deposit: 6,
      withdraw: 7,
      add: 9,
      remove: 7,
      oracle: 11,
      wait: 5,
      liquidate: 6,
    });
    const market = rng.pick(this.c.d.markets);
    switch (kind) {
      case "open":
        return this.openOp(market);
      case "whale":
        return this.whaleOp(market);
      case "close":
        return this.closeOp(market);
      case "deposit":
        return this.depositOp();
      case "withdraw":
        return this.withdrawOp();
      case "add": {
        const tick = this.c.state.markets[market.baseToken]!.poolState!.tick;
        const width = 60 * rng.intInclusive(2, 80);
        const centre = tick + Math.round(rng.normal() * 1200);
        const lower = Math.floor((centre - width / 2) / 60) * 60;
        return this.addOp(
          rng.pick(this.c.makers),
          market,
          lower,
          lower + width,
          rng.logBetween(2_000, 500_000),
          true,
        );
      }
      case "remove":
        return this.removeOp() ?? this.oracleOp(market);
      case "oracle":
        return this.oracleOp(market);
      case "wait":
        return {
          kind: "wait",
          gap: rng.intInclusive(60, 4000),
          reverts: false,
          send: async () => [],
        };
      default:
        return this.liquidateOp(market);
    }
  }

  private depositOp(): Op {
    const who = this.rng.pick([...this.c.takers, ...this.c.makers]);
    const amount = parseUnits(this.rng.logBetween(100, 50_000).toFixed(6), 18);
    return {
      kind: "deposit",
      gap: this.gap(),
      reverts: false,
      send: async () => [
        await this.send(who, this.c.d.vault, this.A.vault, "deposit", [
          this.c.d.settlementToken,
          amount,
        ]),
      ],
    };
  }

  private withdrawOp(): Op {
    const who = this.rng.pick([...this.c.takers, ...this.c.makers]);
    const gap = this.gap();
    const now = BigInt(this.c.time + gap);
    const free = V.getFreeCollateralBySettlementToken(this.c.state, who.address, now);
    // Mostly within the free collateral, sometimes just over it.
    const amount = this.rng.chance(0.8)
      ? (free * BigInt(this.rng.intInclusive(1, 100))) / 100n
      : free + 1n + free / 50n;
    return {
      kind: "withdraw",
      gap,
      reverts: amount > free,
      why: "V_NEFC",
      send: async () => [
        await this.send(who, this.c.d.vault, this.A.vault, "withdraw", [
          this.c.d.settlementToken,
          amount,
        ]),
      ],
    };
  }

  private openOp(m: CurieMarket): Op {
    const rng = this.rng;
    const who = rng.pick(this.c.takers);
    const gap = this.gap();
    const now = BigInt(this.c.time + gap);
    const free = Number(V.getFreeCollateral(this.c.state, who.address, now)) / 1e18;
    // Size by leverage on the free collateral: up to (and a little past) the 10x the IM ratio allows.
    const usd = Math.max(20, free * 10 * rng.between(0.05, 1.05));
    const isBaseToQuote = rng.chance(0.5);
    const isExactInput = rng.chance(0.5);
    const exactIsBase = isBaseToQuote === isExactInput;
    const amount = parseUnits((exactIsBase ? usd / this.price(m) : usd).toFixed(12), 18);
    const s = this.c.state.markets[m.baseToken]!.poolState!;
    const bps = BigInt(rng.intInclusive(1, 200));
    const limit = rng.chance(0.15)
      ? isBaseToQuote
        ? (s.sqrtPriceX96 * (100_000n - bps)) / 100_000n
        : (s.sqrtPriceX96 * (100_000n + bps)) / 100_000n
      : 0n;
    const params = {
      baseToken: m.baseToken,
      isBaseToQuote,
      isExactInput,
      amount,
      oppositeAmountBound: isExactInput ? 0n : maxUint256,
      deadline: maxUint256,
      sqrtPriceLimitX96: limit,
      referralCode: ZERO_REFERRAL,
    };
    const p = predictTrade(this.c.state, who.address, params, now);
    return {
      kind: `open ${isBaseToQuote ? "short" : "long"} ${isExactInput ? "in" : "out"}${limit ? " limit" : ""}`,
      gap,
      reverts: p.reverts,
      why: p.why,
      send: async () => [
        await this.send(who, this.c.d.clearingHouse, this.A.ch, "openPosition", [params]),
      ],
    };
  }

  /**
   * A crash: a taker goes near the 10x limit, the whale pushes the pool the other way over a
   * few blocks (within the per-block tick limit), the oracle follows, time passes so the mark
   * price's TWAPs catch up, and the liquidator tries repeatedly — partial and full
   * liquidations, and bad debt when the move outruns the margin.
   */
  queueCrash(): void {
    const m = this.rng.pick(this.c.d.markets);
    const now = BigInt(this.c.time);
    const free = (t: TxSigner) => V.getFreeCollateral(this.c.state, t.address, now);
    const taker = this.c.takers.reduce((a, b) => (free(b) > free(a) ? b : a));
    const held = V.getTotalPositionSize(this.c.state, taker.address, m.baseToken);
    const long = held === 0n ? this.rng.chance(0.5) : held > 0n;
    this.queue.push(() => this.leveragedOp(taker, m, long, this.rng.between(0.5, 0.85)));
    const pushes = this.rng.intInclusive(3, 6);
    for (let i = 0; i < pushes; i++) {
      this.queue.push(() => this.pushOp(m, !long));
      this.queue.push(() => this.oracleOp(m, 1));
      this.queue.push(() => this.liquidateOp(m, taker.address));
    }
    this.queue.push(() => ({
      kind: "wait",
      gap: this.rng.intInclusive(600, 1800),
      reverts: false,
      send: async () => [],
    }));
    for (let i = 0; i < 4; i++) {
      this.queue.push(() => this.oracleOp(m, 1));
      this.queue.push(() => this.liquidateOp(m, taker.address));
    }
  }

  /** `taker` opens `long`/short at `fraction` of the 10x its free collateral allows. */
  private leveragedOp(taker: TxSigner, m: CurieMarket, long: boolean, fraction: number): Op {
    const gap = this.gap();
    const now = BigInt(this.c.time + gap);
    const free = Number(V.getFreeCollateral(this.c.state, taker.address, now)) / 1e18;
    const usd = Math.max(50, free * 10 * fraction);
    const params = {
      baseToken: m.baseToken,
      isBaseToQuote: !long,
      isExactInput: long,
      amount: parseUnits(usd.toFixed(12), 18),
      oppositeAmountBound: long ? 0n : maxUint256,
      deadline: maxUint256,
      sqrtPriceLimitX96: 0n,
      referralCode: ZERO_REFERRAL,
    };
    const p = predictTrade(this.c.state, taker.address, params, now);
    return {
      kind: "leveraged",
      gap,
      reverts: p.reverts,
      why: p.why,
      send: async () => [
        await this.send(taker, this.c.d.clearingHouse, this.A.ch, "openPosition", [params]),
      ],
    };
  }

  /** The whale moves the pool up (`up`) or down by 300 to 900 ticks, under the 1000-tick limit. */
  private pushOp(m: CurieMarket, up: boolean): Op {
    const who = this.c.makers[1]!;
    const gap = this.rng.intInclusive(16, 40);
    const now = BigInt(this.c.time + gap);
    const pool = this.c.state.markets[m.baseToken]!.poolState!;
    const ticks = this.rng.intInclusive(300, 900);
    const target = getSqrtRatioAtTick(pool.tick + (up ? ticks : -ticks));
    const params = {
      baseToken: m.baseToken,
      isBaseToQuote: !up,
      isExactInput: true,
      amount: parseUnits("1000000000", 18),
      oppositeAmountBound: 0n,
      deadline: maxUint256,
      sqrtPriceLimitX96: target,
      referralCode: ZERO_REFERRAL,
    };
    const p = predictTrade(this.c.state, who.address, params, now);
    return {
      kind: "push",
      gap,
      reverts: p.reverts,
      why: p.why,
      send: async () => [
        await this.send(who, this.c.d.clearingHouse, this.A.ch, "openPosition", [params]),
      ],
    };
  }

  /** A big trade by the second maker that moves the pool several percent (within the tick limit or not). */
  private whaleOp(m: CurieMarket): Op {
    const who = this.c.makers[1]!;
    const gap = this.gap();
    const now = BigInt(this.c.time + gap);
    const params = {
      baseToken: m.baseToken,
      isBaseToQuote: this.rng.chance(0.5),
      isExactInput: false,
      amount: 0n,
      oppositeAmountBound: 0n,
      deadline: maxUint256,
      sqrtPriceLimitX96: 0n,
      referralCode: ZERO_REFERRAL,
    };
    const usd = this.rng.logBetween(100_000, 2_000_000);
    params.isExactInput = !params.isBaseToQuote;
    params.amount = parseUnits((params.isBaseToQuote ? usd / this.price(m) : usd).toFixed(12), 18);
    const p = predictTrade(this.c.state, who.address, params, now);
    return {
      kind: "whale",
      gap,
      reverts: p.reverts,
      why: p.why,
      send: async () => [
        await this.send(who, this.c.d.clearingHouse, this.A.ch, "openPosition", [params]),
      ],
    };
  }

  private closeOp(m: CurieMarket): Op {
    const withPosition = this.c.takers.filter(
      (t) => V.getTakerPositionSize(this.c.state, t.address, m.baseToken) !== 0n,
    );
    const who =
      withPosition.length > 0 ? this.rng.pick(withPosition) : this.rng.pick(this.c.takers);
    const gap = this.gap();
    const now = BigInt(this.c.time + gap);
    const params = {
      baseToken: m.baseToken,
      sqrtPriceLimitX96: 0n,
      oppositeAmountBound: 0n,
      deadline: maxUint256,
      referralCode: ZERO_REFERRAL,
    };
    const size = V.getTakerPositionSize(this.c.state, who.address, m.baseToken);
    const p =
      size === 0n
        ? { reverts: true, why: "CH_PSZ" }
        : predictTrade(this.c.state, who.address, { ...params, isClose: true }, now);
    return {
      kind: "close",
      gap,
      reverts: p.reverts,
      why: p.why,
      send: async () => [
        await this.send(who, this.c.d.clearingHouse, this.A.ch, "closePosition", [params]),
      ],
    };
  }

  private addOp(
    maker: TxSigner,
    m: CurieMarket,
    lowerTick: number,
    upperTick: number,
    usd: number,
    removable: boolean,
  ): Op {
    const params = {
      baseToken: m.baseToken,
      base: parseUnits((usd / this.price(m)).toFixed(12), 18),
      quote: parseUnits(usd.toFixed(12), 18),
      lowerTick,
      upperTick,
      minBase: 0n,
      minQuote: 0n,
      useTakerBalance: false,
      deadline: maxUint256,
    };
    if (
      removable &&
      !this.orders.some(
        (o) =>
          o.maker === maker &&
          o.market === m &&
          o.lowerTick === lowerTick &&
          o.upperTick === upperTick,
      )
    ) {
      this.orders.push({ maker, market: m, lowerTick, upperTick });
    }
    const gap = removable ? this.gap() : 1;
    const p = predictAddLiquidity(this.c.state, maker.address, params, BigInt(this.c.time + gap));
    return {
      kind: "addLiquidity",
      gap,
      reverts: p.reverts,
      why: p.why,
      send: async () => [
        await this.send(maker, this.c.d.clearingHouse, this.A.ch, "addLiquidity", [params]),
      ],
    };
  }

  /** Removes all, part or none of a maker's order; undefined when there is no order left to touch. */
  private removeOp(): Op | undefined {
    if (this.orders.length === 0) return undefined;
    const i = this.rng.int(0, this.orders.length);
    const o = this.orders[i]!;
    const id = Object.values(this.c.state.orders).find(
      (x) =>
        x.maker === o.maker.address &&
        x.baseToken === o.market.baseToken &&
        x.lowerTick === o.lowerTick &&
        x.upperTick === o.upperTick,
    );
    const kind = this.rng.weighted({ all: 40, part: 50, none: 10 });
    const held = id?.liquidity ?? 0n;
    const liquidity =
      kind === "all"
        ? held
        : kind === "none"
          ? 0n
          : (held * BigInt(this.rng.intInclusive(1, 99))) / 100n;
    if (kind === "all" || held === 0n) this.orders.splice(i, 1);
    // No order (its add reverted, or it was removed): a zero burn of an empty position reverts NP.
    if (held === 0n) return undefined;
    const params = {
      baseToken: o.market.baseToken,
      lowerTick: o.lowerTick,
      upperTick: o.upperTick,
      liquidity,
      minBase: 0n,
      minQuote: 0n,
      deadline: maxUint256,
    };
    return {
      kind: "removeLiquidity",
      gap: this.gap(),
      reverts: liquidity > held,
      why: "LS",
      send: async () => [
        await this.send(o.maker, this.c.d.clearingHouse, this.A.ch, "removeLiquidity", [params]),
      ],
    };
  }

  private oracleOp(m: CurieMarket, follow = 0.5): Op {
    const f = this.c.state.markets[m.baseToken]!.feed;
    const last = Number(f.latestRound?.answer ?? 0n) / 1e8;
    // Random walk, pulled toward the pool price so the market and index stay within the spread limits.
    const target = (1 - follow) * last + follow * this.price(m);
    const next = target * (1 + this.rng.normal() * 0.01);
    const answer = BigInt(Math.round(next * 1e8));
    const d = this.c.deployer;
    return {
      kind: "oracle",
      gap: this.gap(),
      reverts: false,
      send: async () => [
        await this.send(d, m.aggregator, mockAggregatorV3Abi as Abi, "pushAnswer", [answer]),
        await this.send(d, m.chainlinkPriceFeed, this.A.feed, "update", []),
      ],
    };
  }

  private liquidateOp(m: CurieMarket, target?: Address): Op {
    const gap = this.gap();
    const now = BigInt(this.c.time + gap);
    const s = this.c.state;
    const candidates = this.c.takers.filter(
      (t) => V.getTakerPositionSize(s, t.address, m.baseToken) !== 0n,
    );
    const liquidatable = candidates.filter((t) => V.isLiquidatable(s, t.address, now));
    const trader =
      target ??
      (liquidatable.length > 0 ? this.rng.pick(liquidatable) : this.rng.pick(this.c.takers))
        .address;
    const p = predictLiquidate(s, this.c.liquidator.address, trader, m.baseToken, now);
    if (process.env.PERPWATCH_CURIE_DIFF_DEBUG) {
      const mark = Number(V.getMarkPrice(s, m.baseToken, now)) / 1e18;
      const value = Number(V.getAccountValue(s, trader, now)) / 1e18;
      const req = Number(V.getMarginRequirementForLiquidation(s, trader, now)) / 1e18;
      const size = Number(V.getTotalPositionSize(s, trader, m.baseToken)) / 1e18;
      process.stderr.write(
        `liquidate ${m.symbol} ${trader.slice(0, 8)} size ${size} mark ${mark} pool ${this.price(m)} value ${value} req ${req} -> ${p.why}\n`,
      );
    }
    return {
      kind: "liquidate",
      gap,
      reverts: p.reverts,
      why: p.why,
      send: async () => [
        await this.send(this.c.liquidator, this.c.d.clearingHouse, this.A.ch, "liquidate", [
          trader,
          m.baseToken,
          0n,
        ]),
      ],
    };
  }
}
