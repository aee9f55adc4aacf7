/**
 * Validation of operation inputs against the ABI types the transaction would encode.
 *
 * Why: an indexer or an API may hand the engine anything (a number instead of a bigint, a
 * negative id, a size past int256). A transaction could never carry such a value, so the
 * contract has no revert for it; the engine answers with a typed `InvalidInput` naming the
 * field instead of computing something meaningless or throwing.
 */
import { errors, revert } from "./errors.js";
import { isAddress, normalizeAddress } from "./exchangeState.js";
import { isInt256, isUint256 } from "./fixedPoint.js";
import type { Address, MarketParams } from "./types.js";

export function inputObject(v: unknown, field = "input"): Record<string, unknown> {
  if (typeof v !== "object" || v === null) revert(errors.invalidInput(field, "must be an object"));
  return v as Record<string, unknown>;
}

export function uint256(v: unknown, field: string): bigint {
  if (!isUint256(v)) revert(errors.invalidInput(field, "must be a uint256 bigint"));
  return v;
}

export function int256(v: unknown, field: string): bigint {
  if (!isInt256(v)) revert(errors.invalidInput(field, "must be an int256 bigint"));
  return v;
}

export function address(v: unknown, field: string): Address {
  if (!isAddress(v)) revert(errors.invalidInput(field, "must be a 0x-prefixed 20-byte address"));
  return normalizeAddress(v);
}

export function bool(v: unknown, field: string): boolean {
  if (typeof v !== "boolean") revert(errors.invalidInput(field, "must be a boolean"));
  return v;
}

export function str(v: unknown, field: string): string {
  if (typeof v !== "string") revert(errors.invalidInput(field, "must be a string"));
  return v;
}

export function uint256Array(v: unknown, field: string): bigint[] {
  if (!Array.isArray(v)) revert(errors.invalidInput(field, "must be an array of uint256"));
  return v.map((x, i) => uint256(x, `${field}[${i}]`));
}

export const PARAM_FIELDS = [
  "skewScale",
  "maxFundingVelocity",
  "imrScalar",
  "imrMin",
  "mmScalar",
  "minPositionMargin",
  "takerFee",
  "keeperRewardRatio",
  "maxKeeperReward",
  "liquidationPenaltyRatio",
  "maxOpenInterest",
] as const satisfies readonly (keyof MarketParams)[];

export function marketParams(v: unknown, field: string): MarketParams {
  const o = inputObject(v, field);
  const out = {} as MarketParams;
  for (const k of PARAM_FIELDS) out[k] = uint256(o[k], `${field}.${k}`);
  return out;
}
