/**
 * Feeding a pool's own events into the mirror, in log order: Mint and Burn are replayed from
 * their (tickLower, tickUpper, amount) and checked against the token amounts the pool emitted;
 * Swap is replayed by `applySwapEvent`; IncreaseObservationCardinalityNext and Flash change
 * what they change; Collect and CollectProtocol change nothing mirrored. The shapes are those
 * viem's decodeEventLog returns with the @uniswap/v3-core artifact's ABI. Initialize has no
 * fee or tick spacing in it: start the state with `initializePool`.
 */
import { flash } from "./flash.js";
import { burn, mint } from "./modifyPosition.js";
import { increaseObservationCardinalityNext, type PoolState } from "./poolState.js";
import type { SwapStep } from "./swap.js";
import { applySwapEvent, PoolMismatchError } from "./swapEvent.js";

export type PoolEvent =
  | {
      eventName: "Mint" | "Burn";
      args: {
        tickLower: number;
        tickUpper: number;
        amount: bigint;
        amount0: bigint;
        amount1: bigint;
      };
    }
  | {
      eventName: "Swap";
      args: {
        amount0: bigint;
        amount1: bigint;
        sqrtPriceX96: bigint;
        liquidity: bigint;
        tick: number;
      };
    }
  | {
      eventName: "IncreaseObservationCardinalityNext";
      args: { observationCardinalityNextNew: number };
    }
  | { eventName: "Flash"; args: { paid0: bigint; paid1: bigint } }
  | { eventName: "Collect" | "CollectProtocol" | "Initialize" | "SetFeeProtocol"; args: unknown };

/** The state after `e`, emitted in a block at `time`; swaps also return their steps. */
export function applyPoolEvent(
  s: PoolState,
  e: PoolEvent,
  time: number,
): { state: PoolState; steps?: SwapStep[] } {
  switch (e.eventName) {
    case "Mint":
    case "Burn": {
      const { tickLower, tickUpper, amount, amount0, amount1 } = e.args;
      const r = (e.eventName === "Mint" ? mint : burn)(s, {
        tickLower,
        tickUpper,
        liquidity: amount,
        time,
      });
      if (r.amount0 !== amount0 || r.amount1 !== amount1) {
        throw new PoolMismatchError(
          `pool mirror: ${e.eventName} of ${amount} on [${tickLower}, ${tickUpper}] gives amounts (${r.amount0}, ${r.amount1}), the pool emitted (${amount0}, ${amount1})`,
        );
      }
      return { state: r.state };
    }
    case "Swap":
      return applySwapEvent(s, e.args, time);
    case "IncreaseObservationCardinalityNext":
      return { state: increaseObservationCardinalityNext(s, e.args.observationCardinalityNextNew) };
    case "Flash":
      return { state: flash(s, e.args) };
    case "Collect":
    case "CollectProtocol":
      return { state: s };
    case "Initialize":
      throw new Error(
        "applyPoolEvent: Initialize starts a pool: call initializePool with the pool's fee and tick spacing",
      );
    case "SetFeeProtocol":
      throw new Error(
        "applyPoolEvent: SetFeeProtocol is not mirrored (Curie's pools never charge a protocol fee)",
      );
  }
}
