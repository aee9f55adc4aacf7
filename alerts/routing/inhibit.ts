/**
 * Inhibition, in Alertmanager's shape: while an alert matching `source_matchers` fires, the
 * alerts matching `target_matchers` that share the values of the `equal` labels are muted.
 * E.g. a firing `indexer-lagging` on an exchange mutes that exchange's risk rules, whose data
 * it makes stale.
 *
 * Why muted and not suppressed: the target alerts still have their lifecycle and history;
 * only their notifications are held back (recorded as "inhibited").
 */
import { z } from "zod";
import { type Matcher, matchesAll } from "./matchers.js";
import { matcherSchema } from "./route.js";

export const inhibitRuleSchema = z
  .object({
    source_matchers: z.array(matcherSchema).min(1),
    target_matchers: z.array(matcherSchema).min(1),
    equal: z.array(z.string().min(1)).default([]),
  })
  .strict();

export interface InhibitRule {
  source_matchers: Matcher[];
  target_matchers: Matcher[];
  equal: string[];
}

/**
 * The inhibit rule that mutes an alert with `labels`, given the (routing) labels of the
 * alerts firing now, or null. An alert never inhibits itself.
 */
export function inhibitedBy(
  rules: readonly InhibitRule[],
  labels: Record<string, string>,
  firing: readonly Record<string, string>[],
): InhibitRule | null {
  for (const r of rules) {
    if (!matchesAll(r.target_matchers, labels)) continue;
    const source = firing.find(
      (f) =>
        f !== labels &&
        matchesAll(r.source_matchers, f) &&
        !matchesAll(r.target_matchers, f) &&
        r.equal.every((k) => (f[k] ?? "") === (labels[k] ?? "")),
    );
    if (source) return r;
  }
  return null;
}
