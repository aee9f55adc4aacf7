/**
 * `alerts` and `silences`: arguments checked here (a bad one is BAD_USER_INPUT before the
 * worker is asked), then read from the alert worker (alerts/alertsClient.ts). Neither
 * depends on the indexed block, so neither answer is replayed from the response cache.
 */
import { intIn } from "../args.js";
import type { ApiContext } from "../context.js";
import { badInput } from "../errors.js";
import type { QueryResolvers } from "../generated/schemaTypes.js";
import { alertNode, silenceNode } from "../nodes/alertNode.js";

function alertsClient(ctx: ApiContext, exchange: string | null | undefined) {
  // An exchange filter must name a served exchange (servicesOf says which exist).
  if (exchange !== undefined && exchange !== null) return ctx.api.services(exchange).alerts;
  return ctx.api.all.values().next().value!.alerts;
}

export const alertsQueryResolvers = {
  async alerts(_, args, ctx) {
    ctx.api.uncacheable = true;
    const limit = intIn("first", args.first ?? 100, 1, 1000);
    const fromMs =
      args.from === undefined || args.from === null ? undefined : Number(args.from) * 1000;
    const toMs =
      args.to === undefined || args.to === null ? undefined : Number(args.to) * 1000 + 999;
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
      throw badInput("to", "a time at or after `from`", new Date(toMs).toISOString());
    }
    const list = await alertsClient(ctx, args.exchange).alerts({
      state: args.state?.toLowerCase(),
      rule: args.rule ?? undefined,
      market: args.market ?? undefined,
      exchange: args.exchange ?? undefined,
      fromMs,
      toMs,
      limit,
    });
    return list.map(alertNode);
  },

  async silences(_, args, ctx) {
    ctx.api.uncacheable = true;
    const list = await alertsClient(ctx, null).silences(args.includeExpired ?? false);
    return list.map(silenceNode);
  },
} satisfies Pick<QueryResolvers, "alerts" | "silences">;
