/**
 * The `Subscription` root, served over server-sent events by yoga: a risk summary per newly
 * indexed block, and every newly indexed liquidation.
 *
 * Each subscription is a Repeater fed by the shared block feed; when the client goes away yoga
 * returns the iterator, the Repeater's stop promise resolves and the listener is removed. When
 * the feed closes (the server is stopping) the Repeater stops and the stream completes.
 * Liquidations are read per new block from the table (blocks after the last one seen, oldest
 * first), so none is skipped when several blocks arrive between two polls.
 */
import { Repeater } from "graphql-yoga";
import { riskSummary } from "../analytics/riskSummary.js";
import { marketById } from "../args.js";
import type { Snapshot } from "../data/snapshot.js";
import type { SubscriptionResolvers } from "../generated/schemaTypes.js";
import { riskSummaryNode } from "../nodes/analyticsNodes.js";
import { liquidationNode } from "../nodes/historyNodes.js";

/**
 * Typed by the generated `SubscriptionResolvers`: `args` as schema.graphql declares them. Each
 * subscription follows the block feed of the exchange it names.
 */
export function subscriptionResolvers() {
  return {
    riskSummary: {
      async subscribe(_, args, ctx) {
        const { feed } = ctx.api.services(args.exchange);
        const first = await ctx.api.snapshot(args.exchange);
        const marketId =
          args.marketId === undefined || args.marketId === null
            ? null
            : marketById(first, "marketId", args.marketId).market.marketId;
        const summaryOf = (snap: Snapshot) => {
          const market = marketId === null ? null : (snap.market(marketId) ?? null);
          return { riskSummary: riskSummaryNode(snap, riskSummary(snap, market)) };
        };
        return new Repeater(async (push, stop) => {
          let last = first.at.checkpoint;
          await push(summaryOf(first));
          const unsubscribe = feed.subscribe((snap) => {
            if (snap.at.checkpoint === last) return;
            last = snap.at.checkpoint;
            try {
              void push(summaryOf(snap));
            } catch (err) {
              stop(err);
            }
          }, stop);
          await stop;
          unsubscribe();
        });
      },
    },

    liquidations: {
      async subscribe(_, args, ctx) {
        const { feed } = ctx.api.services(args.exchange);
        const reader = ctx.api.reader(args.exchange);
        const first = await ctx.api.snapshot(args.exchange);
        return new Repeater(async (push, stop) => {
          let lastBlock = first.block;
          let chain = Promise.resolve();
          const unsubscribe = feed.subscribe((snap) => {
            chain = chain.then(async () => {
              if (snap.block <= lastBlock) {
                lastBlock = snap.block; // a reorg moved the head back: follow it
                return;
              }
              try {
                const rows = await reader.liquidationsBetween(lastBlock, snap.block);
                lastBlock = snap.block;
                for (const r of rows) await push({ liquidations: liquidationNode(snap, r) });
              } catch (err) {
                stop(err);
              }
            });
          }, stop);
          await stop;
          unsubscribe();
        });
      },
    },
  } satisfies SubscriptionResolvers;
}
