import { describe, expect, test } from "vitest";
import { EVENT_CONTRACT, InsuranceReason, PositionChange } from "./types.js";

describe("types", () => {
  test("enums carry the Solidity enum ordinals", () => {
    expect(PositionChange).toEqual({ Trade: 0, Liquidation: 1, Adl: 2 });
    expect(InsuranceReason).toEqual({ Fee: 0, Penalty: 1, BadDebtCover: 2, Deposit: 3 });
  });

  test("oracle events are attributed to the oracle, the rest to the exchange", () => {
    expect(EVENT_CONTRACT.PriceUpdated).toBe("PriceOracle");
    expect(EVENT_CONTRACT.UpdaterSet).toBe("PriceOracle");
    expect(Object.values(EVENT_CONTRACT).filter((c) => c === "PerpExchange")).toHaveLength(11);
  });
});
