/**
 * The state container: how an operation reads and writes the mirrored exchange.
 *
 * Why: the contract's calls are transactions — they read and write storage in order, and a
 * revert anywhere discards every write. A `Draft` is that transaction over an immutable
 * `ExchangeState`: reads see the draft's own earlier writes, writes go to a copy-on-write
 * overlay (only the markets array and the touched accounts and prices are copied), and
 * `commit()` builds the next state sharing everything untouched with the previous one. A
 * reverted operation simply drops its draft, so the input state is never modified.
 * `transact` and `readView` are the two public boundaries that turn the internal revert
 * signal into typed results. Committing copies the accounts map (O(accounts)); a caller with
 * very many accounts can hand in a state holding just the accounts the operation touches.
 */
import { errors, Revert } from "./errors.js";
import { isUint256 } from "./fixedPoint.js";
import type {
  Account,
  Address,
  Context,
  ExchangeEvent,
  ExchangeState,
  Market,
  OpResult,
  OraclePrice,
  ViewResult,
} from "./types.js";

export const ZERO_ADDRESS: Address = "0x0000000000000000000000000000000000000000";
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

export function isAddress(v: unknown): v is Address {
  return typeof v === "string" && ADDRESS_RE.test(v);
}

/** Addresses are compared and stored lowercase. */
export function normalizeAddress(a: Address): Address {
  return a.toLowerCase() as Address;
}

const NO_PRICE: OraclePrice = { price: 0n, publishTime: 0n };

export interface DeployInput {
  /** The exchange contract's address. */
  address: Address;
  /** Deployer of the exchange (its owner). */
  owner: Address;
  /** Deployer of the oracle (its owner and first updater); defaults to `owner`. */
  oracleOwner?: Address;
  maxPriceAge: bigint;
  /** Collateral tokens the exchange already holds (a vault buffer minted to it); default 0. */
  tokenBalance?: bigint;
}

/**
 * The state right after the oracle's and the exchange's constructors ran, with the events the
 * constructors emitted (`UpdaterSet(oracleOwner, true)`, `MaxPriceAgeSet`).
 */
export function deployedState(input: DeployInput): {
  state: ExchangeState;
  events: ExchangeEvent[];
} {
  const owner = normalizeAddress(input.owner);
  const oracleOwner = normalizeAddress(input.oracleOwner ?? input.owner);
  const state: ExchangeState = {
    address: normalizeAddress(input.address),
    owner,
    maxPriceAge: input.maxPriceAge,
    insuranceFund: 0n,
    accountCount: 0n,
    markets: [],
    accounts: {},
    oracle: { owner: oracleOwner, updaters: { [oracleOwner]: true }, prices: {} },
    tokenBalance: input.tokenBalance ?? 0n,
  };
  return {
    state,
    events: [
      { name: "UpdaterSet", args: { updater: oracleOwner, allowed: true } },
      { name: "MaxPriceAgeSet", args: { maxPriceAge: input.maxPriceAge } },
    ],
  };
}

/** Collateral tokens sent straight to the exchange (not through any exchange function). */
export function receiveTokens(state: ExchangeState, amount: bigint): ExchangeState {
  return { ...state, tokenBalance: state.tokenBalance + amount };
}

/** One operation's view of the exchange: reads see its own writes; commit builds the next state. */
export class Draft {
  readonly events: ExchangeEvent[] = [];
  insuranceFund: bigint;
  maxPriceAge: bigint;
  accountCount: bigint;
  tokenBalance: bigint;
  private marketsCopy: Market[] | null = null;
  private accountPatch: Map<string, Account> | null = null;
  private pricePatch: Map<string, OraclePrice> | null = null;
  private updaterPatch: Map<string, boolean> | null = null;

  constructor(
    readonly base: ExchangeState,
    readonly ctx: Context,
  ) {
    this.insuranceFund = base.insuranceFund;
    this.maxPriceAge = base.maxPriceAge;
    this.accountCount = base.accountCount;
    this.tokenBalance = base.tokenBalance;
  }

  get now(): bigint {
    return this.ctx.timestamp;
  }

  get sender(): Address {
    return this.ctx.sender;
  }

  get markets(): readonly Market[] {
    return this.marketsCopy ?? this.base.markets;
  }

  get marketCount(): bigint {
    return BigInt(this.markets.length);
  }

  /** Market `id`, or undefined when `id` is 0 or past `marketCount`. */
  market(id: bigint): Market | undefined {
    if (id < 1n || id > BigInt(this.markets.length)) return undefined;
    return this.markets[Number(id) - 1];
  }

  /** Writes market `m.marketId` (which must exist, or be `marketCount + 1`). */
  putMarket(m: Market): void {
    if (this.marketsCopy === null) this.marketsCopy = this.base.markets.slice();
    this.marketsCopy[Number(m.marketId) - 1] = m;
  }

  account(id: bigint): Account | undefined {
    const key = id.toString();
    return this.accountPatch?.get(key) ?? this.base.accounts[key];
  }

  putAccount(a: Account): void {
    if (this.accountPatch === null) this.accountPatch = new Map();
    this.accountPatch.set(a.accountId.toString(), a);
  }

  /** The oracle's stored price for `marketId` (zeros when it never had one). */
  price(marketId: bigint): OraclePrice {
    const key = marketId.toString();
    return this.pricePatch?.get(key) ?? this.base.oracle.prices[key] ?? NO_PRICE;
  }

  putPrice(marketId: bigint, p: OraclePrice): void {
    if (this.pricePatch === null) this.pricePatch = new Map();
    this.pricePatch.set(marketId.toString(), p);
  }

  isUpdater(a: Address): boolean {
    return this.updaterPatch?.get(a) ?? this.base.oracle.updaters[a] ?? false;
  }

  putUpdater(a: Address, allowed: boolean): void {
    if (this.updaterPatch === null) this.updaterPatch = new Map();
    this.updaterPatch.set(a, allowed);
  }

  emit(e: ExchangeEvent): void {
    this.events.push(e);
  }

  commit(): ExchangeState {
    const b = this.base;
    const oracleChanged = this.pricePatch !== null || this.updaterPatch !== null;
    return {
      address: b.address,
      owner: b.owner,
      maxPriceAge: this.maxPriceAge,
      insuranceFund: this.insuranceFund,
      accountCount: this.accountCount,
      markets: this.marketsCopy ?? b.markets,
      accounts: this.accountPatch
        ? { ...b.accounts, ...Object.fromEntries(this.accountPatch) }
        : b.accounts,
      oracle: oracleChanged
        ? {
            owner: b.oracle.owner,
            updaters: this.updaterPatch
              ? { ...b.oracle.updaters, ...Object.fromEntries(this.updaterPatch) }
              : b.oracle.updaters,
            prices: this.pricePatch
              ? { ...b.oracle.prices, ...Object.fromEntries(this.pricePatch) }
              : b.oracle.prices,
          }
        : b.oracle,
      tokenBalance: this.tokenBalance,
    };
  }
}

/** Checks a context and lowercases its sender; a typed error when no block could have it. */
export function checkContext(
  ctx: unknown,
): Context | { error: ReturnType<typeof errors.invalidInput> } {
  if (typeof ctx !== "object" || ctx === null) {
    return { error: errors.invalidInput("ctx", "must be an object { timestamp, sender }") };
  }
  const c = ctx as Partial<Context>;
  if (!isUint256(c.timestamp)) {
    return { error: errors.invalidInput("ctx.timestamp", "must be a uint256 bigint") };
  }
  if (!isAddress(c.sender)) {
    return { error: errors.invalidInput("ctx.sender", "must be a 0x-prefixed 20-byte address") };
  }
  return { timestamp: c.timestamp, sender: normalizeAddress(c.sender) };
}

/**
 * Runs `body` as one transaction over `state`: the next state and the events on success, the
 * typed error of the first failing check otherwise. `validate` runs first and may reject the
 * input before any contract logic (an input no transaction could encode).
 */
export function transact(state: ExchangeState, ctx: Context, body: (d: Draft) => void): OpResult {
  const checked = checkContext(ctx);
  if ("error" in checked) return { ok: false, error: checked.error };
  try {
    const d = new Draft(state, checked);
    body(d);
    return { ok: true, state: d.commit(), events: d.events };
  } catch (e) {
    if (e instanceof Revert) return { ok: false, error: e.error };
    throw e;
  }
}

/** Evaluates a view at block time `timestamp`; a typed error where the contract's view reverts. */
export function readView<T>(
  state: ExchangeState,
  timestamp: bigint,
  body: (d: Draft) => T,
): ViewResult<T> {
  if (!isUint256(timestamp)) {
    return { ok: false, error: errors.invalidInput("timestamp", "must be a uint256 bigint") };
  }
  try {
    return { ok: true, value: body(new Draft(state, { timestamp, sender: ZERO_ADDRESS })) };
  } catch (e) {
    if (e instanceof Revert) return { ok: false, error: e.error };
    throw e;
  }
}
