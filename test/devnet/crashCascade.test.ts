/**
 * crash-cascade is reproducible to the transaction hash and does what it promises: ETH falls
 * about 25%, correlated markets follow, leveraged accounts are liquidated in a cascade, the
 * insurance fund pays for bad debt, and ADL closes profitable counterparties.
 */
import { describe, expect, it } from "vitest";
import { type SimRun, simulate } from "./simulate.js";

const SEED = 42;
const ACCOUNTS = 150;

describe("crash-cascade scenario", () => {
  let first: SimRun;

  it("runs a cascade: liquidations, the insurance fund drawn, ADL", async () => {
    first = await simulate("crash-cascade", SEED, ACCOUNTS);
    const r = first.result;
    expect(r.ticks).toBe(480);
    const start = first.prices[0]!;
    const low = first.prices.reduce((lo, p) => p.map((x, i) => Math.min(x, lo[i]!)), start);
    const ethDrop = 1 - low[1]! / start[1]!;
    expect(ethDrop).toBeGreaterThan(0.2);
    expect(ethDrop).toBeLessThan(0.32);
    // Correlated markets follow: BTC falls, by less than its beta-free share.
    expect(1 - low[0]! / start[0]!).toBeGreaterThan(0.08);
    expect(r.liquidations).toBeGreaterThanOrEqual(20);
    expect(r.badDebtLiquidations).toBeGreaterThanOrEqual(1);
    expect(r.insuranceCovered).toBeGreaterThan(0);
    expect(r.adlEvents).toBeGreaterThanOrEqual(1);
    // Keepers and traders mostly send transactions that succeed.
    expect(r.reverted / r.transactions).toBeLessThan(0.15);
  });

  it("replays byte for byte: same seed, same transaction hashes and the same last block", async () => {
    const second = await simulate("crash-cascade", SEED, ACCOUNTS);
    expect(second.result.hashes.length).toBe(first.result.hashes.length);
    expect(second.result.hashes).toEqual(first.result.hashes);
    expect(second.lastBlockHash).toBe(first.lastBlockHash);
  });
});
