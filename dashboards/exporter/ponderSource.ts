/**
 * What the exporter reads from the indexer, over HTTP only: indexing progress from Ponder's
 * `/status`, tables from Ponder's generated GraphQL at `/ponder/graphql` (and, for the risk
 * snapshots, Perpwatch's own API, which the same server serves at `/graphql`).
 *
 * Why GraphQL and batched pages: the worker never opens Ponder's database (with PGlite only
 * Ponder can), and Ponder's SQL over HTTP misreads PGlite while it flushes (see
 * test/indexer/support/ponderGraphql.ts). A read names several tables at once — each an
 * aliased root field with its own filter and cursor — so a block range of nine event tables,
 * or the whole current state, is one round trip per 1,000 rows of the largest table rather
 * than one per table and page. Every read is of one exchange's rows (`exchangeWhere`): the
 * indexer's tables hold every configured exchange, each row naming its id.
 */
import { type ApiClient, ApiError, createApiClient } from "../../runtime/apiClient.js";
import type { PonderRow } from "./eventTables.js";

export interface IndexedHead {
  chainName: string;
  chainId: number;
  block: number;
  /** Block timestamp, seconds. */
  timestamp: number;
}

/** One table to read: its plural query, fields, and a GraphQL `where` literal. */
export interface TableRead {
  key: string;
  graphql: string;
  fields: readonly string[];
  where?: string;
  /** Also return `totalCount` (the count the filter matches). */
  count?: boolean;
  /** Stop after the first page (for counts). */
  firstPageOnly?: boolean;
}

export interface TableResult {
  rows: PonderRow[];
  totalCount?: number;
}

export interface PonderSource {
  readonly url: string;
  /** The indexed head of `chainName`, or null while Ponder has indexed nothing yet. */
  head(chainName: string): Promise<IndexedHead | null>;
  /** Every row of every table read (all pages). */
  read(tables: readonly TableRead[]): Promise<Map<string, TableResult>>;
}

const PAGE = 1000;

interface Page {
  items: PonderRow[];
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A GraphQL `where` literal for the rows of one exchange (its configured id, which every row of
 * the indexer names), with more conditions (`field: value`, GraphQL syntax).
 */
export function exchangeWhere(exchange: string, ...conditions: string[]): string {
  return `{ ${[`exchange: ${JSON.stringify(exchange)}`, ...conditions].join(", ")} }`;
}

/** A GraphQL `where` literal for one exchange's rows with `blockNumber` in [from, to]. */
export function blockRange(exchange: string, from: number, to: number): string {
  return exchangeWhere(exchange, `blockNumber_gte: "${from}"`, `blockNumber_lte: "${to}"`);
}

export function createPonderSource(ponderUrl: string, timeoutMs = 30_000): PonderSource {
  const url = ponderUrl.replace(/\/+$/, "");
  const api = createApiClient({ url: `${url}/ponder/graphql`, timeoutMs });
  return {
    url,
    async head(chainName) {
      let res: Response;
      try {
        res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(timeoutMs) });
      } catch {
        throw new ApiError(`Ponder ${url}/status unreachable: connection failed`, "unreachable");
      }
      if (!res.ok) throw new ApiError(`Ponder ${url}/status answered HTTP ${res.status}`, "http");
      const body = (await res.json()) as Record<
        string,
        { id?: number; block?: { number?: number; timestamp?: number } | null } | undefined
      >;
      const chain = body[chainName];
      if (!chain?.block || typeof chain.block.number !== "number") return null;
      return {
        chainName,
        chainId: Number(chain.id),
        block: chain.block.number,
        timestamp: Number(chain.block.timestamp ?? 0),
      };
    },
    async read(tables) {
      const out = new Map<string, TableResult>();
      const cursors = new Map<string, string | null>();
      let todo = [...tables];
      for (const t of tables) out.set(t.key, { rows: [] });
      while (todo.length > 0) {
        const fields = todo.map((t, i) => {
          const args = [`limit: ${PAGE}`];
          if (t.where) args.push(`where: ${t.where}`);
          const after = cursors.get(t.key);
          if (after) args.push(`after: ${JSON.stringify(after)}`);
          return `t${i}: ${t.graphql}(${args.join(", ")}) { items { ${t.fields.join(" ")} } ${
            t.count ? "totalCount " : ""
          }pageInfo { hasNextPage endCursor } }`;
        });
        const data = await api.query<Record<string, Page>>(`query { ${fields.join("\n")} }`);
        const next: TableRead[] = [];
        todo.forEach((t, i) => {
          const page = data[`t${i}`];
          if (!page) throw new ApiError(`Ponder GraphQL: no ${t.graphql} in the answer`, "graphql");
          const acc = out.get(t.key)!;
          acc.rows.push(...page.items);
          if (page.totalCount !== undefined) acc.totalCount = page.totalCount;
          if (page.pageInfo.hasNextPage && !t.firstPageOnly) {
            cursors.set(t.key, page.pageInfo.endCursor);
            next.push(t);
          }
        });
        todo = next;
      }
      return out;
    },
  };
}

/** Perpwatch's GraphQL API, which the Ponder process at `ponderUrl` serves at `/graphql`. */
export function createPerpwatchApiClient(ponderUrl: string, timeoutMs = 30_000): ApiClient {
  return createApiClient({ url: `${ponderUrl.replace(/\/+$/, "")}/graphql`, timeoutMs });
}
