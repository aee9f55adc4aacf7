/**
 * Test support: a seeded random stream of Curie operations that move the pools — makers'
 * addLiquidity / removeLiquidity over assorted tick ranges (in, above and below the price,
 * partial, full and zero removals), takers' openPosition both ways with exact input and exact
 * output (some with a sqrt price limit that stops them short), and now and then a direct
 * `increaseObservationCardinalityNext` on a pool. Each call
 * is tried with eth_call first and only sent when it would succeed at the latest block.
 */
import { type Abi, type Address, type Hash, maxUint256, parseUnits } from "viem";
import type { TxSigner } from "../../../../../devnet/chain.js";
import { SeededRandom } from "../../../../../engine/seededRandom.js";
import { curie } from "../../../devnet/artifacts.js";
import type { CurieMarket } from "../../../devnet/deploy.js";
import { type CurieDevnet, TX_GAS, wouldSucceed } from "./curieDevnet.js";

const ZERO_REFERRAL = `0x${"0".repeat(64)}` as const;

interface Order {
  maker: TxSigner;
  market: CurieMarket;
  lowerTick: number;
  upperTick: number;
}

export class RandomPoolOps {
  private readonly rng: SeededRandom;
  private readonly orders: Order[] = [];
  private readonly ch: Abi = curie.ClearingHouse().abi;

  constructor(
    private readonly net: CurieDevnet,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed, "xoshiro128**");
  }

  /** Seconds to the next block: mostly seconds, sometimes minutes, now and then most of an hour. */
  gap(): number {
    const r = this.rng.uniform();
    if (r < 0.7) return this.rng.intInclusive(1, 30);
    if (r < 0.9) return this.rng.intInclusive(31, 300);
    return this.rng.intInclusive(301, 2400);
  }

  /** Wide liquidity that stays, so the pools never run dry. */
  async anchor(): Promise<Hash[]> {
    const hashes: Hash[] = [];
    for (const market of this.net.d.markets) {
      const tick = this.net.pools.get(market.pool.toLowerCase())!.state!.tick;
      const h = await this.add(
        this.net.makers[0]!,
        market,
        tick - 6000,
        tick + 6000,
        2_000_000,
        false,
      );
      if (h) hashes.push(h);
    }
    return hashes;
  }

  /** Sends one random operation; undefined when it would revert. */
  async next(): Promise<Hash | undefined> {
    const rng = this.rng;
    const market = rng.pick(this.net.d.markets);
    const op = rng.weighted({ open: 45, add: 25, remove: 25, grow: 5 });
    if (op === "open") return this.open(market);
    if (op === "grow") return this.grow(market);
    if (op === "remove" && this.orders.length > 0) return this.remove();
    const tick = this.net.pools.get(market.pool.toLowerCase())!.state!.tick;
    const width = 60 * rng.intInclusive(1, 120);
    const centre = tick + Math.round(rng.normal() * 1500);
    const lower = Math.floor((centre - width / 2) / 60) * 60;
    const usd = rng.logBetween(1_000, 1_000_000);
    return this.add(rng.pick(this.net.makers), market, lower, lower + width, usd, true);
  }

  private price(market: CurieMarket): number {
    const s = this.net.pools.get(market.pool.toLowerCase())!.state!;
    return (Number(s.sqrtPriceX96) / 2 ** 96) ** 2;
  }

  private async add(
    maker: TxSigner,
    market: CurieMarket,
    lowerTick: number,
    upperTick: number,
    usd: number,
    removable: boolean,
  ): Promise<Hash | undefined> {
    const params = {
      baseToken: market.baseToken,
      base: parseUnits((usd / this.price(market)).toFixed(18), 18),
      quote: parseUnits(usd.toFixed(18), 18),
      lowerTick,
      upperTick,
      minBase: 0n,
      minQuote: 0n,
      useTakerBalance: false,
      deadline: maxUint256,
    };
    const hash = await this.send(maker, "addLiquidity", [params]);
    if (
      hash &&
      removable &&
      !this.orders.some((o) => same(o, maker, market, lowerTick, upperTick))
    ) {
      this.orders.push({ maker, market, lowerTick, upperTick });
    }
    return hash;
  }

  private async remove(): Promise<Hash | undefined> {
    const rng = this.rng;
    const index = rng.int(0, this.orders.length);
    const o = this.orders[index]!;
    const info = (await this.net.client.public.readContract({
      address: this.net.d.orderBook,
      abi: curie.OrderBook().abi,
      functionName: "getOpenOrder",
      args: [o.maker.address, o.market.baseToken, o.lowerTick, o.upperTick],
    })) as { liquidity: bigint };
    const kind = rng.weighted({ all: 35, part: 55, none: 10 });
    const liquidity =
      kind === "all"
        ? info.liquidity
        : kind === "none"
          ? 0n
          : (info.liquidity * BigInt(rng.int(1, 100))) / 100n;
    // Zero: added in a block not mined yet, or its add reverted; keep it for later.
    if (info.liquidity === 0n) return undefined;
    if (kind === "all") this.orders.splice(index, 1);
    const params = {
      baseToken: o.market.baseToken,
      lowerTick: o.lowerTick,
      upperTick: o.upperTick,
      liquidity,
      minBase: 0n,
      minQuote: 0n,
      deadline: maxUint256,
    };
    return this.send(o.maker, "removeLiquidity", [params]);
  }

  private async open(market: CurieMarket): Promise<Hash | undefined> {
    const rng = this.rng;
    const usd = rng.logBetween(50, 300_000);
    const isBaseToQuote = rng.chance(0.5);
    const isExactInput = rng.chance(0.5);
    // The exact side is base when selling with exact input or buying with exact output.
    const exactIsBase = isBaseToQuote === isExactInput;
    const amount = exactIsBase ? usd / this.price(market) : usd;
    const params = {
      baseToken: market.baseToken,
      isBaseToQuote,
      isExactInput,
      amount: parseUnits(amount.toFixed(18), 18),
      oppositeAmountBound: isExactInput ? 0n : maxUint256,
      deadline: maxUint256,
      sqrtPriceLimitX96: rng.chance(0.2) ? this.limit(market, isBaseToQuote) : 0n,
      referralCode: ZERO_REFERRAL,
    };
    return this.send(rng.pick(this.net.takers), "openPosition", [params]);
  }

  /** A sqrt price limit a little way from the price in the swap's direction (may stop it short). */
  private limit(market: CurieMarket, isBaseToQuote: boolean): bigint {
    const s = this.net.pools.get(market.pool.toLowerCase())!.state!;
    const bps = BigInt(this.rng.intInclusive(1, 100));
    return isBaseToQuote
      ? (s.sqrtPriceX96 * (100_000n - bps)) / 100_000n
      : (s.sqrtPriceX96 * (100_000n + bps)) / 100_000n;
  }

  private async grow(market: CurieMarket): Promise<Hash | undefined> {
    const s = this.net.pools.get(market.pool.toLowerCase())!.state!;
    const next = s.observationCardinalityNext + this.rng.intInclusive(1, 6);
    const signer = this.net.makers[0]!;
    const abi = curie.UniswapV3Pool().abi;
    const args = [next];
    if (
      !(await wouldSucceed(
        this.net,
        signer.address,
        market.pool,
        abi,
        "increaseObservationCardinalityNext",
        args,
      ))
    ) {
      return undefined;
    }
    return signer.write(
      market.pool,
      abi,
      "increaseObservationCardinalityNext" as never,
      args as never,
      TX_GAS,
    );
  }

  private async send(from: TxSigner, fn: string, args: unknown[]): Promise<Hash | undefined> {
    const to: Address = this.net.d.clearingHouse;
    if (!(await wouldSucceed(this.net, from.address, to, this.ch, fn, args))) return undefined;
    return from.write(to, this.ch, fn as never, args as never, TX_GAS);
  }
}

function same(o: Order, maker: TxSigner, market: CurieMarket, lower: number, upper: number) {
  return o.maker === maker && o.market === market && o.lowerTick === lower && o.upperTick === upper;
}
