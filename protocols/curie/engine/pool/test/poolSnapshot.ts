/** Test support: a pool state as plain data (for equality), and a deep freeze (for purity). */
import type { PoolState } from "../index.js";

export function snapshot(s: PoolState) {
  return {
    ...s,
    ticks: [...s.ticks.entries()],
    tickBitmap: [...s.tickBitmap.entries()],
    observations: [...s.observations.entries()],
  };
}

/** Freezes a value and everything reachable from it, so any mutation throws (ESM is strict). */
export function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<string | symbol, unknown>)[key], seen);
  }
  return Object.freeze(value);
}
