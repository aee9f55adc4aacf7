/**
 * How values read in annotations and chat messages: "$1,234,567", "12.5%", "1.42". A value
 * without bound (a margin ratio at zero equity) reads "unbounded", never "∞".
 */

const UNBOUNDED = (v: number) => (v > 0 ? "unbounded" : "-unbounded");

import type { ValueUnit } from "./kindSpec.js";

export function usd(v: number): string {
  if (!Number.isFinite(v)) return UNBOUNDED(v);
  const sign = v < 0 ? "-" : "";
  return `${sign}$${Math.round(Math.abs(v)).toLocaleString("en-US")}`;
}

export function pct(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return UNBOUNDED(v);
  return `${(v * 100).toFixed(digits)}%`;
}

export function formatValue(v: number, unit: ValueUnit): string {
  if (!Number.isFinite(v)) return UNBOUNDED(v);
  switch (unit) {
    case "usd":
      return usd(v);
    case "fraction":
      return pct(v);
    case "perDay":
      return `${(v * 100).toFixed(3)}%/day`;
    case "seconds":
      return `${Math.round(v)}s`;
    case "blocks":
    case "count":
      return String(Math.round(v));
    case "ratio":
      return v.toFixed(2);
  }
}
