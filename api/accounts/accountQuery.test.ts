import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_ORDERS,
  type AccountFacts,
  type AccountFilter,
  countMatching,
  keyFromText,
  keyText,
  type marginRatioKey,
  matchesFilter,
  pageAccounts,
  sortAccounts,
} from "./accountQuery.js";

const E18 = 10n ** 18n;

function facts(id: number, equity: bigint, mm: bigint, notional: bigint, open = 1n): AccountFacts {
  return {
    id: BigInt(id),
    owner: `0x${id.toString(16).padStart(40, "0")}`,
    equity,
    maintenanceMargin: mm,
    notional,
    liquidatable: mm > 0n && equity < mm,
    openMarkets: open,
  };
}

const book = [
  facts(1, 1000n * E18, 100n * E18, 5000n * E18, 0b01n), // ratio 0.1
  facts(2, 100n * E18, 150n * E18, 9000n * E18, 0b10n), // ratio 1.5, liquidatable
  facts(3, -5n * E18, 10n * E18, 200n * E18, 0b11n), // underwater
  facts(4, 500n * E18, 0n, 0n, 0b00n), // no positions
  facts(5, 1000n * E18, 100n * E18, 5000n * E18, 0b01n), // same as 1
  facts(6, 0n, 0n, 0n, 0b00n), // empty, zero equity: ratio 0, not underwater
];

const all = (order: (typeof ACCOUNT_ORDERS)[number], filter: AccountFilter = {}) => {
  const sorted = sortAccounts(book, order);
  const out: bigint[] = [];
  let after: { key: ReturnType<typeof marginRatioKey>; id: bigint } | undefined;
  for (;;) {
    const page = pageAccounts(sorted, filter, 2, after);
    out.push(...page.items.map((i) => i.facts.id));
    if (!page.hasNextPage) break;
    const last = page.items.at(-1)!;
    after = { key: keyFromText(keyText(last.key)), id: last.facts.id };
  }
  return out;
};

describe("account ordering", () => {
  it("puts underwater accounts first by margin ratio, ties by id", () => {
    expect(all("MARGIN_RATIO_DESC")).toEqual([3n, 2n, 1n, 5n, 4n, 6n]);
    expect(all("MARGIN_RATIO_ASC")).toEqual([4n, 6n, 1n, 5n, 2n, 3n]);
    expect(all("NOTIONAL_DESC")).toEqual([2n, 1n, 5n, 3n, 4n, 6n]);
    expect(all("NOTIONAL_ASC")).toEqual([4n, 6n, 3n, 1n, 5n, 2n]);
  });
});

describe("account filters", () => {
  it("select exactly the matching accounts", () => {
    expect(all("MARGIN_RATIO_DESC", { atRisk: true })).toEqual([3n, 2n]);
    expect(all("MARGIN_RATIO_DESC", { atRisk: false })).toEqual([1n, 5n, 4n, 6n]);
    expect(all("NOTIONAL_DESC", { minNotional: 5000n * E18 })).toEqual([2n, 1n, 5n]);
    expect(all("MARGIN_RATIO_DESC", { marketId: 2n })).toEqual([3n, 2n]);
    expect(all("MARGIN_RATIO_DESC", { marginRatioMin: E18 })).toEqual([3n, 2n]);
    expect(all("MARGIN_RATIO_DESC", { marginRatioMax: E18 / 2n })).toEqual([1n, 5n, 4n, 6n]);
    expect(all("MARGIN_RATIO_DESC", { owner: book[4]!.owner })).toEqual([5n]);
    expect(all("MARGIN_RATIO_DESC", { marketId: 7n })).toEqual([]);
  });

  it("count what a full walk through the pages returns", () => {
    for (const filter of [{}, { atRisk: true }, { marketId: 1n }] as AccountFilter[]) {
      expect(countMatching(sortAccounts(book, "NOTIONAL_ASC"), filter)).toBe(
        all("NOTIONAL_ASC", filter).length,
      );
    }
  });
});

describe("keyset pagination (property)", () => {
  it("returns every matching account exactly once, in order, for any page size", () => {
    const arbFacts = fc.array(
      fc.record({
        equity: fc.bigInt({ min: -100n, max: 1000n }),
        mm: fc.bigInt({ min: 0n, max: 300n }),
        notional: fc.bigInt({ min: 0n, max: 50n }),
        open: fc.bigInt({ min: 0n, max: 7n }),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        arbFacts,
        fc.constantFrom(...ACCOUNT_ORDERS),
        fc.integer({ min: 1, max: 7 }),
        fc.record({
          atRisk: fc.option(fc.boolean(), { nil: undefined }),
          marketId: fc.option(fc.constantFrom(1n, 2n, 3n), { nil: undefined }),
        }),
        (rows, order, size, filter) => {
          const list = rows.map((r, i) =>
            facts(i + 1, r.equity * E18, r.mm * E18, r.notional, r.open),
          );
          const sorted = sortAccounts(list, order);
          const seen: bigint[] = [];
          let after: { key: ReturnType<typeof marginRatioKey>; id: bigint } | undefined;
          for (let guard = 0; guard < 100; guard++) {
            const page = pageAccounts(sorted, filter, size, after);
            seen.push(...page.items.map((i) => i.facts.id));
            if (!page.hasNextPage) break;
            const last = page.items.at(-1)!;
            after = { key: last.key, id: last.facts.id };
          }
          const expected = sorted.entries
            .filter((e) => matchesFilter(e.facts, filter))
            .map((e) => e.id);
          expect(seen).toEqual(expected);
          expect(new Set(seen).size).toBe(seen.length);
        },
      ),
    );
  });
});
