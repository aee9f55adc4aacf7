/**
 * Operation mixes aimed at the reference exchange's three loss paths, each played as the
 * transactions of one block:
 *
 * - `underwater`: an account levered to its margin limit, a price gap that leaves its equity
 *   below zero, then its own reducing trade (which must revert) and its liquidation;
 * - `oppositeSides`: one account bankrupt long and then short (or the reverse) in the same
 *   market, in the same block — two ADL records that must not net;
 * - `smallProfit`: a fresh counterparty opposite a pending record, in profit by a fraction of
 *   the record's debt, named first to ADL — it must be charged its profit only, the rest
 *   carried to the counterparties named after it.
 *
 * Each mix aims with the engine on a scratch copy of the state (what the chain will see after
 * the transactions before it in the block); the runner then checks the chain agrees.
 */
import type { SeededRandom } from "../../engine/seededRandom.js";
import {
  type Account,
  type Address,
  accountHealth,
  adlKey,
  applyOperation,
  type ExchangeState,
  hasPendingBadDebt,
  modifyPosition,
  type Operation,
  parseAdlKey,
  rankAdlCounterparties,
} from "../../protocols/reference/engine/index.js";
import type { Actors } from "./chainHarness.js";

export type MixKind = "underwater" | "oppositeSides" | "smallProfit";

export interface BlockTx {
  op: Operation;
  sender: Address;
  label: string;
}

const D18 = 10n ** 18n;
const abs = (x: bigint) => (x < 0n ? -x : x);

/** The largest k with the trade `dir·k` accepted (searching above the reducing region). */
export function largestAccepted(
  s: ExchangeState,
  a: Account,
  marketId: bigint,
  dir: bigint,
  ts: bigint,
): bigint {
  const ok = (k: bigint) =>
    k === 0n ||
    modifyPosition(
      s,
      { accountId: a.accountId, marketId, sizeDelta: dir * k },
      { timestamp: ts, sender: a.owner },
    ).ok;
  const pos = a.positions[marketId.toString()]?.size ?? 0n;
  let lo = pos !== 0n && pos > 0n !== dir > 0n ? abs(pos) : 0n;
  if (!ok(lo)) return 0n;
  let hi = s.markets[Number(marketId) - 1]!.params.maxOpenInterest * 2n + 1n;
  if (ok(hi)) return hi;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** A block being built: the transactions so far and the state the engine expects after them. */
class BlockBuilder {
  readonly txs: BlockTx[] = [];
  constructor(
    public s: ExchangeState,
    readonly ts: bigint,
    readonly actors: Actors,
  ) {}

  push(op: Operation, sender: Address, label: string): boolean {
    this.txs.push({ op, sender, label });
    const r = applyOperation(this.s, op, { timestamp: this.ts, sender });
    if (r.ok) this.s = r.state;
    return r.ok;
  }

  /** Every market's price; `prices` (D18) overrides some. */
  setPrices(ref: (id: bigint) => bigint, label: string, prices = new Map<bigint, bigint>()): void {
    const ids = this.s.markets.map((m) => m.marketId);
    const values = ids.map((id) => prices.get(id) ?? ref(id));
    this.push(
      { kind: "setPrices", marketIds: ids, prices: values },
      this.actors.oracleKeeper,
      label,
    );
  }

  equity(accountId: bigint): bigint {
    const h = accountHealth(this.s, accountId, this.ts);
    return h.ok ? h.value.equity : 0n;
  }

  size(accountId: bigint, marketId: bigint): bigint {
    return this.s.accounts[accountId.toString()]?.positions[marketId.toString()]?.size ?? 0n;
  }

  price(marketId: bigint): bigint {
    return this.s.oracle.prices[marketId.toString()]?.price ?? 0n;
  }

  /** Levers `accountId` to its largest accepted size in direction `dir`; the size, or 0. */
  leverMax(accountId: bigint, marketId: bigint, dir: bigint, label: string): bigint {
    const a = this.s.accounts[accountId.toString()]!;
    const k = largestAccepted(this.s, a, marketId, dir, this.ts);
    if (k === 0n) return 0n;
    this.push({ kind: "modifyPosition", accountId, marketId, sizeDelta: dir * k }, a.owner, label);
    return this.size(accountId, marketId);
  }

  /**
   * The price that takes `accountId`'s equity below zero by `overshoot` (D18 USD, plus the
   * insurance fund when `pastFund`), moving against its position in `marketId`; null when no
   * positive price does.
   */
  gapPrice(accountId: bigint, marketId: bigint, overshoot: bigint, pastFund: boolean) {
    const size = this.size(accountId, marketId);
    const equity = this.equity(accountId);
    if (size === 0n || equity < 0n) return null;
    const loss = equity + overshoot + (pastFund ? this.s.insuranceFund : 0n);
    const move = (loss * D18) / abs(size) + 1n;
    const p = this.price(marketId);
    const next = size > 0n ? p - move : p + move;
    return next > p / 20n ? next : null;
  }
}

function pickAccount(s: ExchangeState, rng: SeededRandom, not?: bigint): Account | undefined {
  const pool = Object.values(s.accounts).filter((a) => a.collateral > 0n && a.accountId !== not);
  return pool.length > 0 ? rng.pick(pool) : undefined;
}

/** Deposits `usd` (whole dollars) into `a` so it can lever up. */
function deposit(b: BlockBuilder, a: Account, usd: number, label: string): void {
  const amountDelta = BigInt(Math.round(usd)) * D18;
  b.push({ kind: "modifyCollateral", accountId: a.accountId, amountDelta }, a.owner, label);
}

function underwater(b: BlockBuilder, rng: SeededRandom, ref: (id: bigint) => bigint): boolean {
  const a = pickAccount(b.s, rng);
  if (!a || b.s.markets.length === 0) return false;
  const m = rng.pick(b.s.markets).marketId;
  const dir = rng.chance(0.5) ? 1n : -1n;
  b.setPrices(ref, "mix:underwater:prices");
  deposit(b, a, rng.logBetween(2_000, 50_000), "mix:underwater:deposit");
  const size = b.leverMax(a.accountId, m, dir, "mix:underwater:lever");
  if (size === 0n) return true;
  const overshoot = (b.equity(a.accountId) * BigInt(rng.intInclusive(5, 80))) / 100n;
  const gap = b.gapPrice(a.accountId, m, overshoot, false);
  if (gap === null) return true;
  b.setPrices(ref, "mix:underwater:gap", new Map([[m, gap]]));
  const reduce = rng.weighted({ close: 3, part: 3, wei: 1 });
  const sizeDelta =
    reduce === "close" ? -size : reduce === "wei" ? (size > 0n ? -1n : 1n) : (-size * 37n) / 100n;
  b.push(
    { kind: "modifyPosition", accountId: a.accountId, marketId: m, sizeDelta },
    a.owner,
    "mix:underwater:reduce",
  );
  b.push(
    { kind: "liquidate", accountId: a.accountId },
    b.actors.liquidator,
    "mix:underwater:liquidate",
  );
  return true;
}

/** Levers `a` in `dir`, gaps the price past its equity and the fund, liquidates it. */
function bankrupt(
  b: BlockBuilder,
  rng: SeededRandom,
  ref: (id: bigint) => bigint,
  a: Account,
  m: bigint,
  dir: bigint,
  overrides: Map<bigint, bigint>,
): boolean {
  const side = dir > 0n ? "long" : "short";
  deposit(b, a, rng.logBetween(2_000, 50_000), `mix:oppositeSides:deposit`);
  const size = b.leverMax(a.accountId, m, dir, `mix:oppositeSides:${side}`);
  if (size === 0n) return false;
  const notional = (abs(size) * b.price(m)) / D18;
  const overshoot = (notional * BigInt(rng.intInclusive(2, 15))) / 100n;
  const gap = b.gapPrice(a.accountId, m, overshoot, true);
  if (gap === null) return false;
  overrides.set(m, gap);
  b.setPrices(ref, `mix:oppositeSides:gap`, overrides);
  return b.push(
    { kind: "liquidate", accountId: a.accountId },
    b.actors.liquidator,
    `mix:oppositeSides:liquidate`,
  );
}

function oppositeSides(b: BlockBuilder, rng: SeededRandom, ref: (id: bigint) => bigint): boolean {
  const a = pickAccount(b.s, rng);
  if (!a || b.s.markets.length === 0) return false;
  const m = rng.pick(b.s.markets).marketId;
  const dir = rng.chance(0.5) ? 1n : -1n;
  const overrides = new Map<bigint, bigint>();
  b.setPrices(ref, "mix:oppositeSides:prices");
  if (!bankrupt(b, rng, ref, a, m, dir, overrides)) return true;
  bankrupt(b, rng, ref, b.s.accounts[a.accountId.toString()]!, m, -dir, overrides);
  return true;
}

function smallProfit(b: BlockBuilder, rng: SeededRandom, ref: (id: bigint) => bigint): boolean {
  const pending: { accountId: bigint; marketId: bigint; isLong: boolean; size: bigint }[] = [];
  for (const a of Object.values(b.s.accounts)) {
    for (const [k, r] of Object.entries(a.adlRecords)) {
      if (hasPendingBadDebt(r) && r.debt > 0n) {
        pending.push({ accountId: a.accountId, ...parseAdlKey(k), size: r.size });
      }
    }
  }
  const c = pickAccount(b.s, rng);
  const aims = pending.filter((p) => p.accountId !== c?.accountId);
  if (aims.length === 0 || !c) return false;
  const rec = rng.pick(aims);
  const m = rec.marketId;
  b.setPrices(ref, "mix:smallProfit:prices");
  // c takes the other side, at least the record's size, at about 2x leverage
  const dir = rec.isLong ? -1n : 1n;
  const size = (abs(rec.size) * BigInt(rng.intInclusive(100, 200))) / 100n;
  const notional = Number((size * b.price(m)) / D18) / 1e18;
  deposit(b, c, notional / 2 + 1_000, "mix:smallProfit:deposit");
  const traded = b.push(
    { kind: "modifyPosition", accountId: c.accountId, marketId: m, sizeDelta: dir * size },
    c.owner,
    "mix:smallProfit:counterparty",
  );
  const p = b.s.accounts[c.accountId.toString()]?.positions[m.toString()];
  const record = b.s.accounts[rec.accountId.toString()]?.adlRecords[adlKey(m, rec.isLong)];
  if (!traded || !p || !record || record.debt === 0n) return true;
  // a profit of 5% to 80% of the record's debt, at the price c just traded at
  const target = (record.debt * BigInt(rng.intInclusive(5, 80))) / 100n;
  const move = (target * D18) / abs(p.size) + 1n;
  const price = p.size > 0n ? p.lastPrice + move : p.lastPrice - move;
  if (price <= 0n) return true;
  b.setPrices(ref, "mix:smallProfit:nudge", new Map([[m, price]]));
  const ranked = rankAdlCounterparties(b.s, rec.accountId, m, rec.isLong, b.ts);
  const others = ranked.ok
    ? ranked.value.map((x) => x.accountId).filter((id) => id !== c.accountId)
    : [];
  b.push(
    {
      kind: "autoDeleverage",
      bankruptAccountId: rec.accountId,
      marketId: m,
      isLong: rec.isLong,
      counterparties: [c.accountId, ...others.slice(0, 3)],
    },
    b.actors.adlKeeper,
    "mix:smallProfit:adl",
  );
  return true;
}

/**
 * The transactions of one block playing `kind` on `s` at `ts`, with `ref(marketId)` the sane
 * price of each market; null when the state offers nothing to aim at (no funded account, or
 * no pending record for `smallProfit`).
 */
export function lossMix(
  kind: MixKind,
  s: ExchangeState,
  ts: bigint,
  rng: SeededRandom,
  actors: Actors,
  ref: (id: bigint) => bigint,
): BlockTx[] | null {
  const b = new BlockBuilder(s, ts, actors);
  const played =
    kind === "underwater"
      ? underwater(b, rng, ref)
      : kind === "oppositeSides"
        ? oppositeSides(b, rng, ref)
        : smallProfit(b, rng, ref);
  return played && b.txs.length > 0 ? b.txs : null;
}
