/**
 * DataLoaders: per request and per snapshot, the history a list of nodes needs is fetched in
 * one query for all of them, not one per node.
 *
 * Why: `accounts(first: 100) { edges { node { trades { … } fundingPaid } } }` would otherwise
 * issue 200 queries. Each loader collects the keys its nodes ask for during one tick and runs
 * one query per distinct page shape (page size and cursor): per-account pages come back from a
 * window-function query (ponderReader.ts), sums from one GROUP BY. Everything is bounded by the
 * snapshot's block, so nested lists agree with the figures beside them. Current state (markets,
 * accounts, positions) needs no loader: it is already in the snapshot's memory.
 */
import DataLoader from "dataloader";
import type { EventCursor } from "../pagination/cursor.js";
import type { PonderReader } from "./ponderReader.js";
import type { FundingPointRow, LiquidationRow, Page, TradeRow } from "./rows.js";
import type { Snapshot } from "./snapshot.js";

export interface AccountPageKey {
  accountId: bigint;
  limit: number;
  after?: EventCursor;
  /** The cursor as the client sent it (groups keys with the same page shape). */
  afterText?: string;
}

export interface FundingHistoryKey {
  marketId: bigint;
  interval: number;
  from?: bigint;
  to?: bigint;
  last: number;
}

const pageKey = (k: AccountPageKey) => `${k.accountId}:${k.limit}:${k.afterText ?? ""}`;
const shapeKey = (k: AccountPageKey) => `${k.limit}:${k.afterText ?? ""}`;

function groupBy<K>(keys: readonly K[], shape: (k: K) => string): Map<string, K[]> {
  const out = new Map<string, K[]>();
  for (const k of keys) {
    const s = shape(k);
    const list = out.get(s);
    if (list) list.push(k);
    else out.set(s, [k]);
  }
  return out;
}

function accountPages<T>(
  fetch: (q: {
    accountIds: bigint[];
    maxBlock: bigint;
    after?: EventCursor;
    limit: number;
  }) => Promise<Map<string, Page<T>>>,
  maxBlock: bigint,
) {
  return new DataLoader<AccountPageKey, Page<T>, string>(
    async (keys) => {
      const results = new Map<string, Page<T>>();
      for (const group of groupBy(keys, shapeKey).values()) {
        const first = group[0]!;
        const pages = await fetch({
          accountIds: group.map((k) => k.accountId),
          maxBlock,
          after: first.after,
          limit: first.limit,
        });
        for (const k of group) {
          results.set(
            pageKey(k),
            pages.get(k.accountId.toString()) ?? { rows: [], hasMore: false },
          );
        }
      }
      return keys.map((k) => results.get(pageKey(k))!);
    },
    { cacheKeyFn: pageKey },
  );
}

export class Loaders {
  readonly trades: DataLoader<AccountPageKey, Page<TradeRow>, string>;
  readonly accountLiquidations: DataLoader<AccountPageKey, Page<LiquidationRow>, string>;
  readonly realizedFunding: DataLoader<bigint, bigint, string>;
  readonly fundingHistory: DataLoader<FundingHistoryKey, FundingPointRow[], string>;

  constructor(reader: PonderReader, snap: Snapshot) {
    const maxBlock = snap.block;
    this.trades = accountPages((q) => reader.tradesByAccount(q), maxBlock);
    this.accountLiquidations = accountPages((q) => reader.liquidationsByAccount(q), maxBlock);
    this.realizedFunding = new DataLoader<bigint, bigint, string>(
      async (ids) => {
        const sums = await reader.realizedFunding(ids, maxBlock);
        return ids.map((id) => sums.get(id.toString()) ?? 0n);
      },
      { cacheKeyFn: (id) => id.toString() },
    );
    const historyShape = (k: FundingHistoryKey) =>
      `${k.interval}:${k.from ?? ""}:${k.to ?? ""}:${k.last}`;
    const historyKey = (k: FundingHistoryKey) => `${k.marketId}:${historyShape(k)}`;
    this.fundingHistory = new DataLoader<FundingHistoryKey, FundingPointRow[], string>(
      async (keys) => {
        const results = new Map<string, FundingPointRow[]>();
        for (const group of groupBy(keys, historyShape).values()) {
          const q = group[0]!;
          const rows = await reader.fundingHistory({
            marketIds: group.map((k) => k.marketId),
            interval: q.interval,
            from: q.from,
            to: q.to,
            last: q.last,
            maxBlock,
          });
          for (const k of group) results.set(historyKey(k), rows.get(k.marketId.toString()) ?? []);
        }
        return keys.map((k) => results.get(historyKey(k))!);
      },
      { cacheKeyFn: historyKey },
    );
  }
}
