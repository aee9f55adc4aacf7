import { describe, expect, test } from "vitest";
import { market2, T0, usd } from "../test/fixtures.js";
import { Revert } from "./errors.js";
import { fillPrice, fillPriceView, takerFee } from "./fillPrice.js";
import { INT256_MIN } from "./fixedPoint.js";

function revertName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof Revert) return e.error.name;
    throw e;
  }
  return undefined;
}

describe("fillPrice", () => {
  test("the average of the premium before and after the trade", () => {
    // skew 0 → 10 on skewScale 10,000 at $95,000: (95,000 + 95,095) / 2
    expect(fillPrice(0n, usd(10_000), usd(95_000), usd(10))).toBe(usd("95047.5"));
    // a trade that shrinks a long skew is paid for it: fill below the oracle price
    expect(fillPrice(usd(100), usd(10_000), usd(95_000), -usd(100))).toBe(usd(95_475));
    expect(fillPrice(-usd(100), usd(10_000), usd(95_000), usd(50))).toBe(usd("94287.5")); // (94,050 + 94,525) / 2
  });

  test("the taker fee is |size|·fill·takerFee", () => {
    expect(takerFee(-usd(10), usd("95047.5"), usd("0.0005"))).toBe(usd("475.2375"));
    expect(takerFee(1n, 1n, usd("0.0005"))).toBe(0n); // truncates to zero
  });

  test("a premium that drives the fill to zero or below reverts InvalidFillPrice", () => {
    expect(revertName(() => fillPrice(0n, usd(10_000), usd(95_000), -usd(30_000)))).toBe(
      "InvalidFillPrice",
    );
    expect(revertName(() => fillPrice(0n, usd(10_000), 0n, usd(1)))).toBe("InvalidFillPrice");
  });

  test("sizes that overflow panic before anything else", () => {
    expect(revertName(() => fillPrice(0n, usd(10_000), usd(1), 10n ** 60n))).toBe("Panic");
    expect(revertName(() => takerFee(INT256_MIN, 1n, 1n))).toBe("Panic");
  });

  test("a price at or above 2^255 reads as negative through int256(), as on chain", () => {
    expect(revertName(() => fillPrice(0n, usd(10_000), 1n << 255n, 1n))).toBe("Panic");
    expect(revertName(() => fillPrice(0n, usd(10_000), (1n << 256n) - 1n, 0n))).toBe(
      "InvalidFillPrice",
    );
  });

  test("the view: market first, then the stored (possibly stale) price", () => {
    const s = market2();
    expect(fillPriceView(s, 1n, usd(10), T0 + 10_000n)).toEqual({
      ok: true,
      value: usd("95047.5"),
    });
    expect(fillPriceView(s, 3n, usd(10), T0)).toMatchObject({
      ok: false,
      error: { name: "MarketNotFound" },
    });
  });
});
