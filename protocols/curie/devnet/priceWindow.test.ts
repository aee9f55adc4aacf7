import { describe, expect, it } from "vitest";
import { sqrtPriceX96At } from "./prices.js";
import {
  clampToWindow,
  int24Of,
  PRICE_LIMIT_INTERVAL,
  priceOfTick,
  sqrtPriceAtTick,
  windowForBlock,
} from "./priceWindow.js";

describe("Curie price window", () => {
  it("reads a signed int24 from a storage word", () => {
    expect(int24Of(80_000n)).toBe(80_000);
    expect(int24Of(0xffffffn)).toBe(-1);
    expect(int24Of(0x800000n)).toBe(-0x800000);
  });

  it("moves the reference to the pool's tick once 15 s have passed, not before", () => {
    const stored = { tick: 100, updatedAt: 1_000 };
    expect(windowForBlock(stored, 500, 1_000 + PRICE_LIMIT_INTERVAL - 1, 1000).refTick).toBe(100);
    expect(windowForBlock(stored, 500, 1_000 + PRICE_LIMIT_INTERVAL, 1000).refTick).toBe(500);
  });

  it("keeps a target tick inside the window, off its edges", () => {
    const w = { refTick: 1_000, maxDelta: 100 };
    expect(clampToWindow(w, 1_050)).toBe(1_050);
    expect(clampToWindow(w, 5_000)).toBe(1_098);
    expect(clampToWindow(w, -5_000)).toBe(902);
  });

  it("prices ticks like the pool", () => {
    const tick = 80_067; // ~3000
    expect(priceOfTick(tick)).toBeCloseTo(3000, 0);
    const exact = sqrtPriceAtTick(tick);
    const approx = sqrtPriceX96At(priceOfTick(tick));
    expect(Number(exact - approx) / Number(exact)).toBeLessThan(1e-9);
  });
});
