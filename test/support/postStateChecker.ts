/**
 * Checks that a transaction's events carry the exchange's post-state: decodes the receipt's
 * logs with the generated ABIs, keeps the LAST event per entity (account, position, market,
 * ADL record, insurance fund, oracle price) and compares its fields with the contract views
 * at the receipt's block. Under automine the transaction is alone in its block, so the
 * state at that block is the state right after it; a receipt that is not the last
 * transaction of its block is reported rather than checked against someone else's state.
 *
 * Compared, per entity:
 * - account collateral: `CollateralModified.newCollateral`, `PositionModified.newCollateral`,
 *   or for `AccountLiquidated` the collateral it leaves, `max(0, equity − keeperReward −
 *   penaltyToInsurance)` (the event has no newCollateral field; the waterfall's result follows
 *   from its fields) == `getAccount().collateral`;
 * - position: `PositionModified.newSize` == `getPosition().size`;
 * - market funding: `FundingUpdated` skew/fundingRate/fundingIndex/timestamp == `getMarket()`
 *   state skew/lastFundingRate/lastFundingIndex/lastFundingTime, fundingVelocity ==
 *   `fundingVelocity()`, price == the oracle's price;
 * - insurance fund: `InsuranceFundUpdated.newBalance` == `insuranceFund()`;
 * - ADL record: `BadDebtRecorded` recordSize/recordDebt == `getAdlRecord()`, and the last
 *   one per market: marketBadDebt == `getMarket().state.badDebt`;
 * - market parameters: `MarketParamsSet` == `getMarket().params`;
 * - oracle: `PriceUpdated` price/publishTime == `getPrice()`.
 */
import {
  type Address,
  isAddressEqual,
  type Log,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
} from "viem";
import {
  perpExchangeAbi,
  priceOracleAbi,
} from "../../protocols/reference/contracts/generated/index.js";
import { PARAM_FIELDS } from "../../protocols/reference/engine/input.js";

export const CHECKED_KINDS = [
  "CollateralModified",
  "PositionModified",
  "AccountLiquidated",
  "FundingUpdated",
  "InsuranceFundUpdated",
  "BadDebtRecorded",
  "MarketParamsSet",
  "PriceUpdated",
] as const;
export type CheckedKind = (typeof CHECKED_KINDS)[number];

interface Expected {
  kind: CheckedKind;
  value: bigint;
}

export class PostStateChecker {
  /** How many entity comparisons each event kind has contributed so far. */
  readonly checked: Record<CheckedKind, number> = Object.fromEntries(
    CHECKED_KINDS.map((k) => [k, 0]),
  ) as Record<CheckedKind, number>;
  /** Every difference found so far, across all checked receipts. */
  readonly differences: string[] = [];
  /** Receipts checked so far. */
  receipts = 0;

  constructor(
    private readonly client: PublicClient,
    private readonly exchange: Address,
    private readonly oracle: Address,
  ) {}

  /**
   * Compares the receipt's last event per entity with the views at `atBlock` (by default the
   * receipt's own block) and returns the differences found (also kept in `differences`).
   */
  async check(receipt: TransactionReceipt, atBlock = receipt.blockNumber): Promise<string[]> {
    const diffs: string[] = [];
    const blockNumber = atBlock;
    const from = (address: Address) => (l: Log) => isAddressEqual(l.address, address);
    const exchangeEvents = parseEventLogs({
      abi: perpExchangeAbi,
      logs: receipt.logs.filter(from(this.exchange)),
    });
    const oracleEvents = parseEventLogs({
      abi: priceOracleAbi,
      logs: receipt.logs.filter(from(this.oracle)),
    });
    if (exchangeEvents.length + oracleEvents.length === 0) return diffs;
    this.receipts += 1;

    if (atBlock === receipt.blockNumber) {
      const count = await this.client.getBlockTransactionCount({ blockNumber });
      if (receipt.transactionIndex !== count - 1) {
        diffs.push(`${receipt.transactionHash}: not the last transaction of block ${blockNumber}`);
      }
    }

    // Last event per entity, in log order.
    const collateral = new Map<bigint, Expected>();
    const sizes = new Map<string, { accountId: bigint; marketId: bigint; size: bigint }>();
    const funding = new Map<bigint, (typeof exchangeEvents)[number]>();
    const params = new Map<bigint, (typeof exchangeEvents)[number]>();
    const adl = new Map<
      string,
      { accountId: bigint; marketId: bigint; isLong: boolean; size: bigint; debt: bigint }
    >();
    const marketBadDebt = new Map<bigint, bigint>();
    let insurance: bigint | undefined;
    for (const ev of exchangeEvents) {
      switch (ev.eventName) {
        case "CollateralModified":
          collateral.set(ev.args.accountId, { kind: ev.eventName, value: ev.args.newCollateral });
          break;
        case "PositionModified": {
          const { accountId, marketId, newSize, newCollateral } = ev.args;
          collateral.set(accountId, { kind: ev.eventName, value: newCollateral });
          sizes.set(`${accountId}:${marketId}`, { accountId, marketId, size: newSize });
          break;
        }
        case "AccountLiquidated": {
          const { equity, keeperReward, penaltyToInsurance } = ev.args;
          const left = equity - keeperReward - penaltyToInsurance;
          collateral.set(ev.args.accountId, { kind: ev.eventName, value: left > 0n ? left : 0n });
          break;
        }
        case "FundingUpdated":
          funding.set(ev.args.marketId, ev);
          break;
        case "InsuranceFundUpdated":
          insurance = ev.args.newBalance;
          break;
        case "BadDebtRecorded": {
          const { accountId, marketId, isLong, recordSize, recordDebt } = ev.args;
          adl.set(`${accountId}:${marketId}:${isLong}`, {
            accountId,
            marketId,
            isLong,
            size: recordSize,
            debt: recordDebt,
          });
          marketBadDebt.set(marketId, ev.args.marketBadDebt);
          break;
        }
        case "MarketParamsSet":
          params.set(ev.args.marketId, ev);
          break;
        default:
          break;
      }
    }

    const same = (what: string, event: bigint | number, view: bigint | number) => {
      if (BigInt(event) !== BigInt(view)) diffs.push(`${what}: event ${event} != view ${view}`);
    };
    const at = { address: this.exchange, abi: perpExchangeAbi, blockNumber } as const;
    const getMarket = (marketId: bigint) =>
      this.client.readContract({ ...at, functionName: "getMarket", args: [marketId] });

    for (const [accountId, e] of collateral) {
      const [, viewCollateral] = await this.client.readContract({
        ...at,
        functionName: "getAccount",
        args: [accountId],
      });
      same(`${e.kind}(account ${accountId}).newCollateral`, e.value, viewCollateral);
      this.checked[e.kind] += 1;
    }
    for (const { accountId, marketId, size } of sizes.values()) {
      const p = await this.client.readContract({
        ...at,
        functionName: "getPosition",
        args: [accountId, marketId],
      });
      same(`PositionModified(account ${accountId}, market ${marketId}).newSize`, size, p.size);
      this.checked.PositionModified += 1;
    }
    for (const [marketId, ev] of funding) {
      if (ev.eventName !== "FundingUpdated") continue;
      const m = await getMarket(marketId);
      const velocity = await this.client.readContract({
        ...at,
        functionName: "fundingVelocity",
        args: [marketId],
      });
      const [price] = await this.oraclePrice(marketId, blockNumber);
      const what = `FundingUpdated(market ${marketId})`;
      same(`${what}.skew`, ev.args.skew, m.state.skew);
      same(`${what}.fundingRate`, ev.args.fundingRate, m.state.lastFundingRate);
      same(`${what}.fundingIndex`, ev.args.fundingIndex, m.state.lastFundingIndex);
      same(`${what}.timestamp`, ev.args.timestamp, m.state.lastFundingTime);
      same(`${what}.fundingVelocity`, ev.args.fundingVelocity, velocity);
      same(`${what}.price`, ev.args.price, price);
      this.checked.FundingUpdated += 1;
    }
    if (insurance !== undefined) {
      const fund = await this.client.readContract({ ...at, functionName: "insuranceFund" });
      same("InsuranceFundUpdated.newBalance", insurance, fund);
      this.checked.InsuranceFundUpdated += 1;
    }
    for (const { accountId, marketId, isLong, size, debt } of adl.values()) {
      const r = await this.client.readContract({
        ...at,
        functionName: "getAdlRecord",
        args: [accountId, marketId, isLong],
      });
      const side = isLong ? "long" : "short";
      const what = `BadDebtRecorded(account ${accountId}, market ${marketId}, ${side})`;
      same(`${what}.recordSize`, size, r.size);
      same(`${what}.recordDebt`, debt, r.debt);
      this.checked.BadDebtRecorded += 1;
    }
    for (const [marketId, badDebt] of marketBadDebt) {
      const m = await getMarket(marketId);
      same(`BadDebtRecorded(market ${marketId}).marketBadDebt`, badDebt, m.state.badDebt);
    }
    for (const [marketId, ev] of params) {
      if (ev.eventName !== "MarketParamsSet") continue;
      const m = await getMarket(marketId);
      for (const field of PARAM_FIELDS) {
        same(`MarketParamsSet(market ${marketId}).${field}`, ev.args[field], m.params[field]);
      }
      this.checked.MarketParamsSet += 1;
    }

    const prices = new Map<bigint, { price: bigint; publishTime: bigint }>();
    for (const ev of oracleEvents) {
      if (ev.eventName === "PriceUpdated") prices.set(ev.args.marketId, ev.args);
    }
    for (const [marketId, p] of prices) {
      const [price, publishTime] = await this.oraclePrice(marketId, blockNumber);
      same(`PriceUpdated(market ${marketId}).price`, p.price, price);
      same(`PriceUpdated(market ${marketId}).publishTime`, p.publishTime, publishTime);
      this.checked.PriceUpdated += 1;
    }

    this.differences.push(...diffs);
    return diffs;
  }

  private oraclePrice(marketId: bigint, blockNumber: bigint) {
    return this.client.readContract({
      address: this.oracle,
      abi: priceOracleAbi,
      functionName: "getPrice",
      args: [marketId],
      blockNumber,
    });
  }
}
