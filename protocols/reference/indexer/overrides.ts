/**
 * "The chain wins": when the mirror disagrees with an event (or cannot replay the operation
 * at all), the post-state the event carries is written to the tables anyway.
 *
 * Why: the tables must equal the contract, and a mirror bug must not poison every later
 * event of the accounts it touched. So after a mismatch (already recorded in `mirror_check`)
 * each event overwrites the fields it carries as the *final* value of its operation — a
 * trade's new collateral and size, the funding state after the touch, the fund's balance, a
 * bad-debt record — and nothing else. Intermediate values (the collateral after each close
 * of a liquidation) are not applied: `AccountLiquidated` carries what the account ends with.
 * Health columns are not recomputed here; they are refreshed at the account's next touch.
 */

import {
  account,
  badDebt,
  exchange,
  market,
  oraclePrice,
  position,
} from "../../../ponder.schema.js";
import type { ExchangeKey } from "../../protocol.js";
import { PositionChange } from "../engine/index.js";
import type { AnyChainEvent, Db } from "./types.js";

const ZERO_PARAMS = {
  skewScale: 0n,
  maxFundingVelocity: 0n,
  imrScalar: 0n,
  imrMin: 0n,
  mmScalar: 0n,
  minPositionMargin: 0n,
  takerFee: 0n,
  keeperRewardRatio: 0n,
  maxKeeperReward: 0n,
  liquidationPenaltyRatio: 0n,
  maxOpenInterest: 0n,
};

function emptyMarket(exchange: string, marketId: bigint, block: bigint) {
  return {
    exchange,
    marketId,
    symbol: "",
    ...ZERO_PARAMS,
    price: 0n,
    priceTime: 0n,
    skew: 0n,
    sizeLong: 0n,
    sizeShort: 0n,
    fundingRate: 0n,
    fundingVelocity: 0n,
    fundingIndex: 0n,
    fundingTime: 0n,
    badDebt: 0n,
    createdBlock: block,
    updatedBlock: block,
  };
}

function emptyAccount(exchange: string, accountId: bigint, block: bigint) {
  return {
    exchange,
    accountId,
    owner: "0x0000000000000000000000000000000000000000" as const,
    collateral: 0n,
    openMarkets: 0n,
    createdBlock: block,
    updatedBlock: block,
  };
}

async function setCollateral(
  db: Db,
  exchange: string,
  accountId: bigint,
  collateral: bigint,
  block: bigint,
) {
  await db
    .insert(account)
    .values({ ...emptyAccount(exchange, accountId, block), collateral })
    .onConflictDoUpdate({ collateral, updatedBlock: block });
}

async function setPosition(
  db: Db,
  exchange: string,
  accountId: bigint,
  marketId: bigint,
  values: { size: bigint; lastPrice?: bigint },
  block: bigint,
) {
  const bit = 1n << (marketId - 1n);
  await db
    .insert(position)
    .values({
      exchange,
      accountId,
      marketId,
      lastPrice: 0n,
      lastFundingIndex: 0n,
      ...values,
      updatedBlock: block,
    })
    .onConflictDoUpdate({ ...values, updatedBlock: block });
  await db
    .insert(account)
    .values({
      ...emptyAccount(exchange, accountId, block),
      openMarkets: values.size === 0n ? 0n : bit,
    })
    .onConflictDoUpdate((row) => ({
      openMarkets: values.size === 0n ? row.openMarkets & ~bit : row.openMarkets | bit,
      updatedBlock: block,
    }));
}

/** The exchange row's identity columns. */
export function exchangeIdentity(x: ExchangeKey) {
  return { id: x.id, protocol: x.protocol, chainId: x.chainId, address: x.address };
}

async function setExchange(
  db: Db,
  x: ExchangeKey,
  values: Partial<{ maxPriceAge: bigint; insuranceFund: bigint; accountCount: bigint }>,
  block: bigint,
) {
  await db
    .insert(exchange)
    .values({
      ...exchangeIdentity(x),
      maxPriceAge: 0n,
      insuranceFund: 0n,
      accountCount: 0n,
      marketCount: 0n,
      ...values,
      updatedBlock: block,
    })
    .onConflictDoUpdate({ ...values, updatedBlock: block });
}

/** Writes the final post-state `ev` carries over whatever the tables hold. */
export async function applyChainValues(db: Db, x: ExchangeKey, ev: AnyChainEvent): Promise<void> {
  const block = ev.blockNumber;
  const id = x.id;
  switch (ev.name) {
    case "PriceUpdated": {
      const { marketId, price, publishTime } = ev.args;
      await db
        .insert(oraclePrice)
        .values({ exchange: id, marketId, price, publishTime, updatedBlock: block })
        .onConflictDoUpdate({ price, publishTime, updatedBlock: block });
      if (await db.find(market, { exchange: id, marketId })) {
        await db
          .update(market, { exchange: id, marketId })
          .set({ price, priceTime: publishTime, updatedBlock: block });
      }
      return;
    }
    case "MaxPriceAgeSet":
      await setExchange(db, x, { maxPriceAge: ev.args.maxPriceAge }, block);
      return;
    case "AccountCreated": {
      const { accountId, owner } = ev.args;
      await db
        .insert(account)
        .values({ ...emptyAccount(id, accountId, block), owner })
        .onConflictDoUpdate({ owner, updatedBlock: block });
      const ex = await db.find(exchange, { id });
      if (!ex || ex.accountCount < accountId) {
        await setExchange(db, x, { accountCount: accountId }, block);
      }
      return;
    }
    case "MarketCreated": {
      const { marketId, symbol } = ev.args;
      await db
        .insert(market)
        .values({ ...emptyMarket(id, marketId, block), symbol })
        .onConflictDoUpdate({ symbol, updatedBlock: block });
      const ex = await db.find(exchange, { id });
      if (!ex || ex.marketCount < marketId) {
        await db
          .insert(exchange)
          .values({
            ...exchangeIdentity(x),
            maxPriceAge: 0n,
            insuranceFund: 0n,
            accountCount: 0n,
            marketCount: marketId,
            updatedBlock: block,
          })
          .onConflictDoUpdate({ marketCount: marketId, updatedBlock: block });
      }
      return;
    }
    case "MarketParamsSet": {
      const { marketId, ...params } = ev.args;
      await db
        .insert(market)
        .values({ ...emptyMarket(id, marketId, block), ...params })
        .onConflictDoUpdate({ ...params, updatedBlock: block });
      return;
    }
    case "CollateralModified":
      await setCollateral(db, id, ev.args.accountId, ev.args.newCollateral, block);
      return;
    case "PositionModified": {
      const { accountId, marketId, kind, newSize, fillPrice, newCollateral } = ev.args;
      if (kind === PositionChange.Liquidation) {
        await setPosition(db, id, accountId, marketId, { size: 0n, lastPrice: 0n }, block);
        return;
      }
      await setCollateral(db, id, accountId, newCollateral, block);
      await setPosition(
        db,
        id,
        accountId,
        marketId,
        kind === PositionChange.Trade ? { size: newSize, lastPrice: fillPrice } : { size: newSize },
        block,
      );
      return;
    }
    case "AccountLiquidated": {
      const { accountId, equity, keeperReward, penaltyToInsurance } = ev.args;
      const rest = equity - keeperReward - penaltyToInsurance;
      await setCollateral(db, id, accountId, rest > 0n ? rest : 0n, block);
      return;
    }
    case "FundingUpdated": {
      const { marketId, price, skew, fundingRate, fundingVelocity, fundingIndex, timestamp } =
        ev.args;
      const values = {
        skew,
        fundingRate,
        fundingVelocity,
        fundingIndex,
        fundingTime: timestamp,
        price,
        updatedBlock: block,
      };
      await db
        .insert(market)
        .values({ ...emptyMarket(id, marketId, block), ...values })
        .onConflictDoUpdate(values);
      return;
    }
    case "InsuranceFundUpdated":
      await setExchange(db, x, { insuranceFund: ev.args.newBalance }, block);
      return;
    case "BadDebtRecorded": {
      const { accountId, marketId, isLong, recordSize, recordDebt, marketBadDebt } = ev.args;
      await db
        .insert(badDebt)
        .values({
          exchange: id,
          accountId,
          marketId,
          isLong,
          size: recordSize,
          debt: recordDebt,
          updatedBlock: block,
        })
        .onConflictDoUpdate({ size: recordSize, debt: recordDebt, updatedBlock: block });
      await db
        .insert(market)
        .values({ ...emptyMarket(id, marketId, block), badDebt: marketBadDebt })
        .onConflictDoUpdate({ badDebt: marketBadDebt, updatedBlock: block });
      return;
    }
    default:
      return;
  }
}
