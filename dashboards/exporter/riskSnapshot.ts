/**
 * One risk snapshot: the figures Perpwatch's GraphQL API (`/graphql`, schema.graphql) computes
 * for one block, as the rows of the snapshot tables (migrations/0002_snapshots.sql).
 *
 * Why from the API: open interest, funding, "liquidatable within x%", ladders, cascades, the
 * insurance fund and every account's health are the API's analytics of the book at a block —
 * the same figures the alerts and integrators read. The exporter asks for them instead of
 * rebuilding the book and running the analytics a second time, so a chart and an alert can
 * never disagree because two code paths do, and the exporter needs no protocol's engine.
 *
 * One block: the API answers one request from one snapshot, and every figure states its
 * `block`. A snapshot is one request holding every field (more only when there are too many
 * markets for the API's alias limit, and for further pages of accounts, which the API keeps on
 * the first page's block); `answerBlock` checks that every part names the same block, and the
 * exporter checks that it is the block whose events it read from Ponder.
 *
 * What is left here is presentation: which shocks and ladder grid to chart, the account-health
 * histogram's buckets, the ladder's per-bin deltas and floats for ClickHouse's Float64 columns.
 * Exact amounts (the insurance fund, pending bad debt) stay exact decimal strings.
 */
import { type ApiClient, ApiError } from "../../runtime/apiClient.js";
import { finite } from "./values.js";

/** Correlated shocks (every market by its beta) every snapshot charts a cascade for. */
export const STANDARD_SHOCKS: readonly number[] = [-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2];

/**
 * Account-health buckets of the accounts with open positions: underwater (equity ≤ 0: the API
 * gives no margin ratio), else liquidatable (the API's `liquidatable`, the contract's
 * condition), else by the API's `marginRatio` (MM/equity) below each bound.
 */
export const HEALTH_BUCKETS: readonly { label: string; below: number }[] = [
  { label: "< 25%", below: 0.25 },
  { label: "25–50%", below: 0.5 },
  { label: "50–75%", below: 0.75 },
  { label: "75–90%", below: 0.9 },
  { label: "90–100%", below: 1 },
  { label: "liquidatable", below: Number.NaN },
  { label: "underwater", below: Number.NaN },
];

/** Aliases per request: the API's default limit (`PERPWATCH_API_MAX_ALIASES`). */
export const MAX_ALIASES = 20;

/**
 * Accounts with an open position: every position has a notional at a positive price, an
 * account without one has none (the API has no "has positions" filter; an account whose
 * positions are worth less than 1 wei in all would be missed).
 */
const OPEN = "0.000000000000000001";

// ---- The API's answer (schema.graphql), as JSON: Decimal and BigInt are strings. ----

type Dec = string;

interface WithinAnswer {
  pct1: number;
  pct3: number;
  pct5: number;
  pct10: number;
}

export interface MarketAnswer {
  id: string;
  symbol: string;
  block: string;
  price: Dec;
  openInterestLong: Dec;
  openInterestShort: Dec;
  openInterestUsd: Dec;
  skew: Dec;
  skewRatio: number;
  pendingBadDebt: Dec;
  funding: { rateNow: Dec; rateAnnualized: Dec; velocity: Dec };
}

export interface LadderAnswer {
  block: string;
  market: { id: string };
  bins: {
    move: number;
    price: number;
    accounts: number;
    liquidatedNotional: number;
    marketNotional: number;
    badDebt: number;
  }[];
  atMark: { accounts: number };
  withinDown: WithinAnswer;
  withinUp: WithinAnswer;
}

export interface CascadeAnswer {
  block: string;
  liquidatedNotional: number;
  liquidatedAccounts: number;
  badDebt: number;
  insuranceCovered: number;
  uncoveredBadDebt: number;
  insuranceCoverage: number;
  adlTriggered: boolean;
  amplification: number | null;
  converged: boolean;
  rounds: { round: number }[];
}

export interface AccountAnswer {
  id: string;
  owner: string;
  collateral: Dec;
  equity: Dec;
  initialMargin: Dec;
  maintenanceMargin: Dec;
  notional: Dec;
  /** MM/equity; null when equity ≤ 0. */
  marginRatio: Dec | null;
  liquidatable: boolean;
  positions: { size: Dec }[];
}

interface AccountPage {
  block: string;
  edges: { node: AccountAnswer }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * The answer of one snapshot's requests, merged: the main document's fields, `accounts` with
 * the edges of every page (every account with an open position, closest to liquidation first),
 * `ladder_<marketId>` per market and `cascade_<i>` per shock (`STANDARD_SHOCKS` order).
 */
export interface SnapshotAnswer {
  riskSummary: {
    block: string;
    timestamp: string;
    openInterestUsd: Dec;
    accountsWithPositions: number;
    accountsAtRisk: number;
    amplificationAt10: number | null;
    maxAbsFundingRate: Dec;
  };
  insuranceFund: { block: string; balance: Dec; pendingBadDebt: Dec };
  mirrorStatus: { block: string; divergenceCount: string };
  markets: MarketAnswer[];
  allAccounts: { block: string; totalCount: number };
  accounts: AccountPage;
  [alias: `ladder_${string}`]: LadderAnswer;
  [alias: `cascade_${number}`]: CascadeAnswer;
}

// ---- The documents ----

export interface SnapshotQueryOptions {
  ladderMaxMove: number;
  ladderStep: number;
  shocks?: readonly number[];
  /** Aliases per request (default `MAX_ALIASES`). */
  maxAliases?: number;
  /**
   * The exchange to ask about (`exchanges[].id`), passed as every field's `exchange` argument;
   * omitted: the API's only exchange.
   */
  exchange?: string;
}

const WITHIN = "pct1 pct3 pct5 pct10";
const FRAGMENTS = {
  ladder: `fragment SnapshotLadder on LiquidationLadder { block market { id } bins { move price accounts liquidatedNotional marketNotional badDebt } atMark { accounts } withinDown { ${WITHIN} } withinUp { ${WITHIN} } }`,
  cascade:
    "fragment SnapshotCascade on CascadeResult { block liquidatedNotional liquidatedAccounts badDebt insuranceCovered uncoveredBadDebt insuranceCoverage adlTriggered amplification converged rounds { round } }",
  accounts:
    "fragment SnapshotAccounts on AccountConnection { block edges { node { id owner collateral equity initialMargin maintenanceMargin notional marginRatio liquidatable positions { size } } } pageInfo { hasNextPage endCursor } }",
};

/** `name(args…)`, with the `exchange` argument first when one is asked about. */
function field(exchange: string | undefined, name: string, ...args: string[]): string {
  const all = [...(exchange === undefined ? [] : ["exchange: $exchange"]), ...args];
  return all.length > 0 ? `${name}(${all.join(", ")})` : name;
}

/** `($a: T, …)` for the variables the document's text uses. */
function declare(text: string, exchange: string | undefined): string {
  const vars = [
    exchange !== undefined ? "$exchange: ID" : "",
    text.includes("$range") ? "$range: Float!, $step: Float!" : "",
    text.includes("$page") ? "$page: Int!, $after: String, $open: Decimal!" : "",
  ].filter((v) => v !== "");
  return vars.length > 0 ? `(${vars.join(", ")})` : "";
}

const accountsField = (exchange: string | undefined) =>
  `${field(exchange, "accounts", "orderBy: MARGIN_RATIO_DESC", "first: $page", "after: $after", "filter: { minNotional: $open }")} { ...SnapshotAccounts }`;

/** The block and the market ids the API serves now (cheap: what it warms for every block). */
export function probeDocument(exchange?: string): string {
  const text = `${field(exchange, "riskSummary")} { block timestamp } ${field(exchange, "markets")} { id }`;
  return `query PerpwatchSnapshotProbe${declare(text, exchange)} { ${text} }`;
}

/** Further pages of accounts (the API keeps them on the first page's block). */
export function accountsPageDocument(exchange?: string): string {
  const text = accountsField(exchange);
  return `query PerpwatchSnapshotAccounts${declare(text, exchange)} { ${text} } ${FRAGMENTS.accounts}`;
}

/** A page small enough for the API's cost limit with `markets` positions per account. */
export function accountPageSize(markets: number): number {
  return Math.max(100, Math.min(1000, Math.floor(20_000 / (3 + markets))));
}

const literal = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));

/**
 * The documents of one snapshot: the first holds every exchange-wide field, the first page of
 * accounts and as many cascades and ladders as the alias limit allows; the rest hold the
 * remaining ladders (and cascades), one document per `maxAliases`.
 */
export function snapshotDocuments(
  marketIds: readonly string[],
  opts: SnapshotQueryOptions,
): string[] {
  const max = opts.maxAliases ?? MAX_ALIASES;
  const x = opts.exchange;
  const aliased = [
    ...(opts.shocks ?? STANDARD_SHOCKS).map(
      (s, i) =>
        `cascade_${i}: ${field(x, "cascade", `shock: { move: ${literal(s)} }`)} { ...SnapshotCascade }`,
    ),
    ...marketIds.map(
      (id) =>
        `ladder_${id}: ${field(x, "liquidationLadder", `marketId: ${JSON.stringify(id)}`, "range: $range", "step: $step")} { ...SnapshotLadder }`,
    ),
  ];
  const main = [
    `${field(x, "riskSummary")} { block timestamp openInterestUsd accountsWithPositions accountsAtRisk amplificationAt10 maxAbsFundingRate }`,
    `${field(x, "insuranceFund")} { block balance pendingBadDebt }`,
    `${field(x, "mirrorStatus", "first: 1")} { block divergenceCount }`,
    `${field(x, "markets")} { id symbol block price openInterestLong openInterestShort openInterestUsd skew skewRatio pendingBadDebt funding { rateNow rateAnnualized velocity } }`,
    `allAccounts: ${field(x, "accounts", "first: 1")} { block totalCount }`,
    accountsField(x),
  ];
  const chunks: string[][] = [[...main, ...aliased.slice(0, max - 1)]];
  for (let i = max - 1; i < aliased.length; i += max) chunks.push(aliased.slice(i, i + max));
  return chunks.map((fields, k) => {
    const text = fields.join("\n  ");
    const used = (Object.keys(FRAGMENTS) as (keyof typeof FRAGMENTS)[]).filter((f) =>
      text.includes(`...Snapshot${f[0]!.toUpperCase()}${f.slice(1)}`),
    );
    const name = k === 0 ? "PerpwatchSnapshot" : `PerpwatchSnapshotPart${k}`;
    return `query ${name}${declare(text, x)} {\n  ${text}\n}\n${used.map((f) => FRAGMENTS[f]).join("\n")}`;
  });
}

// ---- Asking ----

/** The API's answers of one snapshot are not all of one block: ask again. */
export class SnapshotMovedError extends Error {
  override readonly name = "SnapshotMovedError";
}

/** The block and time (seconds) the API serves now, and its markets. */
export async function probeApi(
  api: ApiClient,
  exchange?: string,
): Promise<{ block: number; timestamp: number; marketIds: string[] }> {
  const data = await api.query<{
    riskSummary: { block: string; timestamp: string };
    markets: { id: string }[];
  }>(probeDocument(exchange), exchange === undefined ? {} : { exchange });
  return {
    block: Number(data.riskSummary.block),
    timestamp: seconds(data.riskSummary.timestamp),
    marketIds: data.markets.map((m) => m.id),
  };
}

/**
 * Every figure of one snapshot, for the markets `marketIds` (the API's, from `probeApi`).
 * Throws `SnapshotMovedError` when the parts are not of one block, the markets changed, or
 * the first page's block is no longer kept for the next pages.
 */
export async function fetchSnapshot(
  api: ApiClient,
  marketIds: readonly string[],
  opts: SnapshotQueryOptions,
): Promise<SnapshotAnswer> {
  const page = accountPageSize(marketIds.length);
  const vars = {
    exchange: opts.exchange,
    range: opts.ladderMaxMove,
    step: opts.ladderStep,
    page,
    after: null,
    open: OPEN,
  };
  const docs = snapshotDocuments(marketIds, opts);
  const parts = await Promise.all(
    docs.map((doc) => api.query<Record<string, unknown>>(doc, documentVariables(doc, vars))),
  );
  const answer = Object.assign({}, ...parts) as SnapshotAnswer;
  let last: AccountPage = answer.accounts;
  const edges = [...last.edges];
  while (last.pageInfo.hasNextPage) {
    try {
      ({ accounts: last } = await api.query<{ accounts: AccountPage }>(
        accountsPageDocument(opts.exchange),
        documentVariables(accountsPageDocument(opts.exchange), {
          ...vars,
          after: last.pageInfo.endCursor,
        }),
      ));
    } catch (err) {
      if (err instanceof ApiError && err.code === "CURSOR_EXPIRED") {
        throw new SnapshotMovedError(`accounts: ${err.message}`);
      }
      throw err;
    }
    if (last.block !== answer.accounts.block) {
      throw new SnapshotMovedError(`accounts: a page of block ${last.block}`);
    }
    edges.push(...last.edges);
  }
  answer.accounts = { ...answer.accounts, edges, pageInfo: last.pageInfo };
  const ids = answer.markets.map((m) => m.id);
  if (ids.join(",") !== marketIds.join(",")) {
    throw new SnapshotMovedError(`markets: ${ids.join(",")}, not ${marketIds.join(",")}`);
  }
  answerBlock(answer);
  return answer;
}

/** The variables a document declares, from `all`. */
function documentVariables(doc: string, all: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(all).filter(([k]) => doc.includes(`$${k}:`)));
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/**
 * The block (and its time, seconds) every part of `answer` states; `SnapshotMovedError` when
 * two parts state different blocks.
 */
export function answerBlock(answer: SnapshotAnswer): { block: number; timestamp: number } {
  const blocks = new Map<string, string>();
  const note = (what: string, block: string | undefined) => {
    if (block === undefined) throw new SnapshotMovedError(`${what}: no block in the answer`);
    blocks.set(what, block);
  };
  note("riskSummary", answer.riskSummary.block);
  note("insuranceFund", answer.insuranceFund.block);
  note("mirrorStatus", answer.mirrorStatus.block);
  note("allAccounts", answer.allAccounts.block);
  note("accounts", answer.accounts.block);
  for (const m of answer.markets) {
    note(`markets[${m.id}]`, m.block);
    note(`ladder_${m.id}`, answer[`ladder_${m.id}`]?.block);
  }
  for (const [key, value] of Object.entries(answer)) {
    if (key.startsWith("cascade_")) note(key, (value as CascadeAnswer).block);
  }
  const block = answer.riskSummary.block;
  for (const [what, b] of blocks) {
    if (b !== block) {
      throw new SnapshotMovedError(`${what} is of block ${b}, riskSummary of block ${block}`);
    }
  }
  return { block: Number(block), timestamp: seconds(answer.riskSummary.timestamp) };
}

// ---- Rows ----

export interface SnapshotAt {
  chainId: number;
  /** The exchange's configured id (`exchanges[].id`). */
  exchange: string;
  snapshotId: string;
}

export interface SnapshotOptions {
  topAccounts: number;
  shocks?: readonly number[];
  /** How long asking the API took (ms), added to the header's `compute_ms`. */
  fetchMs?: number;
}

type Row = Record<string, unknown>;

export interface SnapshotRows {
  /** The `snapshots` row without status, version and basis (the exporter adds them). */
  header: Row;
  markets: Row[];
  ladder: Row[];
  cascades: Row[];
  health: Row[];
  accounts: Row[];
}

/** A Decimal or Float the API sent, as a ClickHouse Float64 (finite). */
const num = (v: Dec | number | null | undefined, fallback = 0): number =>
  v === null || v === undefined ? fallback : finite(Number(v), fallback);

function shockLabel(s: number): string {
  const pct = Math.round(s * 1000) / 10;
  return `${pct > 0 ? "+" : ""}${pct}%`;
}

function healthBucket(a: AccountAnswer): number {
  if (a.marginRatio === null) return HEALTH_BUCKETS.length - 1;
  if (a.liquidatable) return HEALTH_BUCKETS.length - 2;
  const ratio = Number(a.marginRatio);
  for (let i = 0; i < HEALTH_BUCKETS.length - 3; i++) {
    if (ratio < HEALTH_BUCKETS[i]!.below) return i;
  }
  return HEALTH_BUCKETS.length - 3; // up to 100% (exactly at it: not yet liquidatable)
}

/** Every snapshot row of the API's answer `answer` (of one block: `answerBlock`). */
export function snapshotRows(
  answer: SnapshotAnswer,
  at: SnapshotAt,
  opts: SnapshotOptions,
): SnapshotRows {
  const started = performance.now();
  const { block, timestamp } = answerBlock(answer);
  const common = {
    chain_id: at.chainId,
    exchange: at.exchange,
    block_number: block,
    block_time: timestamp,
    snapshot_id: at.snapshotId,
  };

  // Markets: open interest, skew, funding now, liquidatable within 1/3/5/10% each way.
  const markets: Row[] = answer.markets.map((m) => {
    const l = answer[`ladder_${m.id}`];
    const down = l?.withinDown;
    const up = l?.withinUp;
    return {
      ...common,
      market_id: Number(m.id),
      symbol: m.symbol,
      price: num(m.price),
      open_interest_long: num(m.openInterestLong),
      open_interest_short: num(m.openInterestShort),
      open_interest_usd: num(m.openInterestUsd),
      skew: num(m.skew),
      skew_ratio: num(m.skewRatio),
      funding_rate: num(m.funding.rateNow),
      funding_rate_annual: num(m.funding.rateAnnualized),
      funding_velocity: num(m.funding.velocity),
      pending_bad_debt: num(m.pendingBadDebt),
      accounts_at_risk: l?.atMark.accounts ?? 0,
      liquidatable_down_1: num(down?.pct1),
      liquidatable_down_3: num(down?.pct3),
      liquidatable_down_5: num(down?.pct5),
      liquidatable_down_10: num(down?.pct10),
      liquidatable_up_1: num(up?.pct1),
      liquidatable_up_3: num(up?.pct3),
      liquidatable_up_5: num(up?.pct5),
      liquidatable_up_10: num(up?.pct10),
    };
  });

  // Ladder bins, cumulative from the mark outwards; bucket_notional is each bin's share.
  const ladder: Row[] = [];
  for (const m of answer.markets) {
    const bins = answer[`ladder_${m.id}`]?.bins ?? [];
    const k = bins.length;
    bins.forEach((bin, j) => {
      // The neighbour one bin nearer the mark (the grid is ascending and contains 0).
      const inner = bin.move < 0 ? j + 1 : bin.move > 0 ? j - 1 : -1;
      const cum = num(bin.marketNotional);
      const bucket = inner >= 0 && inner < k ? cum - num(bins[inner]!.marketNotional) : cum;
      ladder.push({
        ...common,
        market_id: Number(m.id),
        symbol: m.symbol,
        move: Math.round(bin.move * 1e6) / 1e6,
        price: num(bin.price),
        liquidated_notional: num(bin.liquidatedNotional),
        market_notional: cum,
        bucket_notional: finite(bucket),
        accounts: bin.accounts,
        bad_debt: num(bin.badDebt),
      });
    });
  }

  // Cascades at the standard shocks, the insurance fund as it is at the block.
  const fund = num(answer.insuranceFund.balance);
  const cascades: Row[] = (opts.shocks ?? STANDARD_SHOCKS).flatMap((shock, i) => {
    const c = answer[`cascade_${i}`];
    if (!c) return [];
    return [
      {
        ...common,
        shock,
        shock_label: shockLabel(shock),
        amplification: num(c.amplification, 1),
        liquidated_notional: num(c.liquidatedNotional),
        liquidated_accounts: c.liquidatedAccounts,
        bad_debt: num(c.badDebt),
        insurance_fund_start: fund,
        insurance_covered: num(c.insuranceCovered),
        uncovered_bad_debt: num(c.uncoveredBadDebt),
        insurance_coverage: num(c.insuranceCoverage, 1),
        adl_triggered: c.adlTriggered ? 1 : 0,
        rounds: c.rounds.length,
        converged: c.converged ? 1 : 0,
      },
    ];
  });

  // Account health at the block: histogram, and the riskiest accounts (the API's order).
  const open = answer.accounts.edges.map((e) => e.node);
  const counts = HEALTH_BUCKETS.map(() => ({ accounts: 0, notional: 0, equity: 0 }));
  let positions = 0;
  let notionalAtRisk = 0;
  for (const a of open) {
    const b = counts[healthBucket(a)]!;
    b.accounts++;
    b.notional += num(a.notional);
    b.equity += num(a.equity);
    positions += a.positions.length;
    if (a.liquidatable) notionalAtRisk += num(a.notional);
  }
  const health: Row[] = counts.map((c, i) => ({
    ...common,
    bucket_order: i,
    bucket: HEALTH_BUCKETS[i]!.label,
    accounts: c.accounts,
    notional: finite(c.notional),
    equity: finite(c.equity),
  }));
  const accounts: Row[] = open.slice(0, opts.topAccounts).map((a, rank) => {
    const equity = num(a.equity);
    const mm = num(a.maintenanceMargin);
    const n = num(a.notional);
    return {
      ...common,
      rank: rank + 1,
      account_id: a.id,
      owner: a.owner,
      collateral: num(a.collateral),
      equity,
      initial_margin: num(a.initialMargin),
      maintenance_margin: mm,
      notional: n,
      margin_ratio: a.marginRatio === null ? null : num(a.marginRatio),
      buffer: n > 0 ? finite((equity - mm) / n) : 0,
      liquidatable: a.liquidatable ? 1 : 0,
      markets: a.positions.length,
    };
  });

  const s = answer.riskSummary;
  const header: Row = {
    ...common,
    insurance_fund: answer.insuranceFund.balance,
    pending_bad_debt: answer.insuranceFund.pendingBadDebt,
    accounts: answer.allAccounts.totalCount,
    open_accounts: s.accountsWithPositions,
    positions,
    open_interest_usd: num(s.openInterestUsd),
    accounts_at_risk: s.accountsAtRisk,
    notional_at_risk: finite(notionalAtRisk),
    max_abs_funding_rate: num(s.maxAbsFundingRate),
    amplification_10: num(s.amplificationAt10, 1),
    mirror_divergences: Number(answer.mirrorStatus.divergenceCount),
    compute_ms: (opts.fetchMs ?? 0) + performance.now() - started,
  };
  return { header, markets, ladder, cascades, health, accounts };
}
