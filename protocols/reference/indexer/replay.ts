/**
 * Which contract call a log is the first sign of, rebuilt as the engine's `Operation`, with
 * the caller to replay it as and the state it needs.
 *
 * Why from the logs and not from the transaction's input: a call can come through another
 * contract (a router, a multicall, a keeper bot), so the calldata of the transaction says
 * nothing reliable; but every successful call of the exchange starts its logs with one
 * recognizable event whose arguments are the call's arguments (a trade's `PositionModified`
 * carries account, market and size delta). Two calls need the log after their first one:
 * `createMarket` (its parameters come in `MarketParamsSet`) and one ADL fill (the bankrupt
 * account is named in `PositionAutoDeleveraged`, after the counterparty's `PositionModified`).
 * ADL is replayed one fill at a time (`autoDeleverage(b, m, [cp])`); fills at one block time
 * compose exactly because the funding checkpoint is idempotent within a block.
 */
import {
  type Address,
  type EventArgs,
  type Operation,
  PositionChange,
  ZERO_ADDRESS,
} from "../engine/index.js";

export interface Replay {
  op: Operation;
  /** `msg.sender` to replay with, or the owner of an account (known once it is loaded). */
  sender: Address | { ownerOf: bigint };
  /** The accounts the call reads or writes (the engine is given just these). */
  accounts: readonly bigint[];
}

const ADMIN = ZERO_ADDRESS;

export function replayPriceUpdated(a: EventArgs["PriceUpdated"]): Replay {
  return {
    op: { kind: "setPrice", marketId: a.marketId, price: a.price },
    sender: ADMIN,
    accounts: [],
  };
}

export function replayUpdaterSet(a: EventArgs["UpdaterSet"]): Replay {
  return {
    op: { kind: "setUpdater", updater: a.updater, allowed: a.allowed },
    sender: ADMIN,
    accounts: [],
  };
}

export function replayMaxPriceAgeSet(a: EventArgs["MaxPriceAgeSet"]): Replay {
  return {
    op: { kind: "setMaxPriceAge", maxPriceAge: a.maxPriceAge },
    sender: ADMIN,
    accounts: [],
  };
}

export function replayAccountCreated(a: EventArgs["AccountCreated"]): Replay {
  return {
    op: { kind: "createAccount" },
    sender: a.owner,
    accounts: [],
  };
}

export function replayCollateralModified(a: EventArgs["CollateralModified"]): Replay {
  return {
    op: { kind: "modifyCollateral", accountId: a.accountId, amountDelta: a.amountDelta },
    sender: a.sender,
    accounts: [a.accountId],
  };
}

export function replayInsuranceDeposit(a: EventArgs["InsuranceFundUpdated"]): Replay {
  return {
    op: { kind: "depositInsuranceFund", amount: a.delta },
    sender: ADMIN,
    accounts: [],
  };
}

/** `createMarket` from its `MarketCreated` and `MarketParamsSet`. */
export function replayCreateMarket(
  created: EventArgs["MarketCreated"],
  a: EventArgs["MarketParamsSet"],
): Replay {
  const { marketId: _, ...params } = a;
  return {
    op: { kind: "createMarket", symbol: created.symbol, params },
    sender: ADMIN,
    accounts: [],
  };
}

export function replaySetMarketParams(a: EventArgs["MarketParamsSet"]): Replay {
  const { marketId, ...params } = a;
  return {
    op: { kind: "setMarketParams", marketId, params },
    sender: ADMIN,
    accounts: [],
  };
}

/** A trade's or a liquidation's first `PositionModified`; ADL fills go through `replayAdlFill`. */
export function replayPositionModified(a: EventArgs["PositionModified"]): Replay | null {
  if (a.kind === PositionChange.Trade) {
    return {
      op: {
        kind: "modifyPosition",
        accountId: a.accountId,
        marketId: a.marketId,
        sizeDelta: a.sizeDelta,
      },
      sender: { ownerOf: a.accountId },
      accounts: [a.accountId],
    };
  }
  if (a.kind === PositionChange.Liquidation) {
    return {
      op: { kind: "liquidate", accountId: a.accountId },
      sender: ADMIN,
      accounts: [a.accountId],
    };
  }
  return null;
}

/** One ADL fill: `autoDeleverage(bankrupt, market, side, [counterparty])`. */
export function replayAdlFill(a: EventArgs["PositionAutoDeleveraged"]): Replay {
  return {
    op: {
      kind: "autoDeleverage",
      bankruptAccountId: a.bankruptAccountId,
      marketId: a.marketId,
      isLong: a.isLong,
      counterparties: [a.counterpartyAccountId],
    },
    sender: ADMIN,
    accounts: [a.bankruptAccountId, a.counterpartyAccountId],
  };
}

/** An `autoDeleverage` call that filled nobody: its only logs are `BadDebtRecorded` + funding. */
export function replayEmptyAdl(a: EventArgs["BadDebtRecorded"]): Replay {
  return {
    op: {
      kind: "autoDeleverage",
      bankruptAccountId: a.accountId,
      marketId: a.marketId,
      isLong: a.isLong,
      counterparties: [],
    },
    sender: ADMIN,
    accounts: [a.accountId],
  };
}
