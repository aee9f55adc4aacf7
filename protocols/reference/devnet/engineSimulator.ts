/**
 * The simulator without a chain: the same traders, keepers, price model and scenarios as
 * `simulator.ts`, acting on the reference exchange's exact engine in memory (the engine the
 * indexer's mirror runs, checked against the contract by the differential test) instead of
 * sending transactions to anvil. A call that would revert is skipped, as a reverted
 * transaction changes nothing.
 *
 * Why: the alert backtest runs many seeds of a whole scenario, and on anvil each block costs
 * ~100 ms of transactions and reads; in memory a block costs the traders' decisions and the
 * engine's operations. What differs from the chain run: no gas, no nonces, no receipts; block
 * order is the same (prices, liquidations, ADL, trades) and each account's book is read, as
 * the chain simulator reads it through PerpLens, at the previous block.
 */

import { PriceModel } from "../../../devnet/simulator/priceModel.js";
import {
  SCENARIOS,
  type Scenario,
  TRADER_KINDS,
  type TraderKind,
} from "../../../devnet/simulator/scenarios.js";
import { fromD18, toD18At8Decimals } from "../../../engine/analytics/d18.js";
import { SeededRandom } from "../../../engine/seededRandom.js";
import { deployedState } from "../engine/exchangeState.js";
import { accountHealth } from "../engine/margin.js";
import { applyOperation } from "../engine/operations.js";
import type { Address, ExchangeEvent, ExchangeState, Operation } from "../engine/types.js";
import type { Book } from "./book.js";
import { adlCounterparties, liquidationCandidates, type PendingAdl } from "./keepers.js";
import { DEFAULT_CORRELATION, DEFAULT_MARKETS } from "./markets.js";
import { createTrader, decide, type MarginSpec, type Trader } from "./traders.js";

const DEPLOYER: Address = "0x00000000000000000000000000000000000000d0";
const ORACLE_KEEPER: Address = "0x00000000000000000000000000000000000000d1";
const LIQUIDATOR: Address = "0x00000000000000000000000000000000000000d2";
const ADL_KEEPER: Address = "0x00000000000000000000000000000000000000d3";
const traderAddress = (i: number): Address => `0x${(0x10000 + i).toString(16).padStart(40, "0")}`;

export interface EngineSimOptions {
  scenario: Scenario;
  seed: number;
  accounts: number;
  /** Insurance fund at deployment (default: the scenario's). */
  insuranceFund?: number;
  /** First block time, unix s. */
  startTime?: number;
}

/** One simulated block: the state after it and what happened in it. */
export interface EngineBlock {
  tick: number;
  blockNumber: bigint;
  timestamp: number;
  phase: string;
  state: ExchangeState;
  prices: number[];
  events: ExchangeEvent[];
}

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

export class EngineSimulator {
  state: ExchangeState;
  readonly traders: Trader[];
  private readonly model: PriceModel;
  private readonly margins: MarginSpec[];
  private readonly pending = new Map<string, PendingAdl>();
  private time: number;
  private block = 1n;
  private tick = 0;
  readonly reverted: Record<string, number> = {};

  constructor(private readonly opts: EngineSimOptions) {
    const master = new SeededRandom(opts.seed);
    const priceRng = master.split();
    const kinds = assignKinds(opts.scenario, opts.accounts, master.split());
    const n = DEFAULT_MARKETS.length;
    this.traders = kinds.map((kind, i) => createTrader(i, kind, opts.scenario, master.split(), n));
    this.model = new PriceModel(DEFAULT_MARKETS, DEFAULT_CORRELATION, priceRng);
    this.margins = DEFAULT_MARKETS.map(({ params: p }) => ({
      skewScale: fromD18(p.skewScale),
      takerFee: fromD18(p.takerFee),
      imrScalar: fromD18(p.imrScalar),
      imrMin: fromD18(p.imrMin),
      minPositionMargin: fromD18(p.minPositionMargin),
    }));
    this.time = opts.startTime ?? 1_767_225_600;
    this.state = deployedState({
      address: "0x00000000000000000000000000000000000000e0",
      owner: DEPLOYER,
      maxPriceAge: 60n,
      tokenBalance: 10n ** 30n,
    }).state;
    this.deploy();
  }

  private apply(op: Operation, sender: Address, kind: string): ExchangeEvent[] {
    const r = applyOperation(this.state, op, { timestamp: BigInt(this.time), sender });
    if (!r.ok) {
      this.reverted[kind] = (this.reverted[kind] ?? 0) + 1;
      return [];
    }
    this.state = r.state;
    return r.events;
  }

  private must(op: Operation, sender: Address): void {
    const r = applyOperation(this.state, op, { timestamp: BigInt(this.time), sender });
    if (!r.ok) throw new Error(`engine simulator set-up: ${op.kind}: ${r.error.message}`);
    this.state = r.state;
  }

  /** Markets, prices, the fund, and every trader's funded account (the chain's set-up). */
  private deploy(): void {
    for (const m of DEFAULT_MARKETS) {
      this.must({ kind: "createMarket", symbol: m.symbol, params: m.params }, DEPLOYER);
    }
    this.must({ kind: "setUpdater", updater: ORACLE_KEEPER, allowed: true }, DEPLOYER);
    this.setPrices(
      DEFAULT_MARKETS.map((m) => m.initialPrice),
      DEPLOYER,
    );
    const fund = this.opts.insuranceFund ?? this.opts.scenario.insuranceFund;
    if (fund > 0) {
      this.must({ kind: "depositInsuranceFund", amount: toD18At8Decimals(fund) }, DEPLOYER);
    }
    for (const t of this.traders) {
      this.must({ kind: "createAccount" }, traderAddress(t.index));
      t.accountId = Number(this.state.accountCount);
      this.must(
        {
          kind: "modifyCollateral",
          accountId: BigInt(t.accountId),
          amountDelta: toD18At8Decimals(t.initialCollateral),
        },
        traderAddress(t.index),
      );
    }
  }

  private setPrices(prices: readonly number[], sender: Address): void {
    this.apply(
      {
        kind: "setPrices",
        marketIds: prices.map((_, i) => BigInt(i + 1)),
        prices: prices.map((p) => toD18At8Decimals(p)),
      },
      sender,
      "keeper:prices",
    );
  }

  /** The book as PerpLens reads it, at the state's last block time. */
  lensBook(): Book {
    const n = DEFAULT_MARKETS.length;
    const count = Number(this.state.accountCount);
    const book: Book = {
      blockNumber: this.block,
      accountCount: count,
      marketCount: n,
      collateral: [],
      equity: [],
      initialMargin: [],
      maintenanceMargin: [],
      notional: [],
      sizes: [],
      entries: [],
    };
    for (let id = 1; id <= count; id++) {
      const a = this.state.accounts[String(id)]!;
      const h = accountHealth(this.state, BigInt(id), BigInt(this.time));
      const health = h.ok
        ? h.value
        : { equity: 0n, initialMargin: 0n, maintenanceMargin: 0n, notional: 0n };
      book.collateral.push(a.collateral);
      book.equity.push(health.equity);
      book.initialMargin.push(health.initialMargin);
      book.maintenanceMargin.push(health.maintenanceMargin);
      book.notional.push(health.notional);
      for (let m = 1; m <= n; m++) {
        const p = a.positions[String(m)];
        book.sizes.push(p?.size ?? 0n);
        book.entries.push(p?.lastPrice ?? 0n);
      }
    }
    return book;
  }

  private skews(book: Book): number[] {
    const skews = new Array<number>(book.marketCount).fill(0);
    for (let i = 0; i < book.sizes.length; i++) {
      const s = book.sizes[i]!;
      if (s !== 0n) skews[i % book.marketCount]! += fromD18(s);
    }
    return skews;
  }

  /** Remembers bad debt waiting for ADL from the block's BadDebtRecorded events. */
  private notePending(events: readonly ExchangeEvent[]): void {
    for (const ev of events) {
      if (ev.name !== "BadDebtRecorded") continue;
      const a = ev.args;
      const key = `${a.accountId}:${a.marketId}:${a.isLong}`;
      if (a.recordDebt === 0n && a.recordSize === 0n) this.pending.delete(key);
      else
        this.pending.set(key, {
          bankruptAccountId: Number(a.accountId),
          marketId: Number(a.marketId),
          isLong: a.isLong,
          size: a.recordSize,
          debt: a.recordDebt,
        });
    }
  }

  /** Simulates one block: prices, liquidations, ADL, trades (the chain simulator's order). */
  step(): EngineBlock {
    const { scenario } = this.opts;
    const tick = this.tick++;
    const active = tick < scenario.ticks ? scenario : SCENARIOS.calm;
    const previousPrices = this.model.prices();
    const prices = this.model.step(scenario.secondsPerTick, active.overlay(tick));
    const book = this.lensBook();
    this.time += scenario.secondsPerTick;
    this.block += 1n;
    const events: ExchangeEvent[] = [];
    const run = (op: Operation, sender: Address, kind: string) => {
      events.push(...this.apply(op, sender, kind));
    };
    run(
      {
        kind: "setPrices",
        marketIds: prices.map((_, i) => BigInt(i + 1)),
        prices: prices.map((p) => toD18At8Decimals(p)),
      },
      ORACLE_KEEPER,
      "keeper:prices",
    );
    const liquidating = new Set(liquidationCandidates(book, 200));
    for (const id of liquidating)
      run({ kind: "liquidate", accountId: BigInt(id) }, LIQUIDATOR, "keeper:liquidate");
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
      run(
        {
          kind: "autoDeleverage",
          bankruptAccountId: BigInt(p.bankruptAccountId),
          marketId: BigInt(p.marketId),
          isLong: p.isLong,
          counterparties: cps.map(BigInt),
        },
        ADL_KEEPER,
        "keeper:adl",
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
      const sender = traderAddress(t.index);
      const id = BigInt(t.accountId);
      for (const action of decide(t, ctx)) {
        if (action.type === "trade") {
          run(
            {
              kind: "modifyPosition",
              accountId: id,
              marketId: BigInt(action.marketId),
              sizeDelta: action.sizeDelta,
            },
            sender,
            `${t.kind}:trade`,
          );
          ctx.skews[action.marketId - 1]! += fromD18(action.sizeDelta);
        } else {
          const amountDelta = action.type === "deposit" ? action.amount : -action.amount;
          run(
            { kind: "modifyCollateral", accountId: id, amountDelta },
            sender,
            `${t.kind}:${action.type}`,
          );
        }
      }
    }
    this.notePending(events);
    return {
      tick,
      blockNumber: this.block,
      timestamp: this.time,
      phase: tick < scenario.ticks ? active.phase(tick) : "calm (looping)",
      state: this.state,
      prices,
      events,
    };
  }
}
