/**
 * GraphQL `alerts` and `silences` read the alert worker's store through the worker's HTTP
 * endpoint (`/alerts`, `/silences`, see alerts/service/alertsHttp.ts), at the URL
 * PERPWATCH_ALERTS_URL names.
 *
 * Why not open the store here: the worker owns it (a PGlite directory admits one process),
 * and asking the worker works the same for a PGlite and a PostgreSQL store. An unset URL, a
 * worker that does not answer in time, or one that refuses the parameters is an
 * `ALERTS_UNAVAILABLE` or `BAD_USER_INPUT` error in one line; the rest of the API is
 * unaffected.
 */
import type { AlertJson, SilenceJson } from "../../alerts/service/alertsHttp.js";
import { apiError, ErrorCode } from "../errors.js";

export interface AlertsQuery {
  state?: string;
  rule?: string;
  market?: string;
  exchange?: string;
  fromMs?: number;
  toMs?: number;
  limit: number;
}

export interface AlertsClient {
  alerts(q: AlertsQuery): Promise<AlertJson[]>;
  silences(includeExpired: boolean): Promise<SilenceJson[]>;
}

const unavailable = (why: string) =>
  apiError(ErrorCode.ALERTS_UNAVAILABLE, `alerts are unavailable: ${why}`);

/** The client of the worker at `baseUrl` (null: alerts not configured, every call says so). */
export function createAlertsClient(baseUrl: string | null, timeoutMs = 3000): AlertsClient {
  const get = async <T>(path: string, params: Record<string, string | undefined>) => {
    if (baseUrl === null) {
      throw unavailable("no alert worker configured (set PERPWATCH_ALERTS_URL to its URL)");
    }
    const url = new URL(path, baseUrl);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const why = (err as Error).name === "TimeoutError" ? `no answer in ${timeoutMs} ms` : "down";
      throw unavailable(`the alert worker at ${baseUrl} is ${why}`);
    }
    const body = (await res.json().catch(() => null)) as (T & { error?: string }) | null;
    if (res.status === 400 && body?.error) throw apiError(ErrorCode.BAD_USER_INPUT, body.error);
    if (!res.ok || body === null) {
      throw unavailable(
        `the alert worker at ${baseUrl} answered ${res.status} ${body?.error ?? ""}`.trim(),
      );
    }
    return body;
  };
  return {
    async alerts(q) {
      const body = await get<{ alerts: AlertJson[] }>("/alerts", {
        state: q.state,
        rule: q.rule,
        market: q.market,
        exchange: q.exchange,
        from: q.fromMs?.toString(),
        to: q.toMs?.toString(),
        limit: String(q.limit),
      });
      return body.alerts;
    },
    async silences(includeExpired) {
      const body = await get<{ silences: SilenceJson[] }>("/silences", {
        all: includeExpired ? "1" : "0",
      });
      return body.silences;
    },
  };
}

/** The worker's base URL from PERPWATCH_ALERTS_URL as given (its `/status` URL is accepted). */
export function alertsBaseUrl(raw: string): string {
  const u = new URL(raw);
  u.pathname = u.pathname.replace(/\/status\/?$/, "/");
  u.search = "";
  return u.toString();
}
