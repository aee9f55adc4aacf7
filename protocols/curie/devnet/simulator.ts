/**
 * The Curie market simulator: the block producer of a manual-mining devnet running Perp v2's
 * real bytecode. Every tick it advances the shared price model, lets the oracle keeper push a
 * round per market (aggregator `pushAnswer` + `ChainlinkPriceFeedV3.update`), the arbitrage
 * bot trade each pool toward the index inside the block's price window, the liquidator unwind
 * what it took over and liquidate what is liquidatable, the bad-debt keeper settle, the makers
 * re-centre and the traders trade; then it mines one block at `previous + secondsPerTick`.
 * Decisions follow from the seed and from chain state read at the previous block, so the same
 * seed gives the same transactions, hashes and blocks (devnet/chain.ts signs with fixed gas and
 * local nonces; anvil orders FIFO).
 */

import { type Address, encodeFunctionData, type Hash, parseEther, toHex } from "viem";
import type { BlockProducer, ChainClient } from "../../../devnet/chain.js";
import { TxSigner } from "../../../devnet/chain.js";
import { ANVIL_KEYS, traderKey } from "../../../devnet/keys.js";
import { PriceModel } from "../../../devnet/simulator/priceModel.js";
import {
  SCENARIOS,
  type Scenario,
  TRADER_KINDS,
  type TraderKind,
} from "../../../devnet/simulator/scenarios.js";
import type {
  SimulationResult,
  SimulatorOptions,
  TickReport,
} from "../../../devnet/simulator/simulation.js";
import { sleep } from "../../../devnet/simulator/sleep.js";
import { toD18 } from "../../../engine/analytics/d18.js";
import { DEFAULT_CORRELATION, DEFAULT_MARKETS } from "../../../engine/analytics/defaultMarkets.js";
import { SeededRandom } from "../../../engine/seededRandom.js";
import { arbitrageStrength, arbitrageSwap } from "./arbitrage.js";
import { curie } from "./artifacts.js";
import {
  type AccountState,
  type MarketState,
  readAccounts,
  readFreeCollateral,
  readMarkets,
} from "./chainState.js";
import type { CurieDeployment } from "./deploy.js";
import { type BlockDigest, digestBlock } from "./digest.js";
import { badDebtAccounts, liquidationTargets } from "./keepers.js";
import { curieActorKey } from "./keys.js";
import { amountsFor, around, createMakers, type Maker, rangesToRecentre } from "./makers.js";
import * as orders from "./orders.js";
import { aggregatorAnswer, tickAt } from "./prices.js";
import { clampToWindow, locateTickSlots, sqrtPriceAtTick, type TickSlots } from "./priceWindow.js";
import { curiePrices, type ScenarioMarkets, scenarioMarkets } from "./scenarioMarkets.js";
import { type CurieTrader, createTrader, decide, type TraderAction } from "./traders.js";
import { AccountWatch } from "./watch.js";

export type { SimulationResult, SimulatorOptions, TickReport };

/** A Curie block as reported: the shared fields plus what differs from the reference. */
export interface CurieTickReport extends TickReport {
  poolPrices: number[];
  markPrices: number[];
  partialLiquidations: number;
  badDebtSettlements: number;
  /** Sum of |FundingPaymentSettled| in the block, USD. */
  fundingSettled: number;
}

export interface CurieSimulationResult extends SimulationResult {
  partialLiquidations: number;
  /** BadDebtSettled events from the keeper's `Vault.settleBadDebt` (not from a liquidation). */
  badDebtSettlements: number;
  fundingSettled: number;
  insuranceFundStart: number;
  insuranceFundEnd: number;
  /** Index, pool and mark prices after the last block, per market. */
  final: { index: number[]; pool: number[]; mark: number[] };
}

/** Makers' liquidity per market, USD per trader (depth follows the crowd), and its floor. */
const LIQUIDITY_PER_TRADER = 300_000;
const MIN_LIQUIDITY = 3_000_000;
const MAKERS = 4;
/** Arbitrage: the most notional one swap may take, as a share of a market's maker liquidity. */
const ARB_SWAP_SHARE = 0.3;
const ONBOARD_BLOCK_TXS = 600;
const MIN_TRADE_USD = 50;
/** Trades stop this far from the index: Exchange reverts EX_OPB past a 10 % pool/index spread. */
const PRICE_BAND = 0.09;
const ETH_BALANCE = toHex(parseEther("1000000"));

function assignKinds(scenario: Scenario, count: number, rng: SeededRandom): TraderKind[] {
  const weights = TRADER_KINDS.map((k) => scenario.mix[k]);
  const total = weights.reduce((s, w) => s + w, 0);
  return Array.from({ length: count }, () => {
    let x = rng.uniform() * total;
    for (let i = 0; i < TRADER_KINDS.length; i++) {
      x -= weights[i]!;
      if (x < 0) return TRADER_KINDS[i]!;
    }
    return TRADER_KINDS[TRADER_KINDS.length - 1]!;
  });
}

const d18 = (usd: number): bigint => toD18(usd);

export class CurieSimulator {
  readonly traders: CurieTrader[];
  readonly makers: Maker[];
  private readonly traderSigners: TxSigner[];
  private readonly makerSigners: TxSigner[];
  private readonly oracle: TxSigner;
  private readonly liquidator: TxSigner;
  private readonly arbitrageur: TxSigner;
  private readonly model: PriceModel;
  private readonly view: ScenarioMarkets;
  private readonly history: number[][] = [];
  private readonly liquidityPerMarket: number;
  private readonly hashes: Hash[] = [];
  private readonly byKind: Record<string, number> = {};
  private readonly revertedByKind: Record<string, number> = {};
  private readonly inFlight = new Map<string, string>();
  /** Traders holding (or just sent) a position: checked for liquidation every block. */
  private readonly open = new Set<number>();
  private readonly watch = new AccountWatch();
  private slots: TickSlots[] = [];
  private sent = 0;

  constructor(
    private readonly client: ChainClient,
    private readonly producer: BlockProducer,
    private readonly d: CurieDeployment,
    private readonly opts: SimulatorOptions,
  ) {
    if (!producer.manual)
      throw new Error("CurieSimulator: needs a manual-mining devnet (it produces the blocks)");
    const master = new SeededRandom(opts.seed);
    const priceRng = master.split();
    const kindRng = master.split();
    const makerRng = master.split();
    const specs = d.markets.map((m) => m.spec);
    this.view = scenarioMarkets(opts.scenario, specs);
    const kinds = assignKinds(opts.scenario, opts.accounts, kindRng);
    this.traders = kinds.map((kind, i) =>
      createTrader(i, kind, opts.scenario, this.view, d.markets.length, master.split()),
    );
    this.liquidityPerMarket = Math.max(MIN_LIQUIDITY, LIQUIDITY_PER_TRADER * opts.accounts);
    this.makers = createMakers(
      MAKERS,
      specs.map((s) => s.initialPrice),
      this.liquidityPerMarket,
      makerRng,
    );
    this.traderSigners = this.traders.map(
      (t) => new TxSigner(client, traderKey(opts.seed, t.index)),
    );
    this.makerSigners = this.makers.map(
      (m) => new TxSigner(client, curieActorKey("maker", opts.seed, m.index)),
    );
    this.oracle = new TxSigner(client, ANVIL_KEYS.deployer);
    this.liquidator = new TxSigner(client, ANVIL_KEYS.liquidationKeeper);
    this.arbitrageur = new TxSigner(client, curieActorKey("arbitrageur", opts.seed, 0));
    this.model = new PriceModel(DEFAULT_MARKETS, DEFAULT_CORRELATION, priceRng);
    this.history.push(curiePrices(this.view, this.model.prices()));
  }

  private async send(signer: TxSigner, kind: string, call: orders.CurieCall): Promise<void> {
    const data = encodeFunctionData({
      abi: call.abi,
      functionName: call.functionName,
      args: call.args,
    } as never);
    const hash = await signer.sendData(call.to, data, call.gas);
    this.sent += 1;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    this.inFlight.set(hash, kind);
    if (this.opts.recordHashes) this.hashes.push(hash);
  }

  /** Gas, settlement tokens and deposits for every actor; then the makers' ranges. */
  async onboard(): Promise<{ transactions: number; seconds: number }> {
    const started = performance.now();
    const sentBefore = this.sent;
    const { vault, settlementToken: token } = this.d;
    const deposits: [TxSigner, number][] = [
      ...this.traders.map((t, i): [TxSigner, number] => [
        this.traderSigners[i]!,
        t.initialCollateral,
      ]),
      ...this.makers.map((m, i): [TxSigner, number] => [this.makerSigners[i]!, m.collateral]),
      [this.arbitrageur, this.liquidityPerMarket * this.d.markets.length * 0.5],
      [this.liquidator, this.liquidityPerMarket * 0.5],
    ];
    for (const s of [this.oracle, this.liquidator]) await s.syncNonce();
    for (const [s] of deposits) await this.client.rpc("anvil_setBalance", [s.address, ETH_BALANCE]);
    let inBlock = 0;
    for (const [s, usd] of deposits) {
      // The wallet keeps twice the deposit for reloads.
      await this.send(s, "mint", orders.mintSettlement(token, s.address, d18(usd * 3)));
      await this.send(s, "approve", orders.approveVault(token, vault));
      await this.send(s, "deposit", orders.deposit(vault, token, d18(usd)));
      inBlock += 3;
      if (inBlock >= ONBOARD_BLOCK_TXS) {
        await this.producer.mine(this.opts.scenario.secondsPerTick);
        inBlock = 0;
      }
    }
    await this.producer.mine(this.opts.scenario.secondsPerTick);
    for (const [i, m] of this.makers.entries()) {
      for (const r of m.ranges)
        await this.sendRange(this.makerSigners[i]!, r, this.d.markets[r.market]!.spec.initialPrice);
    }
    await this.producer.mine(this.opts.scenario.secondsPerTick);
    const blockNumber = await this.client.public.getBlockNumber();
    await this.digest(blockNumber);
    this.slots = await this.tickSlots();
    return { transactions: this.sent - sentBefore, seconds: (performance.now() - started) / 1000 };
  }

  private async sendRange(
    signer: TxSigner,
    r: Maker["ranges"][number],
    price: number,
  ): Promise<void> {
    const m = this.d.markets[r.market]!;
    const { base, quote } = amountsFor(r.value, price);
    await this.send(
      signer,
      "maker:add",
      orders.addLiquidity(
        this.d.clearingHouse,
        m.baseToken,
        d18(base),
        d18(quote),
        r.lowerTick,
        r.upperTick,
      ),
    );
  }

  /** The Exchange's reference-tick mapping slots: found once; every market is a key in them. */
  private async tickSlots(): Promise<TickSlots[]> {
    const [first, ...rest] = this.d.markets;
    const slots = await locateTickSlots(
      this.client,
      this.d.exchange,
      first!.baseToken,
      first!.spec.maxTickCrossedWithinBlock,
    );
    return [slots, ...rest.map(() => slots)];
  }

  private pastIndex = (market: number, lookback: number): number => {
    const i = Math.max(0, this.history.length - 1 - lookback);
    return this.history[i]![market]!;
  };

  private addresses(ids: readonly number[]): Address[] {
    return ids.map((i) => this.traderSigners[i]!.address);
  }

  async run(): Promise<CurieSimulationResult> {
    const { scenario, signal } = this.opts;
    const ticks = this.opts.ticks ?? scenario.ticks;
    const setup = await this.onboard();
    const sentAfterSetup = this.sent;
    const started = performance.now();
    const totals = new Totals();
    let blockNumber = await this.client.public.getBlockNumber();
    let state = await this.readMarkets(blockNumber);
    const insuranceFundStart = state.insuranceFund;
    let index = this.history[0]!;
    let tick = 0;
    for (; tick < ticks || this.opts.loop; tick++) {
      if (signal?.aborted) break;
      const tickStart = performance.now();
      const active = tick < ticks ? scenario : SCENARIOS.calm;
      index = this.nextIndex(tick, active);
      const sentBefore = this.sent;
      await this.sendBlock(tick, index, state, active, blockNumber);
      const timestamp = await this.producer.mine(scenario.secondsPerTick);
      blockNumber = await this.client.public.getBlockNumber();
      const digest = await this.digest(blockNumber);
      totals.add(digest);
      state = await this.readMarkets(blockNumber);
      const report: CurieTickReport = {
        tick,
        blockNumber,
        timestamp,
        phase: tick < ticks ? active.phase(tick) : "calm (looping)",
        prices: index,
        sent: this.sent - sentBefore,
        reverted: digest.reverted,
        liquidations: digest.liquidations,
        adl: 0,
        insuranceFund: state.insuranceFund,
        poolPrices: state.markets.map((m) => m.poolPrice),
        markPrices: state.markets.map((m) => m.markPrice),
        partialLiquidations: digest.partialLiquidations,
        badDebtSettlements: digest.badDebtSettlements,
        fundingSettled: digest.fundingSettled,
      };
      this.opts.onTick?.(report);
      if (this.opts.pace === "realtime") {
        const wait = this.opts.blockTime * 1000 - (performance.now() - tickStart);
        if (wait > 0) await sleep(wait, signal);
      }
    }
    return {
      ticks: tick,
      setupTransactions: setup.transactions,
      setupSeconds: setup.seconds,
      transactions: this.sent - sentAfterSetup,
      seconds: (performance.now() - started) / 1000,
      ...totals.result(),
      adlEvents: 0,
      finalBlock: blockNumber,
      hashes: this.hashes,
      byKind: this.byKind,
      revertedByKind: this.revertedByKind,
      insuranceFundStart,
      insuranceFundEnd: state.insuranceFund,
      final: {
        index,
        pool: state.markets.map((m) => m.poolPrice),
        mark: state.markets.map((m) => m.markPrice),
      },
    };
  }

  private readMarkets(blockNumber: bigint) {
    return readMarkets(this.client, this.d, this.slots, this.producer.timestamp, blockNumber);
  }

  /** Advances the price model one block and returns Curie's index prices. */
  private nextIndex(tick: number, active: Scenario): number[] {
    const step = this.model.step(this.opts.scenario.secondsPerTick, active.overlay(tick));
    const index = curiePrices(this.view, step);
    this.history.push(index);
    if (this.history.length > 600) this.history.shift();
    return index;
  }

  /** Every transaction of one block, in block order: oracle, arbitrage, keepers, makers, traders. */
  private async sendBlock(
    tick: number,
    index: readonly number[],
    { markets, insuranceFund }: { markets: readonly MarketState[]; insuranceFund: number },
    active: Scenario,
    blockNumber: bigint,
  ): Promise<void> {
    await this.oracleRound(index);
    await this.arbitrage(markets, index, active);
    const acting = this.traders.filter((t) => t.rng.chance(t.activity)).map((t) => t.index);
    const marks = markets.map((m) => m.markPrice);
    const watched = [...new Set([...this.watch.toRead(this.open, tick, marks), ...acting])].sort(
      (a, b) => a - b,
    );
    const accounts = await readAccounts(
      this.client,
      this.d,
      [...this.addresses(watched), this.liquidator.address],
      blockNumber,
    );
    const liquidatorState = accounts.pop()!;
    this.watch.record(watched, accounts, marks);
    await this.unwind(liquidatorState);
    const liquidating = await this.liquidations(watched, accounts, markets, insuranceFund);
    await this.makersAct(markets);
    await this.tradersAct(acting, watched, accounts, liquidating, markets, index, blockNumber);
  }

  /** A new round per market, then the feed's update (CPF_NU without a new round). */
  private async oracleRound(index: readonly number[]): Promise<void> {
    for (const [i, m] of this.d.markets.entries()) {
      await this.send(
        this.oracle,
        "keeper:oracle",
        orders.pushAnswer(m.aggregator, aggregatorAnswer(index[i]!, 8)),
      );
      await this.send(this.oracle, "keeper:oracle", orders.updateFeed(m.chainlinkPriceFeed));
    }
  }

  private async arbitrage(
    markets: readonly MarketState[],
    index: readonly number[],
    scenario: Scenario,
  ) {
    const strength = arbitrageStrength(scenario);
    for (const [i, m] of this.d.markets.entries()) {
      const s = markets[i]!;
      const previous = this.pastIndex(i, 1);
      const swap = arbitrageSwap(s.poolPrice, s.tick, index[i]!, previous, s.window, strength);
      if (!swap) continue;
      const budget = this.liquidityPerMarket * ARB_SWAP_SHARE;
      const amount = swap.buy ? d18(budget) : d18(budget / s.poolPrice);
      await this.send(
        this.arbitrageur,
        "arbitrage",
        orders.openPosition(
          this.d.clearingHouse,
          m.baseToken,
          swap.buy,
          amount,
          sqrtPriceAtTick(swap.limitTick),
        ),
      );
    }
  }

  /** The liquidator closes, through the pools, the positions it took over. */
  private async unwind(liquidator: AccountState): Promise<void> {
    for (const [i, m] of this.d.markets.entries()) {
      if (liquidator.sizes[i] !== 0n)
        await this.send(
          this.liquidator,
          "keeper:unwind",
          orders.closePosition(this.d.clearingHouse, m.baseToken),
        );
    }
  }

  private async liquidations(
    watched: readonly number[],
    accounts: readonly AccountState[],
    markets: readonly MarketState[],
    insuranceFund: number,
  ): Promise<Set<number>> {
    const liquidating = new Set<number>();
    const marks = markets.map((m) => m.markPrice);
    for (const { account, market, size } of liquidationTargets(accounts, marks, insuranceFund)) {
      const id = watched[account]!;
      const trader = this.traderSigners[id]!.address;
      liquidating.add(id);
      this.watch.touch(id);
      this.pendingSizes.set(`${trader.toLowerCase()}:${market}`, accounts[account]!.sizes[market]!);
      const base = this.d.markets[market]!.baseToken;
      await this.send(
        this.liquidator,
        "keeper:liquidate",
        orders.liquidate(this.d.clearingHouse, trader, base, size),
      );
    }
    for (const account of badDebtAccounts(accounts)) {
      await this.send(
        this.liquidator,
        "keeper:settleBadDebt",
        orders.settleBadDebt(this.d.vault, this.traderSigners[watched[account]!]!.address),
      );
    }
    return liquidating;
  }

  /** Sizes of positions sent to liquidation this block, by `trader:market` (partial or not). */
  private readonly pendingSizes = new Map<string, bigint>();

  private async makersAct(markets: readonly MarketState[]): Promise<void> {
    const ticks = markets.map((m) => m.tick);
    for (const [i, maker] of this.makers.entries()) {
      for (const r of rangesToRecentre(maker, ticks)) {
        const s = markets[r.market]!;
        // addLiquidity reverts CH_OMPS past a 10 % pool/index-TWAP spread: wait for the arbitrage.
        if (s.overPriceSpread) continue;
        const m = this.d.markets[r.market]!;
        const order = (await this.client.public.readContract({
          address: this.d.orderBook,
          abi: curie.OrderBook().abi,
          functionName: "getOpenOrder",
          args: [this.makerSigners[i]!.address, m.baseToken, r.lowerTick, r.upperTick],
        })) as { liquidity: bigint };
        if (order.liquidity > 0n)
          await this.send(
            this.makerSigners[i]!,
            "maker:remove",
            orders.removeLiquidity(
              this.d.clearingHouse,
              m.baseToken,
              r.lowerTick,
              r.upperTick,
              order.liquidity,
            ),
          );
        Object.assign(r, around(s.poolPrice, r.width));
        await this.sendRange(this.makerSigners[i]!, r, s.poolPrice);
      }
    }
  }

  private async tradersAct(
    acting: readonly number[],
    watched: readonly number[],
    accounts: readonly AccountState[],
    liquidating: ReadonlySet<number>,
    markets: readonly MarketState[],
    index: readonly number[],
    blockNumber: bigint,
  ): Promise<void> {
    const at = new Map(watched.map((id, i) => [id, accounts[i]!]));
    const ctx = { index, pool: markets.map((m) => m.poolPrice), pastIndex: this.pastIndex };
    const trading = acting.filter((id) => !liquidating.has(id));
    const free = await readFreeCollateral(
      this.client,
      this.d,
      this.addresses(trading),
      blockNumber,
    );
    for (const [k, id] of trading.entries()) {
      const account = at.get(id)!;
      const t = this.traders[id]!;
      const state = {
        value: account.value,
        freeCollateral: free[k]!,
        sizes: account.sizes.map((s) => Number(s) / 1e18),
      };
      for (const action of decide(t, state, ctx)) {
        await this.act(t, state.sizes, action, markets, index);
      }
    }
    for (const [i, id] of watched.entries()) {
      if (accounts[i]!.sizes.every((s) => s === 0n)) this.open.delete(id);
      else this.open.add(id);
    }
  }

  private async act(
    t: CurieTrader,
    sizes: readonly number[],
    action: TraderAction,
    markets: readonly MarketState[],
    index: readonly number[],
  ): Promise<void> {
    const signer = this.traderSigners[t.index]!;
    const kind = `${t.kind}:${action.type}`;
    const { vault, settlementToken: token, clearingHouse } = this.d;
    if (action.type === "deposit") {
      await this.send(
        signer,
        kind,
        orders.mintSettlement(token, signer.address, d18(action.amount)),
      );
      await this.send(signer, kind, orders.deposit(vault, token, d18(action.amount)));
      return;
    }
    if (action.type === "withdraw") {
      await this.send(signer, kind, orders.withdraw(vault, token, d18(action.amount)));
      return;
    }
    const m = this.d.markets[action.market]!;
    const s = markets[action.market]!;
    const current = sizes[action.market]!;
    if (action.target === 0 && current !== 0) {
      await this.send(signer, `${t.kind}:close`, orders.closePosition(clearingHouse, m.baseToken));
      this.open.add(t.index);
      this.watch.touch(t.index);
      return;
    }
    const delta = action.target - current;
    if (Math.abs(delta) * s.poolPrice < MIN_TRADE_USD) return;
    const buy = delta > 0;
    const band = tickAt(index[action.market]! * (buy ? 1 + PRICE_BAND : 1 - PRICE_BAND));
    const edge = clampToWindow(
      s.window,
      buy
        ? Math.min(band, s.window.refTick + s.window.maxDelta)
        : Math.max(band, s.window.refTick - s.window.maxDelta),
    );
    if (buy ? edge <= s.tick : edge >= s.tick) return;
    const amount = buy ? d18(delta * s.poolPrice) : d18(-delta);
    await this.send(
      signer,
      kind,
      orders.openPosition(clearingHouse, m.baseToken, buy, amount, sqrtPriceAtTick(edge)),
    );
    this.open.add(t.index);
  }

  private async digest(blockNumber: bigint): Promise<BlockDigest> {
    const out = await digestBlock(
      this.client,
      this.d,
      blockNumber,
      this.inFlight,
      this.pendingSizes,
    );
    for (const [kind, n] of Object.entries(out.revertedByKind))
      this.revertedByKind[kind] = (this.revertedByKind[kind] ?? 0) + n;
    this.pendingSizes.clear();
    return out;
  }
}

/** Run totals, block by block. */
class Totals {
  private reverted = 0;
  private liquidations = 0;
  private partial = 0;
  private badDebtLiquidations = 0;
  private badDebtSettlements = 0;
  private covered = 0;
  private funding = 0;

  add(d: BlockDigest): void {
    this.reverted += d.reverted;
    this.liquidations += d.liquidations;
    this.partial += d.partialLiquidations;
    this.badDebtLiquidations += d.badDebtLiquidations;
    this.badDebtSettlements += d.badDebtSettlements;
    this.covered += d.badDebt;
    this.funding += d.fundingSettled;
  }

  result() {
    return {
      reverted: this.reverted,
      liquidations: this.liquidations,
      partialLiquidations: this.partial,
      badDebtLiquidations: this.badDebtLiquidations,
      badDebtSettlements: this.badDebtSettlements,
      insuranceCovered: this.covered,
      fundingSettled: this.funding,
    };
  }
}
