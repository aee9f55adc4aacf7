/**
 * Every delivery attempt into the alert history, with its outcome and the right attempt
 * number (1 = the first try): the alerts service's `onAttempt` hook mapped onto the history's
 * events (`alertHistory.ts`), beside the alert episode each attempt belongs to.
 *
 * Why beside `createAlertHistoryFeed` and not instead of it: that feed records acknowledged
 * deliveries only (outcome `delivered`, from `onDelivered`, whose row still has the attempt
 * count from before the attempt); this one records failures and dead letters too. Reads the
 * alerts' attempts by shape, so dashboards/ still does not import alerts/. Deliveries held
 * back (silenced, inhibited: attempt 0) and fire-and-resolve pairs `collapsed` because the
 * receiver was down throughout are recorded with that outcome.
 */
import { type AlertEvent, type AlertTransition, alertEventOf } from "./alertHistory.js";

/** What the history reads of one attempt (alerts/delivery's `DeliveryAttempt`). */
export interface AttemptReport {
  row: { id: number | string; fingerprint: string; receiver: string };
  attempt: number;
  outcome: string;
  error: string | null;
  atMs: number;
}

const RECORDED = new Set(["delivered", "failed", "dead", "silenced", "inhibited", "collapsed"]);
type Outcome = "delivered" | "failed" | "dead" | "silenced" | "inhibited" | "collapsed";

export interface AlertAttemptsFeed {
  readonly onAlertEvent: (event: AlertTransition) => void;
  readonly onAttempt: (attempt: AttemptReport) => void;
}

export function createAlertAttemptsFeed(record: (events: AlertEvent[]) => void): AlertAttemptsFeed {
  const lastEvent = new Map<string, AlertEvent>();
  return {
    onAlertEvent: (t) => {
      const event = alertEventOf(t);
      if (!event) return;
      lastEvent.set(t.fingerprint, event);
      record([event]);
    },
    onAttempt: (a) => {
      const event = lastEvent.get(a.row.fingerprint);
      if (!event || !RECORDED.has(a.outcome)) return;
      record([
        {
          ...event,
          deliveries: [
            {
              id: String(a.row.id),
              attempt: Math.max(0, a.attempt),
              channel: a.row.receiver,
              at: a.atMs,
              outcome: a.outcome as Outcome,
              ...(a.error ? { error: a.error.slice(0, 500) } : {}),
            },
          ],
        },
      ]);
    },
  };
}
