import { describe, expect, test } from "vitest";
import { ALICE, BOB, market2, T0, usd } from "../test/fixtures.js";
import { createAccount } from "./account.js";
import { modifyCollateral } from "./collateral.js";

describe("account", () => {
  test("ids count up from 1 and belong to their creator", () => {
    let s = market2();
    for (const [who, id] of [
      [ALICE, 1n],
      [BOB, 2n],
      [ALICE, 3n],
    ] as const) {
      const r = createAccount(s, {}, { timestamp: T0, sender: who });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.events).toEqual([{ name: "AccountCreated", args: { accountId: id, owner: who } }]);
      s = r.state;
    }
    expect(s.accountCount).toBe(3n);
    expect(s.accounts["3"]).toMatchObject({ owner: ALICE, collateral: 0n, openMarkets: 0n });
  });

  test("lookups: AccountNotFound before NotAccountOwner before anything else", () => {
    const s = market2({ traders: [ALICE] });
    expect(
      modifyCollateral(s, { accountId: 2n, amountDelta: 0n }, { timestamp: T0, sender: ALICE }),
    ).toMatchObject({
      ok: false,
      error: { name: "AccountNotFound", args: { accountId: 2n } },
    });
    expect(
      modifyCollateral(s, { accountId: 1n, amountDelta: 0n }, { timestamp: T0, sender: BOB }),
    ).toMatchObject({
      ok: false,
      error: { name: "NotAccountOwner", args: { accountId: 1n, caller: BOB } },
    });
    expect(
      modifyCollateral(s, { accountId: 1n, amountDelta: usd(1) }, { timestamp: T0, sender: ALICE })
        .ok,
    ).toBe(true);
  });
});
