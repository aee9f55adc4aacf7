/**
 * What the API can say about blocks that are gone: the append-only history (liquidations, ADL
 * fills, the insurance fund's ledger), each row with its block and time. The catch-up after
 * downtime rebuilds the missed blocks' observations from it.
 *
 * Why history and not past state: the API serves every field as of its newest indexed block
 * (its tables hold the current state; no field takes a `block` argument), so the book of a
 * past block — cascades, margins, skew — cannot be read back. What changed between blocks is
 * on record, and it is enough for the rules about what happened: liquidation bursts, bad debt
 * waiting for ADL, the fund's drawdown (`service/catchUp.ts`).
 */
import type { ApiClient } from "../../runtime/apiClient.js";
import type { LiquidationObservation } from "../observation.js";
import { HISTORY_ADL, HISTORY_LEDGER, HISTORY_LIQUIDATIONS } from "./queries.js";

export interface FundEntry {
  blockNumber: bigint;
  timestamp: number;
  delta: number;
  /** Balance after the change. */
  balance: number;
}

export interface AdlFill {
  blockNumber: bigint;
  timestamp: number;
  lossAbsorbed: number;
}

/** History of one exchange up to block `to`, each list newest first. */
export interface ChainHistory {
  /** Liquidations at or before `to`, back to the first at or before `sinceS`. */
  liquidations: LiquidationObservation[];
  /** ADL fills in blocks after `after`, at or before `to`. */
  adl: AdlFill[];
  /** Fund ledger entries in blocks after `after`, at or before `to`. */
  ledger: FundEntry[];
}

export interface HistoryRange {
  /** The last block evaluated: history after it is read. */
  after: bigint;
  /** The head block the catch-up ends at. */
  to: bigint;
  /** Liquidations are read back to this chain time (unix s): the longest window before `after`. */
  sinceS: number;
}

export interface HistorySource {
  history(exchange: string, range: HistoryRange): Promise<ChainHistory>;
}

const PAGE_SIZE = 500;
/** At most this many pages per list (500 000 rows): a catch-up is bounded anyway. */
const MAX_PAGES = 1000;

type Page<N> = {
  edges: { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

const f = (v: string) => Number.parseFloat(v);
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Pages newest first until `enough` says the last row is old enough, or the list ends. */
async function pagesBack<N>(
  fetchPage: (after: string | null) => Promise<Page<N>>,
  enough: (node: N) => boolean,
): Promise<N[]> {
  const out: N[] = [];
  let after: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page: Page<N> = await fetchPage(after);
    out.push(...page.edges.map((e) => e.node));
    const last = out.at(-1);
    if (!page.pageInfo.hasNextPage || (last !== undefined && enough(last))) break;
    after = page.pageInfo.endCursor;
  }
  return out;
}

export function createHistorySource(api: ApiClient): HistorySource {
  return {
    async history(exchange, range) {
      const to = range.to.toString();
      type Liq = {
        id: string;
        accountId: string;
        notional: string;
        badDebt: string;
        insuranceCovered: string;
        blockNumber: string;
        timestamp: string;
      };
      type Adl = { lossAbsorbed: string; blockNumber: string; timestamp: string };
      type Entry = { delta: string; balance: string; blockNumber: string; timestamp: string };
      const [liqs, adl, ledger] = await Promise.all([
        pagesBack<Liq>(
          async (after) =>
            (
              await api.query<{ liquidations: Page<Liq> }>(HISTORY_LIQUIDATIONS, {
                exchange,
                to,
                first: PAGE_SIZE,
                after,
              })
            ).liquidations,
          (n) => seconds(n.timestamp) < range.sinceS,
        ),
        pagesBack<Adl>(
          async (after) =>
            (
              await api.query<{ adlEvents: Page<Adl> }>(HISTORY_ADL, {
                exchange,
                from: (range.after + 1n).toString(),
                to,
                first: PAGE_SIZE,
                after,
              })
            ).adlEvents,
          () => false,
        ),
        pagesBack<Entry>(
          async (after) =>
            (
              await api.query<{ insuranceFund: { ledger: Page<Entry> } }>(HISTORY_LEDGER, {
                exchange,
                first: PAGE_SIZE,
                after,
              })
            ).insuranceFund.ledger,
          (n) => BigInt(n.blockNumber) <= range.after,
        ),
      ]);
      const within = (b: bigint) => b > range.after && b <= range.to;
      return {
        liquidations: liqs.map((n) => ({
          id: n.id,
          accountId: n.accountId,
          notional: f(n.notional),
          badDebt: f(n.badDebt),
          insuranceCovered: f(n.insuranceCovered),
          blockNumber: BigInt(n.blockNumber),
          timestamp: seconds(n.timestamp),
        })),
        adl: adl
          .map((n) => ({
            blockNumber: BigInt(n.blockNumber),
            timestamp: seconds(n.timestamp),
            lossAbsorbed: f(n.lossAbsorbed),
          }))
          .filter((a) => within(a.blockNumber)),
        ledger: ledger
          .map((n) => ({
            blockNumber: BigInt(n.blockNumber),
            timestamp: seconds(n.timestamp),
            delta: f(n.delta),
            balance: f(n.balance),
          }))
          .filter((e) => within(e.blockNumber)),
      };
    },
  };
}
