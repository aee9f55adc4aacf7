/**
 * A Curie exchange's addresses, as `exchanges[].addresses` and the devnet manifest give them:
 * the protocol-wide contracts by their Curie names, then per market `<symbol>.<role>` (see
 * devnet/manifest.ts, which writes the same names). Validated here, so a missing or malformed
 * address is one clear line at start-up rather than a silent hole in the index.
 */
import { z } from "zod";
import type { Address } from "../protocol.js";
import {
  CURIE_CORE_CONTRACTS,
  CURIE_MARKET_CONTRACTS,
  type CurieMarketContract,
} from "./devnet/manifest.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The market symbols an address record names, in its order (`<symbol>.baseToken` keys). */
export function curieSymbols(addresses: Readonly<Record<string, string>>): string[] {
  return Object.keys(addresses)
    .filter((k) => k.endsWith(".baseToken"))
    .map((k) => k.slice(0, -".baseToken".length));
}

/** Every address of one per-market role, in market order. */
export function curieMarketAddresses(
  addresses: Readonly<Record<string, Address>>,
  role: CurieMarketContract,
): Address[] {
  return curieSymbols(addresses).map((s) => addresses[`${s}.${role}`]!);
}

export const curieAddresses = z
  .record(z.string(), z.string())
  .superRefine((rec, ctx) => {
    const symbols = curieSymbols(rec);
    if (symbols.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["<symbol>.baseToken"],
        message: "expected at least one market",
      });
    }
    const needed = [
      ...CURIE_CORE_CONTRACTS,
      ...symbols.flatMap((s) => CURIE_MARKET_CONTRACTS.map((r) => `${s}.${r}`)),
    ];
    for (const key of needed) {
      const v = rec[key];
      if (v === undefined || !ADDRESS.test(v)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "expected a 0x-prefixed 20-byte hex address",
        });
      }
    }
  })
  .transform(
    (rec) =>
      Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, v.toLowerCase()])) as Record<
        string,
        Address
      >,
  );
