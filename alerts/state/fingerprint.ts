/**
 * The fingerprint of an alert: a stable id for one rule and one label set, so the same
 * condition on the same market is the same alert across evaluations, restarts and receivers
 * (Alertmanager's `fingerprint`, PagerDuty's `dedup_key`).
 *
 * Why a hash of the sorted labels: label order in a rule file must not matter, and the id
 * must not change when an annotation's wording does. The rule's name is in the labels as
 * `alertname`, as in Prometheus; the exchange as `exchange`, so the same condition on two
 * exchanges is two alerts.
 */
import { createHash } from "node:crypto";

export function fingerprint(labels: Readonly<Record<string, string>>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex").slice(0, 16);
}
