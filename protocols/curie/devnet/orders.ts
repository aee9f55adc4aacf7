/**
 * The Curie calls the simulator's actors send, as plain data (target, ABI, function, arguments,
 * gas limit): the policies build them, the simulator signs them. Gas limits are fixed per call
 * so a transaction's bytes, and its hash, follow from the seed alone.
 */
import { type Abi, type Address, maxUint256 } from "viem";
import { mockAggregatorV3Abi, mockSettlementTokenAbi } from "../contracts/generated/index.js";
import { curie } from "./artifacts.js";

export interface CurieCall {
  to: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  gas: bigint;
}

const NO_REFERRAL = `0x${"0".repeat(64)}` as const;

const GAS = {
  swap: 4_000_000n,
  liquidity: 3_000_000n,
  liquidate: 3_000_000n,
  vault: 1_000_000n,
  oracle: 400_000n,
  token: 150_000n,
} as const;

/** A taker trade: buy (`quote` in, exact) or sell (`base` in, exact), stopping at the limit. */
export function openPosition(
  clearingHouse: Address,
  baseToken: Address,
  buy: boolean,
  amount: bigint,
  sqrtPriceLimitX96: bigint,
): CurieCall {
  return {
    to: clearingHouse,
    abi: curie.ClearingHouse().abi,
    functionName: "openPosition",
    args: [
      {
        baseToken,
        isBaseToQuote: !buy,
        isExactInput: true,
        amount,
        oppositeAmountBound: 0n,
        deadline: maxUint256,
        sqrtPriceLimitX96,
        referralCode: NO_REFERRAL,
      },
    ],
    gas: GAS.swap,
  };
}

/** Closes the taker position; the Exchange itself stops it at this block's price window. */
export function closePosition(clearingHouse: Address, baseToken: Address): CurieCall {
  return {
    to: clearingHouse,
    abi: curie.ClearingHouse().abi,
    functionName: "closePosition",
    args: [
      {
        baseToken,
        sqrtPriceLimitX96: 0n,
        oppositeAmountBound: 0n,
        deadline: maxUint256,
        referralCode: NO_REFERRAL,
      },
    ],
    gas: GAS.swap,
  };
}

export function addLiquidity(
  clearingHouse: Address,
  baseToken: Address,
  base: bigint,
  quote: bigint,
  lowerTick: number,
  upperTick: number,
): CurieCall {
  return {
    to: clearingHouse,
    abi: curie.ClearingHouse().abi,
    functionName: "addLiquidity",
    args: [
      {
        baseToken,
        base,
        quote,
        lowerTick,
        upperTick,
        minBase: 0n,
        minQuote: 0n,
        useTakerBalance: false,
        deadline: maxUint256,
      },
    ],
    gas: GAS.liquidity,
  };
}

export function removeLiquidity(
  clearingHouse: Address,
  baseToken: Address,
  lowerTick: number,
  upperTick: number,
  liquidity: bigint,
): CurieCall {
  return {
    to: clearingHouse,
    abi: curie.ClearingHouse().abi,
    functionName: "removeLiquidity",
    args: [
      {
        baseToken,
        lowerTick,
        upperTick,
        liquidity,
        minBase: 0n,
        minQuote: 0n,
        deadline: maxUint256,
      },
    ],
    gas: GAS.liquidity,
  };
}

/** `liquidate(trader, baseToken, size)`; size 0: as much as the contract allows (maybe part). */
export function liquidate(
  clearingHouse: Address,
  trader: Address,
  baseToken: Address,
  size: bigint,
): CurieCall {
  return {
    to: clearingHouse,
    abi: curie.ClearingHouse().abi,
    functionName: "liquidate",
    args: [trader, baseToken, size],
    gas: GAS.liquidate,
  };
}

export function settleBadDebt(vault: Address, trader: Address): CurieCall {
  return {
    to: vault,
    abi: curie.Vault().abi,
    functionName: "settleBadDebt",
    args: [trader],
    gas: GAS.vault,
  };
}

export function deposit(vault: Address, token: Address, amount: bigint): CurieCall {
  return {
    to: vault,
    abi: curie.Vault().abi,
    functionName: "deposit",
    args: [token, amount],
    gas: GAS.vault,
  };
}

export function withdraw(vault: Address, token: Address, amount: bigint): CurieCall {
  return {
    to: vault,
    abi: curie.Vault().abi,
    functionName: "withdraw",
    args: [token, amount],
    gas: GAS.vault,
  };
}

export function mintSettlement(token: Address, to: Address, amount: bigint): CurieCall {
  return {
    to: token,
    abi: mockSettlementTokenAbi,
    functionName: "mint",
    args: [to, amount],
    gas: GAS.token,
  };
}

export function approveVault(token: Address, vault: Address): CurieCall {
  return {
    to: token,
    abi: mockSettlementTokenAbi,
    functionName: "approve",
    args: [vault, maxUint256],
    gas: GAS.token,
  };
}

/** A new oracle round (the aggregator's owner only: the deployer). */
export function pushAnswer(aggregator: Address, answer: bigint): CurieCall {
  return {
    to: aggregator,
    abi: mockAggregatorV3Abi,
    functionName: "pushAnswer",
    args: [answer],
    gas: GAS.oracle,
  };
}

/** ChainlinkPriceFeedV3.update(): caches the round and records the TWAP observation. */
export function updateFeed(feed: Address): CurieCall {
  return {
    to: feed,
    abi: curie.ChainlinkPriceFeedV3().abi,
    functionName: "update",
    args: [],
    gas: GAS.oracle,
  };
}
