import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  ALICE,
  BOB,
  CAROL,
  KEEPER,
  LIQUIDATOR,
  market2,
  OWNER,
  T0,
  usd,
} from "../test/fixtures.js";
import { accountingBreaks, ledgerAfter, openingLedger } from "./accounting.js";
import { parseAdlKey, rankAdlCounterparties } from "./adl.js";
import { INT256_MAX, INT256_MIN, UINT256_MAX } from "./fixedPoint.js";
import { canLiquidate } from "./margin.js";
import { applyOperation } from "./operations.js";
import type { Address, Context, ErrorName, ExchangeState, Operation } from "./types.js";

const ACTORS: Address[] = [OWNER, KEEPER, LIQUIDATOR, ALICE, BOB, CAROL];
const base = () =>
  market2({ traders: [ALICE, BOB, CAROL], collateral: usd(20_000), insurance: usd(300) });

describe("operations", () => {
  test("dispatches every kind to its operation", () => {
    const s = base();
    const ctx = { timestamp: T0, sender: OWNER };
    expect(applyOperation(s, { kind: "setMaxPriceAge", maxPriceAge: 9n }, ctx)).toMatchObject({
      ok: true,
      events: [{ name: "MaxPriceAgeSet" }],
    });
    expect(applyOperation(s, { kind: "createAccount" }, ctx)).toMatchObject({
      ok: true,
      events: [{ name: "AccountCreated" }],
    });
    expect(applyOperation(s, { kind: "liquidate", accountId: 1n }, ctx)).toMatchObject({
      ok: false,
      error: { name: "NotLiquidatable" },
    });
  });

  test("unknown or malformed operations come back typed", () => {
    const s = base();
    const ctx = { timestamp: T0, sender: OWNER };
    expect(applyOperation(s, { kind: "nope" } as unknown as Operation, ctx)).toMatchObject({
      ok: false,
      error: { name: "InvalidInput", args: { field: "op.kind" } },
    });
    expect(applyOperation(s, null as unknown as Operation, ctx)).toMatchObject({
      ok: false,
      error: { name: "InvalidInput" },
    });
    expect(
      applyOperation(
        s,
        {
          kind: "modifyPosition",
          accountId: 1n,
          marketId: 1n,
          sizeDelta: 1,
        } as unknown as Operation,
        ctx,
      ),
    ).toMatchObject({ ok: false, error: { name: "InvalidInput", args: { field: "sizeDelta" } } });
    expect(
      applyOperation(s, { kind: "createAccount" }, {
        timestamp: 1,
        sender: ALICE,
      } as unknown as Context),
    ).toMatchObject({
      ok: false,
      error: { name: "InvalidInput", args: { field: "ctx.timestamp" } },
    });
  });

  /**
   * The engine never throws: any operation with ABI-valid fields comes back as a state or a
   * contract error; any field no transaction could carry comes back as `InvalidInput`.
   */
  test("property: never throws; invalid input is a typed InvalidInput", () => {
    const validUint = fc.oneof(
      fc.constantFrom(0n, 1n, 2n, 3n, 4n, UINT256_MAX, 1n << 255n, 10n ** 30n, 10n ** 30n + 1n),
      fc.bigInt({ min: 0n, max: UINT256_MAX }),
      fc.bigInt({ min: 0n, max: usd(200_000) }),
    );
    const validInt = fc.oneof(
      fc.constantFrom(0n, 1n, -1n, INT256_MAX, INT256_MIN, 10n ** 40n),
      fc.bigInt({ min: INT256_MIN, max: INT256_MAX }),
      fc.bigInt({ min: -usd(50), max: usd(50) }),
    );
    const invalid = fc.oneof(
      fc.constantFrom<unknown>(undefined, null, 1, "1", UINT256_MAX + 1n, INT256_MIN - 1n, {}, []),
    );
    const opArb = fc
      .tuple(
        fc.constantFrom(
          "createMarket",
          "setMarketParams",
          "setMaxPriceAge",
          "depositInsuranceFund",
          "createAccount",
          "modifyCollateral",
          "modifyPosition",
          "liquidate",
          "autoDeleverage",
          "setPrice",
          "setPrices",
          "setUpdater",
        ),
        fc.array(fc.tuple(fc.boolean(), validUint, validInt, invalid), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.constantFrom(...ACTORS),
        fc.bigInt({ min: 0n, max: 3n * 86_400n }),
      )
      .map(([kind, fields, sender, dt]) => {
        let allValid = true;
        const u = (i: number) => {
          const [ok, v, , bad] = fields[i]!;
          if (!ok) allValid = false;
          return ok ? v : bad;
        };
        const n = (i: number) => {
          const [ok, , v, bad] = fields[i]!;
          if (!ok) allValid = false;
          return ok ? v : bad;
        };
        let op: Record<string, unknown>;
        switch (kind) {
          case "createMarket":
            op = { kind, symbol: "X", params: { ...base().markets[0]!.params, takerFee: u(0) } };
            break;
          case "setMarketParams":
            op = { kind, marketId: u(0), params: { ...base().markets[0]!.params, imrMin: u(1) } };
            break;
          case "setMaxPriceAge":
            op = { kind, maxPriceAge: u(0) };
            break;
          case "depositInsuranceFund":
            op = { kind, amount: u(0) };
            break;
          case "createAccount":
            op = { kind };
            break;
          case "modifyCollateral":
            op = { kind, accountId: u(0), amountDelta: n(1) };
            break;
          case "modifyPosition":
            op = { kind, accountId: u(0), marketId: u(1), sizeDelta: n(2) };
            break;
          case "liquidate":
            op = { kind, accountId: u(0) };
            break;
          case "autoDeleverage":
            op = {
              kind,
              bankruptAccountId: u(0),
              marketId: u(1),
              isLong: fields[2]![0],
              counterparties: [u(2)],
            };
            break;
          case "setPrice":
            op = { kind, marketId: u(0), price: u(1) };
            break;
          case "setPrices":
            op = { kind, marketIds: [u(0), u(1)], prices: [u(2), u(1)] };
            break;
          default:
            op = { kind, updater: ALICE, allowed: true };
        }
        return { op: op as Operation, sender, dt, allValid };
      });
    const known: ErrorName[] = [
      "NotOwner",
      "AccountNotFound",
      "NotAccountOwner",
      "MarketNotFound",
      "TooManyMarkets",
      "InvalidMarketParams",
      "ZeroAmount",
      "AmountTooLarge",
      "ZeroSizeDelta",
      "NoPrice",
      "StalePrice",
      "InvalidFillPrice",
      "MaxOpenInterestExceeded",
      "InsufficientMargin",
      "InsufficientCollateral",
      "NotLiquidatable",
      "NoPendingBadDebt",
      "NotOppositeSide",
      "NotInProfit",
      "TransferFailed",
      "NotUpdater",
      "ZeroPrice",
      "LengthMismatch",
      "InsufficientBalance",
      "Panic",
    ];
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25, size: "max" }), (ops) => {
        let s: ExchangeState = base();
        let t = T0;
        for (const { op, sender, dt, allValid } of ops) {
          t += dt;
          const r = applyOperation(s, op, { timestamp: t, sender });
          if (!allValid) {
            expect(r).toMatchObject({ ok: false, error: { name: "InvalidInput" } });
            continue;
          }
          if (r.ok) s = r.state;
          else expect(known).toContain(r.error.name);
        }
      }),
      { numRuns: 400 },
    );
  });

  /**
   * Value is conserved. With C = Σ collateral, F = the insurance fund, K = keeper rewards paid,
   * D = net deposits (collateral deposits − withdrawals + fund deposits), R = Σ realizedPnl +
   * realizedFunding of every PositionModified event, B = bad debt recorded at liquidations and
   * L = debt absorbed by ADL, after any sequence of operations, exactly (to the wei):
   *   ΔC + ΔF + K = D + R + B
   *   Δ tokenBalance = D − K
   *   Σ markets' badDebt = Σ ADL records' debt = B − L
   * and after every operation the accounting invariant (accounting.ts) holds: no break.
   */
  test("property: value is conserved across collateral, fund, keepers, realized PnL and bad debt", () => {
    const step = fc.tuple(
      fc.constantFrom(
        ...(["trade", "trade", "trade", "price", "jump", "jump", "deposit", "withdraw"] as const),
        ...(["liquidate", "liquidate", "liquidate", "adl", "adl", "fund", "warp"] as const),
      ),
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: -1000, max: 1000 }),
      fc.integer({ min: 0, max: 100 }),
    );
    let liquidations = 0;
    let adls = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 60, size: "max" }), (steps) => {
        const s0 = market2({
          traders: [ALICE, BOB, CAROL],
          collateral: usd(20_000),
          insurance: usd(300),
          maxPriceAge: 10n ** 9n,
        });
        let s = s0;
        let ledger = openingLedger(s0);
        let t = T0;
        let D = 0n;
        let K = 0n;
        let R = 0n;
        let B = 0n;
        let L = 0n;
        const traders = [ALICE, BOB, CAROL];
        const px = [usd(95_000), usd(3_400)];
        for (const [kind, who, market, x, y] of steps) {
          t += BigInt(y);
          const accountId = BigInt(who + 1);
          const m = BigInt(market);
          let op: Operation;
          let sender: Address = traders[who]!;
          switch (kind) {
            case "trade": {
              // ALICE leans long, BOB short, CAROL either way: a jump bankrupts one side and
              // leaves the other in profit, ready for ADL
              const signed = who === 0 ? Math.abs(x) : who === 1 ? -Math.abs(x) : x;
              const size = (BigInt(signed) * (market === 1 ? usd(1) : usd(20))) / 250n;
              if (size === 0n) continue;
              op = { kind: "modifyPosition", accountId, marketId: m, sizeDelta: size };
              break;
            }
            case "price":
            case "jump": {
              const pct = kind === "price" ? 1000n + BigInt(x) / 50n : 1000n + BigInt(x) / 3n;
              px[market - 1] = (px[market - 1]! * pct) / 1000n;
              op = { kind: "setPrices", marketIds: [1n, 2n], prices: [px[0]!, px[1]!] };
              sender = KEEPER;
              break;
            }
            case "deposit":
              op = { kind: "modifyCollateral", accountId, amountDelta: usd(Math.abs(x) * 10 + 1) };
              break;
            case "withdraw":
              op = { kind: "modifyCollateral", accountId, amountDelta: -usd(Math.abs(x) * 10 + 1) };
              break;
            case "liquidate": {
              const target = [1n, 2n, 3n].find((id) => {
                const c = canLiquidate(s, id, t);
                return c.ok && c.value;
              });
              op = { kind: "liquidate", accountId: target ?? accountId };
              sender = LIQUIDATOR;
              break;
            }
            case "adl": {
              // the first pending record some counterparty can absorb, else any pending one
              let pick:
                | { bankrupt: bigint; market: bigint; isLong: boolean; cps: bigint[] }
                | undefined;
              for (const acc of Object.values(s.accounts)) {
                for (const key of Object.keys(acc.adlRecords)) {
                  const { marketId, isLong } = parseAdlKey(key);
                  const ranked = rankAdlCounterparties(s, acc.accountId, marketId, isLong, t);
                  const cps = ranked.ok ? ranked.value.map((c) => c.accountId) : [];
                  if (!pick || (pick.cps.length === 0 && cps.length > 0)) {
                    pick = { bankrupt: acc.accountId, market: marketId, isLong, cps };
                  }
                }
              }
              op = {
                kind: "autoDeleverage",
                bankruptAccountId: pick?.bankrupt ?? accountId,
                marketId: pick?.market ?? m,
                isLong: pick?.isLong ?? x > 0,
                counterparties: pick?.cps ?? [],
              };
              sender = KEEPER;
              break;
            }
            case "fund":
              op = { kind: "depositInsuranceFund", amount: usd(y + 1) };
              break;
            default:
              t += BigInt(Math.abs(x)) * 60n;
              continue;
          }
          const r = applyOperation(s, op, { timestamp: t, sender });
          if (!r.ok) continue;
          s = r.state;
          ledger = ledgerAfter(ledger, r.events);
          expect(accountingBreaks(s, ledger)).toEqual([]);
          for (const e of r.events) {
            if (e.name === "CollateralModified") D += e.args.amountDelta;
            if (e.name === "InsuranceFundUpdated" && e.args.reason === 3) D += e.args.delta;
            if (e.name === "PositionModified") R += e.args.realizedPnl + e.args.realizedFunding;
            if (e.name === "AccountLiquidated") {
              K += e.args.keeperReward;
              B += e.args.badDebt;
              liquidations++;
            }
            if (e.name === "PositionAutoDeleveraged") {
              L += e.args.lossAbsorbed;
              adls++;
            }
          }
        }
        const C = (x: ExchangeState) =>
          Object.values(x.accounts).reduce((a, acc) => a + acc.collateral, 0n);
        expect(C(s) - C(s0) + (s.insuranceFund - s0.insuranceFund) + K).toBe(D + R + B);
        expect(s.tokenBalance - s0.tokenBalance).toBe(D - K);
        const marketDebt = s.markets.reduce((a, mk) => a + mk.state.badDebt, 0n);
        const recordDebt = Object.values(s.accounts).reduce(
          (a, acc) => a + Object.values(acc.adlRecords).reduce((b, rec) => b + rec.debt, 0n),
          0n,
        );
        expect(marketDebt).toBe(B - L);
        expect(recordDebt).toBe(B - L);
      }),
      { numRuns: 300 },
    );
    expect(liquidations).toBeGreaterThan(50);
    expect(adls).toBeGreaterThan(10);
  });
});
