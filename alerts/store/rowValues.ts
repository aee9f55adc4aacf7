/**
 * Reading a row's values the same way on both engines: PostgreSQL (pg) returns BIGINT as
 * text and JSONB as objects, PGlite may return numbers and text; these take either.
 */
export const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

export const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : num(v);

export const big = (v: unknown): bigint | null =>
  v === null || v === undefined ? null : BigInt(String(v));

export const json = (v: unknown): Record<string, string> =>
  (typeof v === "string" ? JSON.parse(v) : (v ?? {})) as Record<string, string>;
