/**
 * One entry point for every state-changing call: `applyOperation(state, op, ctx)`.
 *
 * Why: an indexer replays a stream of calls and a test generates one; both want to hand the
 * engine a tagged value rather than pick a function. Unknown or malformed operations come
 * back as a typed `InvalidInput`, never as an exception.
 */
import { createAccount } from "./account.js";
import { autoDeleverage } from "./adl.js";
import { modifyCollateral } from "./collateral.js";
import { errors } from "./errors.js";
import { depositInsuranceFund } from "./insuranceFund.js";
import { liquidate } from "./liquidation.js";
import { createMarket, setMarketParams, setMaxPriceAge } from "./market.js";
import { setPrice, setPrices, setUpdater } from "./oracle.js";
import { modifyPosition } from "./trade.js";
import type { Context, ExchangeState, Operation, OpResult } from "./types.js";

export function applyOperation(state: ExchangeState, op: Operation, ctx: Context): OpResult {
  if (typeof op !== "object" || op === null) {
    return { ok: false, error: errors.invalidInput("op", "must be an object with a kind") };
  }
  switch (op.kind) {
    case "createMarket":
      return createMarket(state, op, ctx);
    case "setMarketParams":
      return setMarketParams(state, op, ctx);
    case "setMaxPriceAge":
      return setMaxPriceAge(state, op, ctx);
    case "depositInsuranceFund":
      return depositInsuranceFund(state, op, ctx);
    case "createAccount":
      return createAccount(state, undefined, ctx);
    case "modifyCollateral":
      return modifyCollateral(state, op, ctx);
    case "modifyPosition":
      return modifyPosition(state, op, ctx);
    case "liquidate":
      return liquidate(state, op, ctx);
    case "autoDeleverage":
      return autoDeleverage(state, op, ctx);
    case "setPrice":
      return setPrice(state, op, ctx);
    case "setPrices":
      return setPrices(state, op, ctx);
    case "setUpdater":
      return setUpdater(state, op, ctx);
    default:
      return {
        ok: false,
        error: errors.invalidInput(
          "op.kind",
          `unknown operation ${String((op as { kind: unknown }).kind)}`,
        ),
      };
  }
}
