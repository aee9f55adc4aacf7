/**
 * The route tree, in Alertmanager's shape: each node has matchers, a receiver (or several),
 * grouping (`group_by`, `group_wait`, `group_interval`) and child routes. An alert enters at
 * the root; the first child whose matchers match takes it (and the next siblings too when
 * that child has `continue: true`); a node no child takes delivers to its own receivers.
 * Children inherit their parent's receiver and grouping when they do not set them.
 *
 * Why this shape: it is what an on-call team already writes for Alertmanager, and it makes
 * "critical pages PagerDuty, everything goes to the webhook" two lines. Without a `route`
 * the default tree does exactly that (see `defaultRoute`).
 */
import { z } from "zod";
import { durationMs } from "../config/duration.js";
import { type Matcher, matchesAll, parseMatcher } from "./matchers.js";

export const matcherSchema = z.string().transform((v, ctx): Matcher => {
  try {
    return parseMatcher(v);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

export interface RouteInput {
  receiver?: string | string[];
  matchers?: string[];
  continue?: boolean;
  group_by?: string[];
  group_wait?: string | number;
  group_interval?: string | number;
  routes?: RouteInput[];
}

export interface Route {
  receiver?: string[];
  matchers: Matcher[];
  continue: boolean;
  group_by?: string[];
  group_wait?: number;
  group_interval?: number;
  routes: Route[];
}

export const routeSchema: z.ZodType<Route, RouteInput> = z.lazy(() =>
  z
    .object({
      receiver: z
        .union([z.string().min(1), z.array(z.string().min(1))])
        .transform((v) => (typeof v === "string" ? [v] : v))
        .optional(),
      matchers: z.array(matcherSchema).default([]),
      continue: z.boolean().default(false),
      group_by: z.array(z.string().min(1)).optional(),
      group_wait: durationMs.optional(),
      group_interval: durationMs.optional(),
      routes: z.array(routeSchema).default([]),
    })
    .strict(),
);

/** `group_by: ["..."]`: Alertmanager's "group by every label", one alert per group. */
export const NO_GROUPING = "...";

/** Whether a destination aggregates alerts (and waits group_wait / group_interval). */
export const isGrouped = (d: Pick<Destination, "groupBy">) => !d.groupBy.includes(NO_GROUPING);

/**
 * A group's key at one receiver: the values of its group_by labels (Alertmanager's
 * `{}:{alertname="x", exchange="y"}` form). Empty for an ungrouped destination.
 */
export function groupKey(d: Pick<Destination, "groupBy">, labels: Record<string, string>) {
  if (!isGrouped(d)) return "";
  const parts = [...d.groupBy].sort().map((k) => `${k}=${JSON.stringify(labels[k] ?? "")}`);
  return `{}:{${parts.join(", ")}}`;
}

/** Where one alert goes: a receiver, and how its notifications are grouped there. */
export interface Destination {
  receiver: string;
  /**
   * Label names alerts are grouped by: [] puts every alert in one group (Alertmanager's
   * default), `["..."]` groups by all labels, i.e. one notification per alert, sent at once.
   */
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
}

interface Inherited {
  receiver: string[];
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
}

/** Alertmanager's defaults for group_wait and group_interval are 30 s and 5 min. */
export const ROOT_DEFAULTS: Inherited = {
  receiver: [],
  groupBy: [],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
};

function walk(node: Route, labels: Record<string, string>, up: Inherited): Inherited[] {
  const here: Inherited = {
    receiver: node.receiver ?? up.receiver,
    groupBy: node.group_by ?? up.groupBy,
    groupWaitMs: node.group_wait ?? up.groupWaitMs,
    groupIntervalMs: node.group_interval ?? up.groupIntervalMs,
  };
  const out: Inherited[] = [];
  for (const child of node.routes) {
    if (!matchesAll(child.matchers, labels)) continue;
    out.push(...walk(child, labels, here));
    if (!child.continue) break;
  }
  return out.length > 0 ? out : [here];
}

/** The destinations of an alert with these (routing) labels, each receiver once. */
export function destinations(root: Route, labels: Record<string, string>): Destination[] {
  const seen = new Map<string, Destination>();
  for (const leaf of walk(root, labels, ROOT_DEFAULTS)) {
    for (const receiver of leaf.receiver) {
      if (seen.has(receiver)) continue;
      seen.set(receiver, {
        receiver,
        groupBy: leaf.groupBy,
        groupWaitMs: leaf.groupWaitMs,
        groupIntervalMs: leaf.groupIntervalMs,
      });
    }
  }
  return [...seen.values()];
}

/** Every receiver name a tree mentions (checked against the configured receivers). */
export function routeReceivers(node: Route): string[] {
  return [...(node.receiver ?? []), ...node.routes.flatMap(routeReceivers)];
}

/**
 * The tree used without a `route`: PagerDuty-type receivers get `severity="critical"` only;
 * every other receiver gets everything. No grouping (one notification per alert, at once).
 */
export function defaultRoute(receivers: readonly { name: string; type: string }[]): Route {
  const pagers = receivers.filter((r) => r.type === "pagerduty").map((r) => r.name);
  const others = receivers.filter((r) => r.type !== "pagerduty").map((r) => r.name);
  const child = (receiver: string[], matchers: Matcher[]): Route => ({
    receiver,
    matchers,
    continue: true,
    routes: [],
  });
  return {
    receiver: [],
    matchers: [],
    continue: false,
    group_by: [NO_GROUPING],
    routes: [child(pagers, [{ name: "severity", op: "=", value: "critical" }]), child(others, [])],
  };
}
