/**
 * Alerts for an Alertmanager's own API (`POST /api/v2/alerts`): a JSON array of
 * `{ labels, annotations, startsAt, endsAt, generatorURL }`. A firing alert has no endsAt
 * (Alertmanager resolves it after its resolve_timeout unless it is sent again); a resolved or
 * retracted one carries its end time, which resolves it there at once.
 *
 * Why: a team that runs Alertmanager keeps its own routing, grouping, silences and
 * inhibition; Perpwatch only hands it the alerts, identified by their labels as Alertmanager
 * does. The digest is not an alert and is not pushed.
 */
import type { StoredEvent } from "../../store/alertStore.js";
import { annotationsWithEvidence, DEFAULT_LINKS, generatorUrl, type Links } from "./links.js";
import { iso } from "./webhookBody.js";

export function alertmanagerBody(
  events: readonly StoredEvent[],
  links: Links = DEFAULT_LINKS,
): unknown[] | null {
  const alerts = events
    .filter((e) => e.kind !== "digest")
    .map((e) => ({
      labels: e.labels,
      annotations: annotationsWithEvidence(e, links),
      startsAt: iso(e.startsAtMs),
      ...(e.kind === "firing" ? {} : { endsAt: iso(e.endsAtMs ?? e.createdAtMs) }),
      generatorURL: generatorUrl(e, links),
    }));
  return alerts.length > 0 ? alerts : null;
}
