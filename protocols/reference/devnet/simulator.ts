/**
 * The market simulator: the block producer of a manual-mining devnet. Every tick it advances
 * the price model, reads the book, lets the oracle keeper push prices, the liquidation and ADL
 * keepers act, and the traders trade, then mines one block at `previous + secondsPerTick`.
 * Everything a transaction contains follows from the seed and from chain state that itself
 * follows from the seed, so the same seed gives the same transactions, hashes and blocks.
 */

import { decodeEventLog, type Hash, type Log, maxUint256, parseEther, toHex } from "viem";
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
import { fromD18, toD18At8Decimals } from "../../../engine/analytics/d18.js";
import { SeededRandom } from "../../../engine/seededRandom.js";
import { mockUSDAbi, perpExchangeAbi, priceOracleAbi } from "../contracts/generated/index.js";
import { type Book, readBook } from "./book.js";
import type { Deployment } from "./deploy.js";
import { adlCounterparties, liquidationCandidates, type PendingAdl } from "./keepers.js";
import { DEFAULT_CORRELATION } from "./markets.js";
import { type Action, createTrader, decide, type MarginSpec, type Trader } from "./traders.js";

export type { SimulationResult, SimulatorOptions, TickReport };

const GAS = {
  prices: 400_000n,
  liquidate: 2_500_000n,
  adl: 3_000_000n,
  trade: 800_000n,
  collateral: 600_000n,
  approve: 100_000n,
  createAccount: 150_000n,
  mint: 8_000_000n,
} as const;

const ONBOARD_BLOCK_TXS = 600;
const MINT_BATCH = 250;

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

function marginSpec(d: Deployment): MarginSpec[] {
  return d.markets.map(({ spec }) => ({
    skewScale: fromD18(spec.params.skewScale),
    takerFee: fromD18(spec.params.takerFee),
    imrScalar: fromD18(spec.params.imrScalar),
    imrMin: fromD18(spec.params.imrMin),
    minPositionMargin: fromD18(spec.params.minPositionMargin),
  }));
}

export class Simulator {
  readonly traders: Trader[];
  private readonly signers: TxSigner[];
  private readonly oracleKeeper: TxSigner;
  private readonly liquidator: TxSigner;
  private readonly adlKeeper: TxSigner;
  private readonly deployer: TxSigner;
  private readonly model: PriceModel;
  private readonly margins: MarginSpec[];
  private readonly pending = new Map<string, PendingAdl>();
  private readonly hashes: Hash[] = [];
  private readonly byKind: Record<string, number> = {};
  private readonly revertedByKind: Record<string, number> = {};
  /** Kind of each transaction sent since the last mined block, by hash. */
  private readonly inFlight = new Map<string, string>();
  private sent = 0;
  private firstAccountId = 1;

  constructor(
    private readonly client: ChainClient,
    private readonly producer: BlockProducer,
    private readonly deployment: Deployment,
    private readonly opts: SimulatorOptions,
  ) {
    if (!producer.manual)
      throw new Error("Simulator: needs a manual-mining devnet (it produces the blocks)");
    const master = new SeededRandom(opts.seed);
    const priceRng = master.split();
    const kindRng = master.split();
    const kinds = assignKinds(opts.scenario, opts.accounts, kindRng);
    const marketCount = deployment.markets.length;
    this.traders = kinds.map((kind, i) =>
      createTrader(i, kind, opts.scenario, master.split(), marketCount),
    );
    this.signers = this.traders.map((t) => new TxSigner(client, traderKey(opts.seed, t.index)));
    this.oracleKeeper = new TxSigner(client, ANVIL_KEYS.oracleKeeper);
    this.liquidator = new TxSigner(client, ANVIL_KEYS.liquidationKeeper);
    this.adlKeeper = new TxSigner(client, ANVIL_KEYS.adlKeeper);
    this.deployer = new TxSigner(client, ANVIL_KEYS.deployer);
    this.model = new PriceModel(
      deployment.markets.map((m) => m.spec),
      DEFAULT_CORRELATION.slice(0, marketCount).map((row) => row.slice(0, marketCount)),
      priceRng,
    );
    this.margins = marginSpec(deployment);
  }

  private count(kind: string, hash: Hash): void {
    this.sent += 1;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    this.inFlight.set(hash, kind);
    if (this.opts.recordHashes) this.hashes.push(hash);
  }

  /** Funds every trader (gas and collateral), opens its account and deposits. */
  async onboard(): Promise<{ transactions: number; seconds: number }> {
    const started = performance.now();
    const sentBefore = this.sent;
    const { exchange, collateralToken } = this.deployment;
    for (const s of [this.deployer, this.oracleKeeper, this.liquidator, this.adlKeeper])
      await s.syncNonce();
    this.firstAccountId =
      Number(
        await this.client.public.readContract({
          address: exchange,
          abi: perpExchangeAbi,
          functionName: "accountCount",
        }),
      ) + 1;
    for (const t of this.traders) t.accountId = this.firstAccountId + t.index;
    const eth = toHex(parseEther("1000"));
    for (const s of this.signers) await this.client.rpc("anvil_setBalance", [s.address, eth]);

    let inBlock = 0;
    const flush = async (force = false) => {
      if (inBlock > 0 && (force || inBlock >= ONBOARD_BLOCK_TXS)) {
        await this.producer.mine(this.opts.scenario.secondsPerTick);
        inBlock = 0;
      }
    };
    for (let i = 0; i < this.traders.length; i += MINT_BATCH) {
      const batch = this.traders.slice(i, i + MINT_BATCH);
      const hash = await this.deployer.write(
        collateralToken,
        mockUSDAbi,
        "mintBatch",
        [
          batch.map((t) => this.signers[t.index]!.address),
          batch.map((t) => toD18At8Decimals(t.initialCollateral * 3)),
        ],
        GAS.mint,
      );
      this.count("mint", hash);
      inBlock += 1;
    }
    await flush(true);
    for (const t of this.traders) {
      const s = this.signers[t.index]!;
      this.count(
        "approve",
        await s.write(collateralToken, mockUSDAbi, "approve", [exchange, maxUint256], GAS.approve),
      );
      this.count(
        "createAccount",
        await s.write(exchange, perpExchangeAbi, "createAccount", [], GAS.createAccount),
      );
      this.count(
        "deposit",
        await s.write(
          exchange,
          perpExchangeAbi,
          "modifyCollateral",
          [BigInt(t.accountId), toD18At8Decimals(t.initialCollateral)],
          GAS.collateral,
        ),
      );
      inBlock += 3;
      await flush();
    }
    await flush(true);
    return { transactions: this.sent - sentBefore, seconds: (performance.now() - started) / 1000 };
  }

  private skews(book: Book): number[] {
    const skews = new Array<number>(book.marketCount).fill(0);
    for (let i = 0; i < book.accountCount; i++) {
      for (let m = 0; m < book.marketCount; m++) {
        const s = book.sizes[i * book.marketCount + m]!;
        if (s !== 0n) skews[m]! += fromD18(s);
      }
    }
    return skews;
  }

  private async send(kind: string, trader: Trader, action: Action): Promise<void> {
    const s = this.signers[trader.index]!;
    const { exchange } = this.deployment;
    const id = BigInt(trader.accountId);
    let hash: Hash;
    if (action.type === "trade") {
      hash = await s.write(
        exchange,
        perpExchangeAbi,
        "modifyPosition",
        [id, BigInt(action.marketId), action.sizeDelta],
        GAS.trade,
      );
    } else {
      const delta = action.type === "deposit" ? action.amount : -action.amount;
      hash = await s.write(
        exchange,
        perpExchangeAbi,
        "modifyCollateral",
        [id, delta],
        GAS.collateral,
      );
    }
    this.count(`${kind}:${action.type}`, hash);
  }

  /** Reads the mined block's receipts: reverts, liquidations, ADL, and new bad-debt records. */
  private async digestBlock(blockNumber: bigint): Promise<{
    reverted: number;
    liquidations: number;
    badDebtLiquidations: number;
    covered: number;
    adl: number;
  }> {
    const receipts = await this.client.rpc<
      { status: string; transactionHash: Hash; logs: Log[] }[]
    >("eth_getBlockReceipts", [toHex(blockNumber)]);
    const out = { reverted: 0, liquidations: 0, badDebtLiquidations: 0, covered: 0, adl: 0 };
    const exchange = this.deployment.exchange.toLowerCase();
    for (const r of receipts) {
      const kind = this.inFlight.get(r.transactionHash) ?? "other";
      this.inFlight.delete(r.transactionHash);
      if (r.status !== "0x1") {
        out.reverted += 1;
        this.revertedByKind[kind] = (this.revertedByKind[kind] ?? 0) + 1;
        continue;
      }
      for (const log of r.logs) {
        if (log.address.toLowerCase() !== exchange) continue;
        const ev = decodeEventLog({
          abi: perpExchangeAbi,
          data: log.data,
          topics: log.topics as never,
        });
        if (ev.eventName === "AccountLiquidated") {
          out.liquidations += 1;
          if (ev.args.badDebt > 0n) out.badDebtLiquidations += 1;
          out.covered += fromD18(ev.args.insuranceCovered);
        } else if (ev.eventName === "PositionAutoDeleveraged") {
          out.adl += 1;
        } else if (ev.eventName === "BadDebtRecorded") {
          const key = `${ev.args.accountId}:${ev.args.marketId}:${ev.args.isLong}`;
          if (ev.args.recordDebt === 0n && ev.args.recordSize === 0n) this.pending.delete(key);
          else
            this.pending.set(key, {
              bankruptAccountId: Number(ev.args.accountId),
              marketId: Number(ev.args.marketId),
              isLong: ev.args.isLong,
              size: ev.args.recordSize,
              debt: ev.args.recordDebt,
            });
        }
      }
    }
    return out;
  }

  async run(): Promise<SimulationResult> {
    const { scenario, signal } = this.opts;
    const ticks = this.opts.ticks ?? scenario.ticks;
    const setup = await this.onboard();
    const sentAfterSetup = this.sent;
    const started = performance.now();
    const { exchange, oracle, markets } = this.deployment;
    const marketIds = markets.map((m) => BigInt(m.marketId));
    const totals = { reverted: 0, liquidations: 0, badDebtLiquidations: 0, covered: 0, adl: 0 };
    let blockNumber = 0n;
    let tick = 0;
    for (; tick < ticks || this.opts.loop; tick++) {
      if (signal?.aborted) break;
      const tickStart = performance.now();
      const active = tick < ticks ? scenario : SCENARIOS.calm;
      const previousPrices = this.model.prices();
      const prices = this.model.step(scenario.secondsPerTick, active.overlay(tick));
      const book = await readBook(
        this.client,
        this.deployment.lens,
        this.firstAccountId - 1 + this.traders.length,
        markets.length,
      );
      const sentBefore = this.sent;

      this.count(
        "keeper:prices",
        await this.oracleKeeper.write(
          oracle,
          priceOracleAbi,
          "setPrices",
          [marketIds, prices.map((p) => toD18At8Decimals(p))],
          GAS.prices,
        ),
      );
      const liquidating = new Set(liquidationCandidates(book, 200));
      for (const id of liquidating) {
        this.count(
          "keeper:liquidate",
          await this.liquidator.write(
            exchange,
            perpExchangeAbi,
            "liquidate",
            [BigInt(id)],
            GAS.liquidate,
          ),
        );
      }
      const pendings = [...this.pending.values()].sort(
        (a, b) =>
          a.bankruptAccountId - b.bankruptAccountId ||
          a.marketId - b.marketId ||
          Number(b.isLong) - Number(a.isLong),
      );
      const used = new Set(liquidating);
      for (const p of pendings) {
        const cps = adlCounterparties(book, p, prices[p.marketId - 1]!, used, 8);
        if (cps.length === 0) continue;
        for (const id of cps) used.add(id);
        this.count(
          "keeper:adl",
          await this.adlKeeper.write(
            exchange,
            perpExchangeAbi,
            "autoDeleverage",
            [BigInt(p.bankruptAccountId), BigInt(p.marketId), p.isLong, cps.map(BigInt)],
            GAS.adl,
          ),
        );
      }
      const ctx = {
        book,
        prices,
        previousPrices,
        model: this.model,
        margins: this.margins,
        skews: this.skews(book),
        scenario: active,
      };
      for (const t of this.traders) {
        if (liquidating.has(t.accountId)) continue;
        for (const action of decide(t, ctx)) {
          await this.send(t.kind, t, action);
          // Later traders in this block trade against the skew this one leaves.
          if (action.type === "trade") ctx.skews[action.marketId - 1]! += fromD18(action.sizeDelta);
        }
      }

      const timestamp = await this.producer.mine(scenario.secondsPerTick);
      blockNumber = await this.client.public.getBlockNumber();
      const digest = await this.digestBlock(blockNumber);
      totals.reverted += digest.reverted;
      totals.liquidations += digest.liquidations;
      totals.badDebtLiquidations += digest.badDebtLiquidations;
      totals.covered += digest.covered;
      totals.adl += digest.adl;
      if (this.opts.onTick) {
        const fund = await this.client.public.readContract({
          address: exchange,
          abi: perpExchangeAbi,
          functionName: "insuranceFund",
        });
        this.opts.onTick({
          tick,
          blockNumber,
          timestamp,
          phase: tick < ticks ? active.phase(tick) : "calm (looping)",
          prices,
          sent: this.sent - sentBefore,
          reverted: digest.reverted,
          liquidations: digest.liquidations,
          adl: digest.adl,
          insuranceFund: fromD18(fund),
        });
      }
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
      reverted: totals.reverted,
      seconds: (performance.now() - started) / 1000,
      liquidations: totals.liquidations,
      badDebtLiquidations: totals.badDebtLiquidations,
      insuranceCovered: totals.covered,
      adlEvents: totals.adl,
      finalBlock: blockNumber,
      hashes: this.hashes,
      byKind: this.byKind,
      revertedByKind: this.revertedByKind,
    };
  }
}
