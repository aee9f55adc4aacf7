/** How values read in annotations and chat messages: "$1,234,567", "12.5%", "1.42". */
import type { ValueUnit } from "./kindSpec.js";

export function usd(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "-∞";
  const sign = v < 0 ? "-" : "";
  return `${sign}$${Math.round(Math.abs(v)).toLocaleString("en-US")}`;
}

export function pct(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "-∞";
  return `${(v * 100).toFixed(digits)}%`;
}

export function formatValue(v: number, unit: ValueUnit): string {
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "-∞";
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
