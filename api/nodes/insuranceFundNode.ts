/**
 * `InsuranceFund`: balance and pending bad debt at the served block, the ledger (history) and
 * the coverage of the default stress grid (analytics).
 */
import { DEFAULT_IMPACT } from "../analytics/bookAnalytics.js";
import type { ArgsOf } from "../args.js";
import type { ApiContext } from "../context.js";
import type { Snapshot } from "../data/snapshot.js";
import type { InsuranceFundResolvers } from "../generated/schemaTypes.js";
import { decodeCursor, pageSize } from "../pagination/cursor.js";
import { coverageNode } from "./analyticsNodes.js";
import { eventConnection } from "./connection.js";
import { ledgerNode } from "./historyNodes.js";

export class InsuranceFundNode {
  constructor(private readonly snap: Snapshot) {}
  get block() {
    return this.snap.block;
  }
  get balance() {
    return this.snap.exchange.insuranceFund;
  }
  get pendingBadDebt() {
    return this.snap.markets.reduce((s, m) => s + m.market.state.badDebt, 0n);
  }
  /** The default stress grid through admission control (it is analytics, not a table read). */
  async coverage(_args: unknown, ctx: ApiContext) {
    const grid = await ctx.api.services(this.snap.exchangeId).analytics.compute(this.snap, {
      kind: "stress",
      withImpact: true,
      impact: DEFAULT_IMPACT,
    });
    return coverageNode(this.snap, grid);
  }
  async ledger(args: ArgsOf<InsuranceFundResolvers, "ledger">, ctx: ApiContext) {
    const limit = pageSize(args.first);
    const after = args.after ? decodeCursor("event", args.after) : undefined;
    const page = await ctx.api
      .reader(this.snap.exchangeId)
      .ledger({ maxBlock: this.snap.block, after, limit });
    return eventConnection(page, ledgerNode);
  }
}
