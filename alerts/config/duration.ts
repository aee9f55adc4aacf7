/**
 * Durations as people write them in a rule file: "0s", "30s", "5m", "1h30m", "1d", "250ms".
 *
 * Why our own tiny parser: rule files are edited by risk teams, so `for: 5m` must read like
 * Prometheus and Grafana rules do, and a typo must fail at start-up with what was expected,
 * not turn into NaN milliseconds later.
 */
import { z } from "zod";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** Milliseconds of a duration string, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (s === "0") return 0;
  if (!WHOLE.test(s)) return null;
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(ms);
}

/** Renders milliseconds back as the shortest readable duration ("90s" → "1m30s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** A zod type for a duration: a string like "30s" (or a number of seconds), parsed to ms. */
export const durationMs = z.union([z.string(), z.number().nonnegative()]).transform((v, ctx) => {
  if (typeof v === "number") return Math.round(v * 1000);
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({
      code: "custom",
      message: `expected a duration like "30s", "5m" or "1h" (got "${v}")`,
    });
    return z.NEVER;
  }
  return ms;
});
