/**
 * Reads the status block's figures from the API, as any integrator would: the account figures
 * are riskSummary's own (`accountsAtRisk`, `accountsWithPositions`) and `accounts.totalCount`,
 * all from one request and so one block; `live` is `indexingStatus.live`; the firing alerts
 * come from `alerts(state: FIRING)`, which names the market and the account an alert is about.
 * Each read answers null when the API cannot (not ready yet, no alert worker), and the block
 * keeps what it showed.
 */
import type { ApiClient } from "../../runtime/apiClient.js";
import type { AccountFigures, FiringAlert } from "./statusSnapshot.js";

export const ACCOUNTS_QUERY = `{
  riskSummary { block accountsAtRisk accountsWithPositions }
  accounts(first: 1) { totalCount }
}`;

interface AccountsAnswer {
  riskSummary: { block: string; accountsAtRisk: number; accountsWithPositions: number };
  accounts: { totalCount: number };
}

export async function readAccounts(api: ApiClient): Promise<AccountFigures | null> {
  const r = await api.query<AccountsAnswer>(ACCOUNTS_QUERY).catch(() => null);
  if (!r) return null;
  return {
    block: Number(r.riskSummary.block),
    total: r.accounts.totalCount,
    withPositions: r.riskSummary.accountsWithPositions,
    atRisk: r.riskSummary.accountsAtRisk,
  };
}

export async function readLive(api: ApiClient): Promise<boolean | null> {
  const r = await api
    .query<{ indexingStatus: { live: boolean } }>("{ indexingStatus { live } }")
    .catch(() => null);
  return r ? r.indexingStatus.live : null;
}

interface ApiAlert {
  rule: string;
  severity: string;
  market: string | null;
  account: string | null;
  startsAt: string;
}

/** "0x1234…abcd" for an address, anything else as it is. */
const shortId = (id: string) =>
  /^0x[0-9a-f]{40}$/i.test(id) ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;

/** What an alert is about, in words: its account (and market), its market, or the exchange. */
export function alertScope(a: { market?: string | null; account?: string | null }): string {
  if (a.account) return `account ${shortId(a.account)}${a.market ? ` · ${a.market}` : ""}`;
  return a.market ?? "exchange-wide";
}

export async function readFiring(api: ApiClient): Promise<FiringAlert[] | null> {
  const r = await api
    .query<{ alerts: ApiAlert[] }>(
      "{ alerts(state: FIRING, first: 1000) { rule severity market account startsAt } }",
    )
    .catch(() => null);
  if (!r) return null;
  return r.alerts.map((a) => ({
    rule: a.rule,
    severity: a.severity,
    scope: alertScope(a),
    since: a.startsAt,
  }));
}

/** The worker's own list (`GET /status`), for when the API cannot answer alerts. */
export function workerFiring(
  firing: readonly { rule: string; severity: string; scope: string; since: string | null }[],
): FiringAlert[] {
  return firing.map((a) => ({
    rule: a.rule,
    severity: a.severity,
    scope: a.scope === "global" ? "exchange-wide" : a.scope,
    since: a.since,
  }));
}
