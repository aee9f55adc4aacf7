/**
 * Test support: every Curie view the engine mirrors, read from the bytecode at one block
 * (plain parallel eth_calls, no multicall) and computed by the engine for the same block,
 * compared value by value. Returns the mismatches, each named by view and arguments.
 */
import type { Abi, Address } from "viem";
import { curie } from "../devnet/artifacts.js";
import type { CurieState } from "../engine/state.js";
import * as V from "../engine/views.js";
import type { CurieChain } from "./curieChain.js";

export interface ViewMismatch {
  view: string;
  chain: unknown;
  engine: unknown;
}

interface Check {
  view: string;
  address: Address;
  abi: Abi;
  fn: string;
  args: unknown[];
  engine: () => unknown;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a, big) === JSON.stringify(b, big);
function big(_k: string, v: unknown) {
  return typeof v === "bigint" ? v.toString() : v;
}

/** Every account the test compares: the signers, the insurance fund. */
export function accountsOf(c: CurieChain): Address[] {
  return [...c.makers, ...c.takers, c.liquidator].map((s) => s.address).concat(c.d.insuranceFund);
}

function checks(
  c: CurieChain,
  s: CurieState,
  now: bigint,
  chainAccountValue: Map<Address, bigint>,
): Check[] {
  const d = c.d;
  const A = {
    ch: curie.ClearingHouse().abi,
    vault: curie.Vault().abi,
    ab: curie.AccountBalance().abi,
    ex: curie.Exchange().abi,
    base: curie.BaseToken().abi,
    fund: curie.InsuranceFund().abi,
    pool: curie.UniswapV3Pool().abi,
  };
  const out: Check[] = [];
  const add = (
    view: string,
    address: Address,
    abi: Abi,
    fn: string,
    args: unknown[],
    engine: () => unknown,
  ) => out.push({ view, address, abi, fn, args, engine });
  for (const m of d.markets) {
    const b = m.baseToken;
    add(`getMarkPrice(${m.symbol})`, d.accountBalance, A.ab, "getMarkPrice", [b], () =>
      V.getMarkPrice(s, b, now),
    );
    for (const i of [0n, 900n, 1800n]) {
      add(
        `getSqrtMarketTwapX96(${m.symbol},${i})`,
        d.exchange,
        A.ex,
        "getSqrtMarketTwapX96",
        [b, Number(i)],
        () => V.getSqrtMarketTwapX96(s, b, i, now),
      );
    }
    for (const i of [0n, 900n]) {
      add(`getIndexPrice(${m.symbol},${i})`, b, A.base, "getIndexPrice", [i], () =>
        V.getIndexPrice(s, b, i, now),
      );
    }
  }
  add("getTotalDebt", d.vault, A.vault, "getTotalDebt", [], () => V.getTotalDebt(s));
  add("getInsuranceFundCapacity", d.insuranceFund, A.fund, "getInsuranceFundCapacity", [], () =>
    V.getInsuranceFundCapacity(s, now),
  );
  for (const t of accountsOf(c)) {
    const who = t.slice(0, 8);
    add(`CH.getAccountValue(${who})`, d.clearingHouse, A.ch, "getAccountValue", [t], () =>
      V.getAccountValue(s, t, now),
    );
    add(`Vault.getAccountValue(${who})`, d.vault, A.vault, "getAccountValue", [t], () =>
      V.getVaultAccountValue(s, t, now),
    );
    add(`getFreeCollateral(${who})`, d.vault, A.vault, "getFreeCollateral", [t], () =>
      V.getFreeCollateral(s, t, now),
    );
    for (const r of [s.config.imRatio, s.config.mmRatio]) {
      add(
        `getFreeCollateralByRatio(${who},${r})`,
        d.vault,
        A.vault,
        "getFreeCollateralByRatio",
        [t, Number(r)],
        () => V.getFreeCollateralByRatio(s, t, r, now),
      );
    }
    add(`Vault.isLiquidatable(${who})`, d.vault, A.vault, "isLiquidatable", [t], () =>
      V.isCollateralLiquidatable(s, t),
    );
    add(
      `getMarginRequirementForLiquidation(${who})`,
      d.accountBalance,
      A.ab,
      "getMarginRequirementForLiquidation",
      [t],
      () => V.getMarginRequirementForLiquidation(s, t, now),
    );
    add(`getPnlAndPendingFee(${who})`, d.accountBalance, A.ab, "getPnlAndPendingFee", [t], () =>
      V.getPnlAndPendingFee(s, t, now),
    );
    add(
      `getAllPendingFundingPayment(${who})`,
      d.exchange,
      A.ex,
      "getAllPendingFundingPayment",
      [t],
      () => V.getAllPendingFundingPayment(s, t, now),
    );
    for (const m of d.markets) {
      const b = m.baseToken;
      const w = `${who},${m.symbol}`;
      add(
        `getTotalPositionValue(${w})`,
        d.accountBalance,
        A.ab,
        "getTotalPositionValue",
        [t, b],
        () => V.getTotalPositionValue(s, t, b, now),
      );
      add(
        `getTotalPositionSize(${w})`,
        d.accountBalance,
        A.ab,
        "getTotalPositionSize",
        [t, b],
        () => V.getTotalPositionSize(s, t, b),
      );
      add(
        `getTakerPositionSize(${w})`,
        d.accountBalance,
        A.ab,
        "getTakerPositionSize",
        [t, b],
        () => V.getTakerPositionSize(s, t, b),
      );
      add(
        `getTotalOpenNotional(${w})`,
        d.accountBalance,
        A.ab,
        "getTotalOpenNotional",
        [t, b],
        () => V.getTotalOpenNotional(s, t, b),
      );
      add(
        `getPendingFundingPayment(${w})`,
        d.exchange,
        A.ex,
        "getPendingFundingPayment",
        [t, b],
        () => V.getPendingFundingPayment(s, t, b, now),
      );
      const av = chainAccountValue.get(t);
      if (av !== undefined) {
        add(
          `getLiquidatablePositionSize(${w})`,
          d.accountBalance,
          A.ab,
          "getLiquidatablePositionSize",
          [t, b, av],
          () => V.getLiquidatablePositionSize(s, t, b, av, now),
        );
      }
    }
  }
  return out;
}

/** Compares every view at block `c.block` (the engine state must be that block's). */
export async function compareViews(
  c: CurieChain,
): Promise<{ mismatches: ViewMismatch[]; compared: number }> {
  const now = BigInt(c.time);
  const blockNumber = c.block;
  const read = (x: Pick<Check, "address" | "abi" | "fn" | "args">) =>
    c.reader.readContract({
      address: x.address,
      abi: x.abi,
      functionName: x.fn,
      args: x.args,
      blockNumber,
    });
  const accounts = accountsOf(c);
  const values = await Promise.all(
    accounts.map((t) =>
      read({
        address: c.d.clearingHouse,
        abi: curie.ClearingHouse().abi,
        fn: "getAccountValue",
        args: [t],
      }),
    ),
  );
  const chainAccountValue = new Map(accounts.map((t, i) => [t, values[i] as bigint]));
  const list = checks(c, c.state, now, chainAccountValue);
  const chain = await Promise.all(
    list.map((x) =>
      read(x).then(
        (v) => ({ ok: true as const, v }),
        (err: Error) => ({ ok: false as const, v: err.message.split("\n")[0] }),
      ),
    ),
  );
  const mismatches: ViewMismatch[] = [];
  list.forEach((x, i) => {
    let mine: unknown;
    try {
      mine = x.engine();
    } catch (err) {
      mine = `throws: ${(err as Error).message}`;
    }
    const theirs = chain[i]!;
    const chainValue = theirs.ok
      ? Array.isArray(theirs.v)
        ? [...theirs.v]
        : theirs.v
      : `reverts: ${theirs.v}`;
    // Both failing is agreement: the engine throws ContractRevert where the bytecode reverts.
    const bothFail =
      !theirs.ok &&
      typeof mine === "string" &&
      mine.startsWith("throws: curie: the contract reverts");
    if (!bothFail && !same(mine, chainValue))
      mismatches.push({ view: x.view, chain: chainValue, engine: mine });
  });
  mismatches.push(...(await checkLiquidationPrices(c, chainAccountValue)));
  return { mismatches, compared: list.length };
}

/**
 * The engine's liquidation price against the bytecode's own liquidation test, for accounts
 * whose only exposure is a taker position in one market: liquidatable on chain exactly when
 * the mark price is at or beyond the liquidation price (prices within 1e-9 of it skipped: the
 * definition ignores Curie's wei rounding).
 */
async function checkLiquidationPrices(
  c: CurieChain,
  accountValue: Map<Address, bigint>,
): Promise<ViewMismatch[]> {
  const s = c.state;
  const now = BigInt(c.time);
  const out: ViewMismatch[] = [];
  for (const t of accountsOf(c)) {
    const a = s.accounts[t];
    if (!a || a.baseTokens.length !== 1 || Object.values(a.orderIds).some((ids) => ids.length > 0))
      continue;
    const base = a.baseTokens[0]!;
    const size = V.getTotalPositionSize(s, t, base);
    if (size === 0n) continue;
    const requirement = (await c.reader.readContract({
      address: c.d.accountBalance,
      abi: curie.AccountBalance().abi,
      functionName: "getMarginRequirementForLiquidation",
      args: [t],
      blockNumber: c.block,
    })) as bigint;
    const liquidatable = accountValue.get(t)! < requirement;
    const mark = V.getMarkPrice(s, base, now);
    const price = V.getLiquidationPrice(s, t, base, now);
    if (
      price !== undefined &&
      (mark > price ? mark - price : price - mark) * 1_000_000_000n < price
    )
      continue;
    const beyond = price !== undefined && (size > 0n ? mark <= price : mark >= price);
    if (beyond !== liquidatable) {
      out.push({
        view: `liquidation price (${t.slice(0, 8)}, mark ${mark}, size ${size})`,
        chain: liquidatable,
        engine: `liquidation price ${price}`,
      });
    }
  }
  return out;
}
