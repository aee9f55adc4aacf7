/**
 * Test support: what Perpwatch's API answers to the exporter's snapshot documents
 * (dashboards/exporter/riskSnapshot.ts), without an API.
 *
 * - `syntheticAnswer`: a seeded answer of one block shaped like the API's (Decimals as
 *   decimal strings, accounts closest to liquidation first, cumulative ladders, cascades at
 *   the standard shocks), of any size — for the exporter's tests and the dashboards bench.
 * - `fakeSnapshotApi`: an `ApiClient` that answers the exporter's documents from such an
 *   answer: the probe, the aliased fields a document asks for, and accounts page by page
 *   (`pageSize`, cursors as offsets); `lagBlocks` makes the next probes answer an earlier
 *   block, as the API does while it loads a new one.
 */
import {
  type AccountAnswer,
  type SnapshotAnswer,
  STANDARD_SHOCKS,
} from "../../../dashboards/exporter/riskSnapshot.js";
import { SeededRandom } from "../../../engine/seededRandom.js";
import { type ApiClient, ApiError } from "../../../runtime/apiClient.js";

export interface AnswerSpec {
  block: number;
  /** Block time, seconds. */
  timestamp: number;
  markets: readonly { id: string; symbol: string }[];
  /** Accounts with open positions (all of them in the answer). */
  accounts: number;
  /** Accounts without positions, counted by `allAccounts` only (default 0). */
  idleAccounts?: number;
  seed?: number;
  /** Insurance fund balance, a decimal string (default "250000"). */
  insuranceFund?: string;
  ladderMaxMove?: number;
  ladderStep?: number;
  shocks?: readonly number[];
}

const dec = (x: number, places = 6): string => {
  const s = x.toFixed(places).replace(/\.?0+$/, "");
  return s === "-0" || s === "" ? "0" : s;
};
const within = (r: SeededRandom) => {
  const a = r.between(0, 1e5);
  const b = a + r.between(0, 1e5);
  const c = b + r.between(0, 1e5);
  return { pct1: a, pct3: b, pct5: c, pct10: c + r.between(0, 1e5) };
};

/** A seeded answer of the API for one block (see `AnswerSpec`). */
export function syntheticAnswer(spec: AnswerSpec): SnapshotAnswer {
  const r = new SeededRandom(spec.seed ?? 1);
  const block = String(spec.block);
  const timestamp = new Date(spec.timestamp * 1000).toISOString();
  const maxMove = spec.ladderMaxMove ?? 0.3;
  const step = spec.ladderStep ?? 0.01;
  const k = Math.round(maxMove / step);

  const accounts: (AccountAnswer & { key: number })[] = [];
  for (let i = 1; i <= spec.accounts; i++) {
    const notional = r.logBetween(1e3, 1e6);
    const mm = notional * r.between(0.01, 0.05);
    const underwater = r.chance(0.05);
    const equity = underwater ? -r.between(0, mm) : mm / r.logBetween(0.1, 2);
    const positions = Array.from({ length: r.intInclusive(1, spec.markets.length) }, () => ({
      size: dec(r.between(-50, 50)),
    }));
    accounts.push({
      id: String(i),
      owner: `0x${i.toString(16).padStart(40, "0")}`,
      collateral: dec(equity + r.between(-100, 100)),
      equity: dec(equity),
      initialMargin: dec(mm * 2),
      maintenanceMargin: dec(mm),
      notional: dec(notional),
      marginRatio: equity > 0 ? dec(mm / equity, 18) : null,
      liquidatable: equity < mm,
      positions,
      key: equity > 0 ? mm / equity : Number.POSITIVE_INFINITY,
    });
  }
  // The API's MARGIN_RATIO_DESC: underwater first, then by ratio, ties by id.
  accounts.sort((a, b) => b.key - a.key || Number(a.id) - Number(b.id));

  const answer: SnapshotAnswer = {
    riskSummary: {
      block,
      timestamp,
      openInterestUsd: dec(r.between(1e6, 1e8)),
      accountsWithPositions: spec.accounts,
      accountsAtRisk: accounts.filter((a) => a.liquidatable).length,
      amplificationAt10: r.between(1, 2),
      maxAbsFundingRate: dec(r.between(0, 0.01), 12),
    },
    insuranceFund: {
      block,
      balance: spec.insuranceFund ?? "250000",
      pendingBadDebt: dec(r.between(0, 1000)),
    },
    mirrorStatus: { block, divergenceCount: "0" },
    markets: spec.markets.map((m) => {
      const long = r.between(0, 1e4);
      const short = r.between(0, 1e4);
      const price = r.logBetween(1, 1e5);
      const rate = r.between(-0.01, 0.01);
      return {
        id: m.id,
        symbol: m.symbol,
        block,
        price: dec(price),
        openInterestLong: dec(long),
        openInterestShort: dec(short),
        openInterestUsd: dec((long + short) * price),
        skew: dec(long - short),
        skewRatio: (long - short) / 1e5,
        pendingBadDebt: "0",
        funding: { rateNow: dec(rate, 12), rateAnnualized: dec(rate * 365, 12), velocity: "0.001" },
      };
    }),
    allAccounts: { block, totalCount: spec.accounts + (spec.idleAccounts ?? 0) },
    accounts: {
      block,
      edges: accounts.map(({ key: _, ...node }) => ({ node })),
      pageInfo: { hasNextPage: false, endCursor: null },
    },
  };
  for (const m of answer.markets) {
    const price = Number(m.price);
    const atMark = r.between(0, 1e4);
    const cum = new Float64Array(2 * k + 1);
    cum[k] = atMark;
    for (let j = 1; j <= k; j++) {
      cum[k - j] = cum[k - j + 1]! + r.between(0, 1e5);
      cum[k + j] = cum[k + j - 1]! + r.between(0, 1e5);
    }
    answer[`ladder_${m.id}`] = {
      block,
      market: { id: m.id },
      bins: Array.from(cum, (marketNotional, j) => {
        const move = Math.round((j - k) * step * 1e9) / 1e9;
        return {
          move,
          price: price * (1 + move),
          accounts: Math.round(marketNotional / 1e4),
          liquidatedNotional: marketNotional * 1.5,
          marketNotional,
          badDebt: marketNotional * 0.01,
        };
      }),
      atMark: { accounts: Math.round(atMark / 1e4) },
      withinDown: within(r),
      withinUp: within(r),
    };
  }
  (spec.shocks ?? STANDARD_SHOCKS).forEach((shock, i) => {
    const notional = Math.abs(shock) * r.between(1e5, 1e7);
    const badDebt = notional * r.between(0, 0.05);
    const covered = Math.min(badDebt, Number(answer.insuranceFund.balance));
    answer[`cascade_${i}`] = {
      block,
      liquidatedNotional: notional,
      liquidatedAccounts: Math.round(notional / 1e4),
      badDebt,
      insuranceCovered: covered,
      uncoveredBadDebt: badDebt - covered,
      insuranceCoverage: badDebt > 0 ? covered / badDebt : 1,
      adlTriggered: badDebt > covered,
      amplification: 1 + Math.abs(shock),
      converged: true,
      rounds: Array.from({ length: r.intInclusive(1, 5) }, (_, n) => ({ round: n + 1 })),
    };
  });
  return answer;
}

export interface FakeSnapshotApi extends ApiClient {
  /** The answer served (replace it to move to another block). */
  answer: SnapshotAnswer;
  /** Operation names of the requests served, in order. */
  readonly operations: string[];
  /** The next `n` probes answer the block before the answer's (the API still loading it). */
  lagBlocks(n: number): void;
}

/** An `ApiClient` answering the exporter's snapshot documents from `answer`. */
export function fakeSnapshotApi(
  answer: SnapshotAnswer,
  opts: { pageSize?: number; url?: string } = {},
): FakeSnapshotApi {
  const pageSize = opts.pageSize ?? 1000;
  const operations: string[] = [];
  let lagging = 0;
  const page = (a: SnapshotAnswer, after: unknown) => {
    const start = typeof after === "string" ? Number(after) : 0;
    const edges = a.accounts.edges.slice(start, start + pageSize);
    const end = start + edges.length;
    return {
      block: a.accounts.block,
      edges,
      pageInfo: { hasNextPage: end < a.accounts.edges.length, endCursor: String(end) },
    };
  };
  const fake: FakeSnapshotApi = {
    url: opts.url ?? "http://fake-api/graphql",
    answer,
    operations,
    lagBlocks(n) {
      lagging = n;
    },
    async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const a = fake.answer;
      const op = /query (\w+)/.exec(query)?.[1] ?? "";
      operations.push(op);
      if (op === "PerpwatchSnapshotProbe") {
        const behind = lagging > 0;
        if (behind) lagging--;
        const block = behind ? String(Number(a.riskSummary.block) - 1) : a.riskSummary.block;
        const time = Date.parse(a.riskSummary.timestamp) - (behind ? 1000 : 0);
        return structuredClone({
          riskSummary: { block, timestamp: new Date(time).toISOString() },
          markets: a.markets.map((m) => ({ id: m.id })),
        }) as T;
      }
      if (op === "PerpwatchSnapshotAccounts") {
        return structuredClone({ accounts: page(a, variables.after) }) as T;
      }
      if (!op.startsWith("PerpwatchSnapshot")) {
        throw new ApiError(`fake API: unexpected operation ${op}`, "graphql");
      }
      const out: Record<string, unknown> = {};
      for (const [, alias] of query.matchAll(/(\w+): (?:cascade|liquidationLadder)\(/g)) {
        out[alias!] = a[alias as `ladder_${string}`];
      }
      if (op === "PerpwatchSnapshot") {
        Object.assign(out, {
          riskSummary: a.riskSummary,
          insuranceFund: a.insuranceFund,
          mirrorStatus: a.mirrorStatus,
          markets: a.markets,
          allAccounts: a.allAccounts,
          accounts: page(a, null),
        });
      }
      return structuredClone(out) as T;
    },
  };
  return fake;
}
