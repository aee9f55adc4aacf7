/**
 * The deliveries of some events that were held back when the events were committed (status
 * `silenced` or `inhibited`): the alert history records them as outcomes too, so "deliveries
 * by outcome" shows what a silence kept from on-call, not only what reached it.
 */
import type { AlertStore } from "./alertStore.js";

export interface MutedDelivery {
  id: number;
  eventId: number;
  fingerprint: string;
  receiver: string;
  status: "silenced" | "inhibited";
}

export async function mutedDeliveries(
  store: AlertStore,
  eventIds: readonly number[],
): Promise<MutedDelivery[]> {
  if (eventIds.length === 0) return [];
  const rows = await store.db.query(
    `SELECT id, event_id, fingerprint, receiver, status FROM ${store.schema}.outbox
     WHERE event_id = ANY($1::bigint[]) AND status IN ('silenced', 'inhibited') ORDER BY id`,
    [eventIds.map(String)],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    eventId: Number(r.event_id),
    fingerprint: String(r.fingerprint),
    receiver: String(r.receiver),
    status: r.status as MutedDelivery["status"],
  }));
}
