/**
 * The seeded operation generator of the differential test.
 *
 * It plays every role on the exchange — traders, the oracle keeper, liquidation and ADL
 * keepers, the owner — and uses the engine itself to aim: it levers accounts up to the exact
 * margin boundary (and one wei past it), jumps prices against the crowded side, liquidates
 * what the engine says is liquidatable, and names ADL counterparties the engine ranks. Around
 * that it mixes in every kind of invalid call (wrong owner, zero amounts, stale prices, huge
 * sizes that overflow, bad parameters, extreme oracle prices) so each revert path is hit.
 */

import { toD18At8Decimals } from "../../engine/analytics/d18.js";
import type { SeededRandom } from "../../engine/seededRandom.js";
import type { MarketSpec } from "../../protocols/reference/devnet/markets.js";
import {
  type Account,
  type Address,
  accountHealth,
  canLiquidate,
  type ExchangeState,
  fixedPoint,
  hasPendingBadDebt,
  MAX_PARAM,
  type MarketParams,
  modifyCollateral,
  type Operation,
  parseAdlKey,
  rankAdlCounterparties,
} from "../../protocols/reference/engine/index.js";
import { PARAM_FIELDS } from "../../protocols/reference/engine/input.js";
import type { Actors } from "./chainHarness.js";
import { type BlockTx, largestAccepted, lossMix, type MixKind } from "./lossMixes.js";

const D18 = 10n ** 18n;
const { INT256_MAX, INT256_MIN, UINT256_MAX } = fixedPoint;

/** A pending ADL record (account, market, side) and how many counterparties could absorb it. */
interface PendingRecord {
  accountId: bigint;
  marketId: bigint;
  isLong: boolean;
  candidates: number;
}

export type GenStep =
  | { kind: "op"; op: Operation; sender: Address; dt: bigint; label: string }
  | { kind: "block"; txs: BlockTx[]; dt: bigint; label: string }
  | { kind: "warp"; dt: bigint; label: string };

type Category =
  | "oracle"
  | "trade"
  | "lever"
  | "deposit"
  | "withdraw"
  | "liquidate"
  | "adl"
  | "warp"
  | "createAccount"
  | "setMarketParams"
  | "setMaxPriceAge"
  | "createMarket"
  | "depositInsurance"
  | "setUpdater";

/** A float USD/size amount as D18, rounded to 1e-8, optionally with random wei below that. */
function d18(rng: SeededRandom, x: number, tail = true): bigint {
  const v = toD18At8Decimals(Math.max(0, x));
  return tail && rng.chance(0.5) ? v + rng.bigBelow(10n ** 10n) : v;
}

export interface GeneratorOptions {
  /** Markets the generator may create, in order. */
  catalog: readonly MarketSpec[];
  maxMarkets: number;
  maxAccounts: number;
  /** Chance per step of a one-block mix aimed at a loss path (lossMixes.ts). */
  mixChance: number;
}

export class Generator {
  /** Sane reference price per market id (USD, float); oracle moves walk it. */
  private ref = new Map<bigint, number>();
  /** Each market's price and parameters when first seen: long runs revert towards them. */
  private anchor = new Map<bigint, { price: number; params: MarketParams }>();
  private restoreIn = 0;
  private catalogNext = 0;
  /** A price shock planned against a freshly levered position: market, direction, ops to go. */
  private shock: { marketId: bigint; down: boolean; inOps: number } | null = null;
  /** A trade planned on the other side of a freshly levered position (a future ADL counterparty). */
  private counter: { accountId: bigint; marketId: bigint; dir: bigint } | null = null;

  constructor(
    private readonly rng: SeededRandom,
    private readonly actors: Actors,
    private readonly opts: GeneratorOptions,
    initial: ExchangeState,
  ) {
    for (const m of initial.markets) {
      const p = initial.oracle.prices[m.marketId.toString()]?.price ?? D18;
      this.ref.set(m.marketId, Number(p) / 1e18);
      this.anchor.set(m.marketId, { price: Number(p) / 1e18, params: m.params });
    }
  }

  next(s: ExchangeState, now: bigint): GenStep {
    const r = this.rng;
    const pace = r.weighted({ short: 70, zero: 12, mid: 12, long: 6 });
    const dt = BigInt(
      pace === "short"
        ? r.intInclusive(1, 20)
        : pace === "zero"
          ? 0
          : pace === "mid"
            ? r.intInclusive(20, 120)
            : r.intInclusive(120, 900),
    );
    const ts = now + dt;
    if (this.restoreIn > 0) {
      this.restoreIn--;
      if (this.restoreIn === 0 || r.chance(0.6)) {
        this.restoreIn = 0;
        return this.refresh(s, dt, "oracle:restore");
      }
    }
    if (this.shock && --this.shock.inOps <= 0) {
      const { marketId, down } = this.shock;
      this.shock = null;
      if (marketId <= BigInt(s.markets.length))
        return this.jump(marketId, down, dt, "oracle:shock");
    }
    if (this.counter) {
      const c = this.counter;
      this.counter = null;
      const a = this.pickAccount(s, (x) => x.accountId !== c.accountId && x.collateral > 0n);
      const h = a ? accountHealth(s, a.accountId, ts) : undefined;
      if (a && h?.ok && h.value.equity > 0n && c.marketId <= BigInt(s.markets.length)) {
        const usd = (Number(h.value.equity) / 1e18) * r.logBetween(0.5, 15);
        const sizeDelta = c.dir * d18(r, usd / this.refPrice(c.marketId));
        return this.op(
          { kind: "modifyPosition", accountId: a.accountId, marketId: c.marketId, sizeDelta },
          a.owner,
          dt,
          "trade:counterparty",
        );
      }
    }
    if (Object.keys(s.accounts).length >= 4 && r.chance(this.opts.mixChance)) {
      const kind = r.weighted<MixKind>({ underwater: 1.5, oppositeSides: 1.5, smallProfit: 1.2 });
      const ref = (id: bigint) => this.priceD18(this.refPrice(id));
      const txs = lossMix(kind, s, ts, r, this.actors, ref);
      if (txs) return { kind: "block", txs, dt, label: `mix:${kind}` };
    }
    const liquidatable = this.liquidatable(s, ts);
    const pending = this.pendingAdl(s, ts);
    const adlReady = pending.some((p) => p.candidates > 0);
    const accounts = Object.values(s.accounts);
    const cat = r.weighted<Category>({
      oracle: 16,
      trade: 20,
      lever: 12,
      deposit: accounts.length > 0 ? 8 : 0,
      withdraw: accounts.length > 0 ? 6 : 0,
      liquidate: liquidatable.length > 0 ? 22 : 3,
      adl: adlReady ? 15 : pending.length > 0 ? 2 : 1,
      warp: 4,
      createAccount:
        accounts.length < 4
          ? 30
          : accounts.length < this.opts.maxAccounts
            ? 2
            : accounts.length < 2 * this.opts.maxAccounts
              ? 0.2
              : 0,
      setMarketParams: 2,
      setMaxPriceAge: 1.2,
      createMarket: s.markets.length < this.opts.maxMarkets ? 3 : 0.8,
      depositInsurance: 1.2,
      setUpdater: 0.5,
    });
    const needsFresh: Category[] = ["trade", "lever", "withdraw", "liquidate", "adl"];
    if (needsFresh.includes(cat) && this.anyStale(s, ts) && r.chance(0.85)) {
      return this.refresh(s, dt, "oracle:refresh");
    }
    switch (cat) {
      case "oracle":
        return this.oracle(s, dt);
      case "trade":
        return this.trade(s, dt, ts, false);
      case "lever":
        return this.trade(s, dt, ts, true);
      case "deposit":
        return this.deposit(s, dt);
      case "withdraw":
        return this.withdraw(s, dt, ts);
      case "liquidate":
        return this.liquidate(s, dt, liquidatable);
      case "adl":
        return this.adl(s, dt, ts, pending);
      case "warp":
        return {
          kind: "warp",
          dt: BigInt(Math.round(r.logBetween(60, 3 * 86_400))),
          label: "warp",
        };
      case "createAccount":
        return this.op({ kind: "createAccount" }, r.pick(this.actors.traders), dt, "createAccount");
      case "setMarketParams":
        return this.setParams(s, dt);
      case "setMaxPriceAge":
        return this.setMaxPriceAge(dt);
      case "createMarket":
        return this.createMarket(s, dt);
      case "depositInsurance":
        return this.depositInsurance(dt);
      case "setUpdater":
        return this.op(
          { kind: "setUpdater", updater: r.pick(this.actors.traders), allowed: r.chance(0.5) },
          r.chance(0.8) ? this.actors.owner : r.pick(this.actors.traders),
          dt,
          "setUpdater",
        );
    }
  }

  // ------------------------------------------------------------------ helpers

  private op(op: Operation, sender: Address, dt: bigint, label: string): GenStep {
    return { kind: "op", op, sender, dt, label };
  }

  private marketIds(s: ExchangeState): bigint[] {
    return s.markets.map((m) => m.marketId);
  }

  private refPrice(id: bigint): number {
    return this.ref.get(id) ?? 1;
  }

  /** Pulls a price 3% of the way (in log space) back to where the market started. */
  private meanRevert(id: bigint, price: number): number {
    const start = this.anchor.get(id)?.price;
    return start ? price * (start / price) ** 0.03 : price;
  }

  private anyStale(s: ExchangeState, ts: bigint): boolean {
    return s.markets.some((m) => {
      const p = s.oracle.prices[m.marketId.toString()];
      return !p || p.price === 0n || ts - p.publishTime > s.maxPriceAge;
    });
  }

  private liquidatable(s: ExchangeState, ts: bigint): bigint[] {
    const out: bigint[] = [];
    for (const a of Object.values(s.accounts)) {
      if (a.openMarkets === 0n) continue;
      const r = canLiquidate(s, a.accountId, ts);
      if (r.ok && r.value) out.push(a.accountId);
    }
    return out;
  }

  /** Pending ADL records and how many counterparties the engine would accept for each. */
  private pendingAdl(s: ExchangeState, ts: bigint): PendingRecord[] {
    const out: PendingRecord[] = [];
    for (const a of Object.values(s.accounts)) {
      for (const [k, rec] of Object.entries(a.adlRecords)) {
        if (!hasPendingBadDebt(rec)) continue;
        const { marketId, isLong } = parseAdlKey(k);
        const ranked = rankAdlCounterparties(s, a.accountId, marketId, isLong, ts);
        const candidates = ranked.ok ? ranked.value.length : 0;
        out.push({ accountId: a.accountId, marketId, isLong, candidates });
      }
    }
    return out;
  }

  private pickAccount(s: ExchangeState, pred?: (a: Account) => boolean): Account | undefined {
    const all = Object.values(s.accounts);
    const pool = pred ? all.filter(pred) : all;
    return pool.length > 0 ? this.rng.pick(pool) : all.length > 0 ? this.rng.pick(all) : undefined;
  }

  /** The account's owner, or (sometimes) someone else to provoke NotAccountOwner. */
  private senderFor(a: Account | undefined, pWrong = 0.04): Address {
    if (!a || this.rng.chance(pWrong)) return this.rng.pick(this.actors.traders);
    return a.owner;
  }

  /** An account id: mostly `a`, sometimes 0 or one past the last (AccountNotFound). */
  private accountIdFor(s: ExchangeState, a: Account | undefined, pBad = 0.03): bigint {
    if (!a || this.rng.chance(pBad)) return this.rng.pick([0n, s.accountCount + 1n, 2n ** 255n]);
    return a.accountId;
  }

  private marketIdFor(s: ExchangeState, pBad = 0.03): bigint {
    const ids = this.marketIds(s);
    if (ids.length === 0 || this.rng.chance(pBad)) {
      return this.rng.pick([0n, BigInt(ids.length) + 1n, UINT256_MAX]);
    }
    return this.rng.pick(ids);
  }

  private priceD18(x: number): bigint {
    return BigInt(Math.max(1, Math.round(x * 1e8))) * 10n ** 10n + this.rng.bigBelow(10n ** 10n);
  }

  // ------------------------------------------------------------------ oracle

  /** The keeper's routine: every market's price, walked a little. */
  private refresh(s: ExchangeState, dt: bigint, label: string): GenStep {
    const ids = this.marketIds(s);
    const prices = ids.map((id) => {
      const next = this.meanRevert(
        id,
        this.refPrice(id) * Math.exp((this.rng.uniform() - 0.5) * 0.01),
      );
      this.ref.set(id, next);
      return this.priceD18(next);
    });
    return this.op(
      { kind: "setPrices", marketIds: ids, prices },
      this.actors.oracleKeeper,
      dt,
      label,
    );
  }

  /** A price jump of 3% to 50% (a third of the time at least 20%). */
  private jump(id: bigint, down: boolean, dt: bigint, label: string): GenStep {
    const r = this.rng;
    const size = r.chance(0.45) ? r.logBetween(0.2, 0.5) : r.logBetween(0.03, 0.2);
    const next = this.refPrice(id) * (down ? 1 - size : 1 + size);
    this.ref.set(id, next);
    return this.op(
      { kind: "setPrice", marketId: id, price: this.priceD18(next) },
      this.actors.oracleKeeper,
      dt,
      label,
    );
  }

  private oracle(s: ExchangeState, dt: bigint): GenStep {
    const r = this.rng;
    const keeper = this.actors.oracleKeeper;
    const ids = this.marketIds(s);
    if (ids.length === 0) return this.refresh(s, dt, "oracle:walk");
    const kind = r.weighted({
      walk: 40,
      single: 15,
      jump: 25,
      extreme: 2.5,
      zero: 2,
      notUpdater: 2,
      mismatch: 1,
      future: 2,
    });
    switch (kind) {
      case "walk":
        return this.refresh(s, dt, "oracle:walk");
      case "single": {
        const id = r.pick(ids);
        const next = this.refPrice(id) * Math.exp((r.uniform() - 0.5) * 0.06);
        this.ref.set(id, next);
        return this.op(
          { kind: "setPrice", marketId: id, price: this.priceD18(next) },
          keeper,
          dt,
          "oracle:single",
        );
      }
      case "jump": {
        // Against the crowded side most of the time.
        const id = r.pick(ids);
        const m = s.markets[Number(id) - 1]!;
        const down =
          m.state.skew > 0n ? r.chance(0.75) : m.state.skew < 0n ? r.chance(0.25) : r.chance(0.5);
        return this.jump(id, down, dt, "oracle:jump");
      }
      case "extreme": {
        this.restoreIn = 2;
        const price = r.pick([
          1n,
          7n,
          2n ** 255n + r.bigBelow(1000n),
          10n ** 40n,
          UINT256_MAX,
          2n ** 128n,
        ]);
        return this.op(
          { kind: "setPrice", marketId: r.pick(ids), price },
          keeper,
          dt,
          "oracle:extreme",
        );
      }
      case "zero":
        return this.op(
          { kind: "setPrice", marketId: r.pick(ids), price: 0n },
          keeper,
          dt,
          "oracle:zero",
        );
      case "notUpdater":
        return this.op(
          { kind: "setPrice", marketId: r.pick(ids), price: this.priceD18(this.refPrice(1n)) },
          r.pick(this.actors.traders),
          dt,
          "oracle:notUpdater",
        );
      case "mismatch":
        return this.op(
          { kind: "setPrices", marketIds: ids, prices: ids.slice(1).map(() => D18) },
          keeper,
          dt,
          "oracle:mismatch",
        );
      case "future": {
        // A price for the next market id, before the market exists.
        const id = BigInt(ids.length) + 1n;
        const spec = this.opts.catalog[this.catalogNext];
        const p = spec ? spec.initialPrice : r.logBetween(0.01, 5000);
        this.ref.set(id, p);
        return this.op(
          { kind: "setPrice", marketId: id, price: this.priceD18(p) },
          keeper,
          dt,
          "oracle:future",
        );
      }
    }
    return this.refresh(s, dt, "oracle:walk");
  }

  // ------------------------------------------------------------------ trades

  private trade(s: ExchangeState, dt: bigint, ts: bigint, lever: boolean): GenStep {
    const r = this.rng;
    const a = this.pickAccount(s, (x) => x.collateral > 0n);
    if (!a)
      return this.op({ kind: "createAccount" }, r.pick(this.actors.traders), dt, "createAccount");
    const marketId = this.marketIdFor(s, lever ? 0 : 0.03);
    const m = s.markets[Number(marketId) - 1];
    const pos = a.positions[marketId.toString()]?.size ?? 0n;
    const px = m ? this.refPrice(marketId) : 1;
    const dir = r.chance(0.5) ? 1n : -1n;
    const accountId = this.accountIdFor(s, a, lever ? 0 : 0.03);
    const sender = this.senderFor(a, lever ? 0 : 0.04);
    const trade = (sizeDelta: bigint, label: string) =>
      this.op({ kind: "modifyPosition", accountId, marketId, sizeDelta }, sender, dt, label);
    if (lever && m) {
      const k = largestAccepted(s, a, marketId, dir, ts);
      if (k > 0n) {
        if (r.chance(0.65)) this.shock = { marketId, down: dir > 0n, inOps: r.intInclusive(2, 6) };
        if (r.chance(0.6)) this.counter = { accountId: a.accountId, marketId, dir: -dir };
      } else {
        return trade(dir * d18(r, r.logBetween(10, 50_000) / px), "trade:notional");
      }
      const v = r.weighted({ exact: 45, over: 20, most: 35 });
      if (v === "exact") return trade(dir * k, "trade:maxLeverage");
      if (v === "over") return trade(dir * (k + 1n), "trade:maxLeverage+1");
      return trade((dir * k * BigInt(r.intInclusive(80, 99))) / 100n, "trade:highLeverage");
    }
    const kind = r.weighted({
      notional: 45,
      tiny: 6,
      close: pos !== 0n ? 10 : 0,
      reduce: pos !== 0n ? 10 : 0,
      flip: pos !== 0n ? 6 : 0,
      oiCap: m ? 3 : 0,
      huge: 5,
      zero: 2,
    });
    switch (kind) {
      case "notional": {
        // Leverage from 0.05x to 60x of the account's equity (or a flat amount without any).
        const h = accountHealth(s, a.accountId, ts);
        const equity = h.ok ? Number(h.value.equity) / 1e18 : 0;
        const usd = equity > 1 ? equity * r.logBetween(0.05, 60) : r.logBetween(10, 400_000);
        return trade(dir * d18(r, usd / px), "trade:notional");
      }
      case "tiny":
        return trade(dir * (1n + r.bigBelow(10n ** 6n)), "trade:tiny");
      case "close":
        return trade(-pos, "trade:close");
      case "reduce":
        return trade((-pos * BigInt(r.intInclusive(1, 99))) / 100n, "trade:reduce");
      case "flip":
        return trade(-pos * 2n + dir * r.bigBelow(D18), "trade:flip");
      case "oiCap": {
        const st = m!.state;
        const side = dir > 0n ? st.sizeLong : st.sizeShort;
        const room = m!.params.maxOpenInterest - side;
        return trade(dir * (room + 1n + r.bigBelow(D18)), "trade:oiCap");
      }
      case "huge":
        return trade(
          r.pick([10n ** 40n, -(10n ** 40n), 2n ** 200n, INT256_MAX, INT256_MIN, -(2n ** 250n)]),
          "trade:huge",
        );
      default:
        return trade(0n, "trade:zero");
    }
  }

  // ------------------------------------------------------------------ collateral

  private deposit(s: ExchangeState, dt: bigint): GenStep {
    const r = this.rng;
    const a = this.pickAccount(s);
    const kind = r.weighted({ normal: 85, tiny: 4, max: 2, tooLarge: 2, zero: 2, negativeHuge: 0 });
    const amount =
      kind === "normal"
        ? d18(r, r.logBetween(1, 500_000))
        : kind === "tiny"
          ? 1n + r.bigBelow(1000n)
          : kind === "max"
            ? MAX_PARAM
            : kind === "tooLarge"
              ? MAX_PARAM + 1n + r.bigBelow(MAX_PARAM)
              : 0n;
    return this.op(
      { kind: "modifyCollateral", accountId: this.accountIdFor(s, a), amountDelta: amount },
      this.senderFor(a),
      dt,
      `deposit:${kind}`,
    );
  }

  private maxWithdraw(s: ExchangeState, a: Account, ts: bigint): bigint {
    const ok = (k: bigint) =>
      k === 0n ||
      modifyCollateral(
        s,
        { accountId: a.accountId, amountDelta: -k },
        { timestamp: ts, sender: a.owner },
      ).ok;
    if (a.collateral <= 0n) return 0n;
    let lo = 0n;
    let hi = a.collateral;
    if (ok(hi)) return hi;
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (ok(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  private withdraw(s: ExchangeState, dt: bigint, ts: bigint): GenStep {
    const r = this.rng;
    const a = this.pickAccount(s, (x) => x.collateral > 0n);
    const c = a?.collateral ?? 0n;
    const kind = r.weighted({
      max: 25,
      maxPlus1: 15,
      fraction: 30,
      all: 10,
      overCollateral: 8,
      minInt: 2,
      small: 10,
    });
    let amount: bigint;
    switch (kind) {
      case "max":
        amount = a ? this.maxWithdraw(s, a, ts) : 1n;
        break;
      case "maxPlus1":
        amount = (a ? this.maxWithdraw(s, a, ts) : 0n) + 1n;
        break;
      case "fraction":
        amount = c > 0n ? (c * BigInt(r.intInclusive(1, 100))) / 100n : 1n;
        break;
      case "all":
        amount = c > 0n ? c : 1n;
        break;
      case "overCollateral":
        amount = (c > 0n ? c : 0n) + 1n + r.bigBelow(D18);
        break;
      case "minInt":
        return this.op(
          { kind: "modifyCollateral", accountId: this.accountIdFor(s, a), amountDelta: INT256_MIN },
          this.senderFor(a),
          dt,
          "withdraw:minInt",
        );
      default:
        amount = 1n + r.bigBelow(D18 * 10n);
    }
    if (amount === 0n) amount = 1n;
    return this.op(
      { kind: "modifyCollateral", accountId: this.accountIdFor(s, a), amountDelta: -amount },
      this.senderFor(a),
      dt,
      `withdraw:${kind}`,
    );
  }

  // ------------------------------------------------------------------ liquidation & ADL

  private liquidate(s: ExchangeState, dt: bigint, liquidatable: bigint[]): GenStep {
    const r = this.rng;
    const sender = r.chance(0.85) ? this.actors.liquidator : r.pick(this.actors.traders);
    let accountId: bigint;
    let label: string;
    if (liquidatable.length > 0 && r.chance(0.9)) {
      accountId = r.pick(liquidatable);
      label = "liquidate:eligible";
    } else if (r.chance(0.7)) {
      const a = this.pickAccount(s, (x) => x.openMarkets !== 0n);
      accountId = a?.accountId ?? 1n;
      label = "liquidate:healthy";
    } else {
      accountId = this.accountIdFor(s, this.pickAccount(s), 0.5);
      label = "liquidate:any";
    }
    return this.op({ kind: "liquidate", accountId }, sender, dt, label);
  }

  private adl(s: ExchangeState, dt: bigint, ts: bigint, pending: PendingRecord[]): GenStep {
    const r = this.rng;
    const sender = this.actors.adlKeeper;
    if (pending.length === 0 || r.chance(0.05)) {
      const accountId = this.accountIdFor(s, this.pickAccount(s), 0.2);
      return this.op(
        {
          kind: "autoDeleverage",
          bankruptAccountId: accountId,
          marketId: this.marketIdFor(s, 0.2),
          isLong: r.chance(0.5),
          counterparties: [],
        },
        sender,
        dt,
        "adl:none",
      );
    }
    const ready = pending.filter((p) => p.candidates > 0);
    const { accountId, marketId, isLong } = r.pick(
      ready.length > 0 && r.chance(0.9) ? ready : pending,
    );
    const ranked = rankAdlCounterparties(s, accountId, marketId, isLong, ts);
    const ids = ranked.ok ? ranked.value.map((c) => c.accountId) : [];
    const cps = ids.slice(0, r.intInclusive(1, 3));
    let label = "adl:ranked";
    if (r.chance(0.2) || cps.length === 0) {
      const bad = r.pick([
        s.accountCount + 1n,
        ...Object.values(s.accounts).map((a) => a.accountId),
      ]);
      cps.splice(r.intInclusive(0, cps.length), 0, bad);
      label = "adl:withOther";
    }
    if (r.chance(0.04)) {
      cps.length = 0;
      label = "adl:empty";
    }
    return this.op(
      {
        kind: "autoDeleverage",
        bankruptAccountId: accountId,
        marketId,
        isLong,
        counterparties: cps,
      },
      sender,
      dt,
      label,
    );
  }

  // ------------------------------------------------------------------ administration

  private jitterParams(p: MarketParams): MarketParams {
    const r = this.rng;
    const scale = (v: bigint, lo: number, hi: number, cap: bigint, floor = 0n) => {
      const f = BigInt(Math.round(r.logBetween(lo, hi) * 1e6));
      const x = (v * f) / 1_000_000n;
      return x > cap ? cap : x < floor ? floor : x;
    };
    const frac = (lo: number, hi: number) => d18(r, lo + r.uniform() * (hi - lo));
    const out = { ...p };
    const n = r.intInclusive(1, 3);
    for (let i = 0; i < n; i++) {
      switch (r.intInclusive(0, 10)) {
        case 0:
          out.skewScale = scale(p.skewScale, 0.5, 2, MAX_PARAM, 1n);
          break;
        case 1:
          out.maxFundingVelocity = r.chance(0.1)
            ? 0n
            : scale(p.maxFundingVelocity + 1n, 0.3, 3, MAX_PARAM);
          break;
        case 2:
          out.imrScalar = scale(p.imrScalar + 1n, 0.5, 2, MAX_PARAM);
          break;
        case 3:
          out.imrMin = frac(0.005, 0.2);
          break;
        case 4:
          out.mmScalar = frac(0.2, 1);
          if (out.mmScalar === 0n) out.mmScalar = 1n;
          break;
        case 5:
          out.minPositionMargin = frac(0, 100);
          break;
        case 6:
          out.takerFee = frac(0, 0.005);
          break;
        case 7:
          out.keeperRewardRatio = frac(0, 0.01);
          out.maxKeeperReward = frac(0, 1000);
          break;
        case 8:
          out.liquidationPenaltyRatio = frac(0, 0.05);
          break;
        default:
          out.maxOpenInterest = scale(p.maxOpenInterest, 0.3, 3, MAX_PARAM, 1n);
      }
    }
    return out;
  }

  /** Params with field `field` out of range (InvalidMarketParams(field)). */
  private breakParams(p: MarketParams, field: number): MarketParams {
    const out = { ...p };
    const tooBig = MAX_PARAM + 1n + this.rng.bigBelow(MAX_PARAM);
    const zeroInvalid = field === 0 || field === 4 || field === 10;
    const key = PARAM_FIELDS[field]!;
    out[key] =
      zeroInvalid && this.rng.chance(0.5)
        ? 0n
        : field === 6
          ? D18 / 10n + 1n
          : field === 3 || field === 4 || field === 7 || field === 9
            ? D18 + 1n
            : tooBig;
    return out;
  }

  /** The market's parameters when first seen (jitter is around them, not a random walk). */
  private anchorParams(marketId: bigint, current: MarketParams): MarketParams {
    const a = this.anchor.get(marketId);
    if (a) return a.params;
    this.anchor.set(marketId, { price: this.refPrice(marketId), params: current });
    return current;
  }

  private setParams(s: ExchangeState, dt: bigint): GenStep {
    const r = this.rng;
    const marketId = this.marketIdFor(s, 0.05);
    const m = s.markets[Number(marketId) - 1] ?? s.markets[0];
    if (!m) return this.createMarket(s, dt);
    const kind = r.weighted({ valid: 75, invalid: 17, notOwner: 8 });
    const params =
      kind === "invalid"
        ? this.breakParams(m.params, r.intInclusive(0, 10))
        : this.jitterParams(this.anchorParams(m.marketId, m.params));
    return this.op(
      { kind: "setMarketParams", marketId, params },
      kind === "notOwner" ? r.pick(this.actors.traders) : this.actors.owner,
      dt,
      `setMarketParams:${kind}`,
    );
  }

  private setMaxPriceAge(dt: bigint): GenStep {
    const r = this.rng;
    const age = r.weighted({ short: 10, normal: 55, long: 25, zero: 5, max: 5 });
    const value =
      age === "short"
        ? BigInt(r.intInclusive(1, 30))
        : age === "normal"
          ? BigInt(r.intInclusive(30, 600))
          : age === "long"
            ? BigInt(r.intInclusive(3600, 7 * 86_400))
            : age === "zero"
              ? 0n
              : UINT256_MAX;
    const sender = r.chance(0.9) ? this.actors.owner : r.pick(this.actors.traders);
    return this.op(
      { kind: "setMaxPriceAge", maxPriceAge: value },
      sender,
      dt,
      `setMaxPriceAge:${age}`,
    );
  }

  private createMarket(s: ExchangeState, dt: bigint): GenStep {
    const r = this.rng;
    const full = s.markets.length >= this.opts.maxMarkets;
    const kind = full
      ? r.weighted({ invalid: 60, notOwner: 40 })
      : r.weighted({ valid: 80, invalid: 12, notOwner: 8 });
    const spec = this.opts.catalog[this.catalogNext % this.opts.catalog.length]!;
    let params = spec.params;
    if (kind === "invalid") params = this.breakParams(params, r.intInclusive(0, 10));
    if (kind === "valid") {
      this.catalogNext++;
      const id = BigInt(s.markets.length) + 1n;
      if (!this.ref.has(id)) this.ref.set(id, spec.initialPrice);
      this.anchor.set(id, { price: this.ref.get(id)!, params });
    }
    return this.op(
      { kind: "createMarket", symbol: `${spec.symbol}${this.catalogNext}`, params },
      kind === "notOwner" ? r.pick(this.actors.traders) : this.actors.owner,
      dt,
      `createMarket:${kind}`,
    );
  }

  private depositInsurance(dt: bigint): GenStep {
    const r = this.rng;
    const kind = r.weighted({ normal: 85, zero: 8, tooLarge: 7 });
    const amount =
      kind === "normal" ? d18(r, r.logBetween(1, 5_000)) : kind === "zero" ? 0n : MAX_PARAM + 1n;
    const sender = r.chance(0.7) ? this.actors.owner : r.pick(this.actors.traders);
    return this.op(
      { kind: "depositInsuranceFund", amount },
      sender,
      dt,
      `depositInsurance:${kind}`,
    );
  }
}
