import { describe, expect, it } from "vitest";
import * as schemaTables from "../../../ponder.schema.js";
import type { ExchangeKey } from "../../protocol.js";
import { DEFAULT_MARKETS } from "../devnet/markets.js";
import {
  type Address,
  accountHealth,
  applyOperation,
  deployedState,
  type ExchangeEvent,
  type ExchangeState,
  getAdlRecord,
  getPosition,
  type Operation,
} from "../engine/index.js";
import { MemoryDb } from "../test/memoryDb.js";
import { ReferenceMirror } from "./mirror.js";
import type { AnyChainEvent } from "./types.js";

const EXCHANGE: Address = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
const KEY: ExchangeKey = { id: "ref", protocol: "reference", chainId: 31337, address: EXCHANGE };
const OWNER: Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const KEEPER: Address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const TRADERS: Address[] = [
  "0x00000000000000000000000000000000000000a1",
  "0x00000000000000000000000000000000000000b2",
  "0x00000000000000000000000000000000000000c3",
];
const E18 = 10n ** 18n;
const usd = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;

const hex32 = (n: number, tag: string) =>
  `0x${tag}${n.toString(16).padStart(64 - tag.length, "0")}` as `0x${string}`;

/** A chain built by the engine itself: every call's logs, in blocks, as the chain emits them. */
class EngineChain {
  state: ExchangeState;
  readonly logs: AnyChainEvent[] = [];
  block = 1n;
  timestamp = 1_767_225_600n;
  private logIndex = 0;
  private txs = 0;

  constructor() {
    const { state, events } = deployedState({ address: EXCHANGE, owner: OWNER, maxPriceAge: 60n });
    this.state = state;
    // The two constructors are two transactions.
    for (const e of events) this.push([e]);
  }

  private push(events: readonly ExchangeEvent[]): void {
    this.txs += 1;
    const txHash = hex32(this.txs, "7");
    for (const e of events) {
      this.logs.push({
        id: `${this.block.toString().padStart(10, "0")}-${String(this.logIndex).padStart(5, "0")}`,
        name: e.name,
        args: e.args,
        blockNumber: this.block,
        blockHash: hex32(Number(this.block), "b"),
        timestamp: this.timestamp,
        logIndex: this.logIndex,
        txHash,
      } as AnyChainEvent);
      this.logIndex += 1;
    }
  }

  call(op: Operation, sender: Address = OWNER): void {
    const r = applyOperation(this.state, op, { timestamp: this.timestamp, sender });
    if (!r.ok) throw new Error(`${op.kind} reverts: ${r.error.message}`);
    this.state = r.state;
    this.push(r.events);
  }

  mine(seconds = 1n): void {
    this.block += 1n;
    this.timestamp += seconds;
    this.logIndex = 0;
  }
}

/** Deploy, two markets, three traders, a gap down that bankrupts a long, liquidation, ADL. */
function crashChain(): EngineChain {
  const c = new EngineChain();
  const [btc, eth] = [DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!];
  c.mine();
  c.call({ kind: "createMarket", symbol: btc.symbol, params: btc.params });
  c.call({ kind: "createMarket", symbol: eth.symbol, params: eth.params });
  c.call({ kind: "setPrices", marketIds: [1n, 2n], prices: [usd(95_000), usd(3_400)] });
  c.call({ kind: "depositInsuranceFund", amount: usd(500) });
  c.mine();
  for (const [i, who] of TRADERS.entries()) {
    c.call({ kind: "createAccount" }, who);
    c.call(
      {
        kind: "modifyCollateral",
        accountId: BigInt(i + 1),
        amountDelta: usd(i === 2 ? 200_000 : 20_000),
      },
      who,
    );
  }
  c.mine(30n);
  c.call({ kind: "setPrices", marketIds: [1n, 2n], prices: [usd(95_100), usd(3_410)] });
  // A: levered long ETH and a little BTC; B and C: shorts on the other side.
  c.call({ kind: "modifyPosition", accountId: 1n, marketId: 2n, sizeDelta: 50n * E18 }, TRADERS[0]);
  c.call({ kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: E18 / 10n }, TRADERS[0]);
  c.call(
    { kind: "modifyPosition", accountId: 2n, marketId: 2n, sizeDelta: -20n * E18 },
    TRADERS[1],
  );
  c.call(
    { kind: "modifyPosition", accountId: 3n, marketId: 2n, sizeDelta: -60n * E18 },
    TRADERS[2],
  );
  c.mine(600n);
  c.call({ kind: "setPrices", marketIds: [1n, 2n], prices: [usd(94_000), usd(3_350)] });
  c.call({ kind: "modifyCollateral", accountId: 3n, amountDelta: -usd(1_000) }, TRADERS[2]);
  c.call({ kind: "modifyPosition", accountId: 2n, marketId: 2n, sizeDelta: -5n * E18 }, TRADERS[1]);
  c.mine(60n);
  // The gap: ETH −15%, BTC −5%. A is bankrupt; the small fund cannot cover it.
  c.call({ kind: "setPrices", marketIds: [1n, 2n], prices: [usd(89_300), usd(2_850)] });
  c.call({ kind: "liquidate", accountId: 1n }, KEEPER);
  c.mine();
  c.call({ kind: "setPrices", marketIds: [1n, 2n], prices: [usd(89_300), usd(2_850)] });
  const record = getAdlRecord(c.state, 1n, 2n, true);
  if (record.debt === 0n) throw new Error("the scenario left no bad debt in ETH");
  c.call(
    {
      kind: "autoDeleverage",
      bankruptAccountId: 1n,
      marketId: 2n,
      isLong: true,
      counterparties: [2n, 3n],
    },
    KEEPER,
  );
  c.call(
    {
      kind: "autoDeleverage",
      bankruptAccountId: 1n,
      marketId: 1n,
      isLong: true,
      counterparties: [],
    },
    KEEPER,
  );
  return c;
}

/**
 * Indexes `logs` as Ponder would: in order, and with `blockEnd` (the default) a block event
 * after each block's last log; without it, the mirror writes every row after every call.
 */
async function index(logs: readonly AnyChainEvent[], blockEnd = true): Promise<MemoryDb> {
  const db = new MemoryDb();
  const mirror = new ReferenceMirror(KEY, blockEnd);
  for (const [i, ev] of logs.entries()) {
    await mirror.handle(db.asDb(), { ...ev, exchange: KEY.id });
    if (blockEnd && logs[i + 1]?.blockHash !== ev.blockHash) {
      await mirror.endBlock(db.asDb(), { number: ev.blockNumber, hash: ev.blockHash });
    }
  }
  return db;
}

describe("ReferenceMirror on an engine-made chain", () => {
  const chain = crashChain();

  it("the stream covers the whole waterfall", () => {
    const names = new Set(chain.logs.map((l) => l.name));
    for (const n of [
      "AccountLiquidated",
      "BadDebtRecorded",
      "PositionAutoDeleveraged",
      "InsuranceFundUpdated",
      "MarketCreated",
    ]) {
      expect(names).toContain(n);
    }
    const adlFills = chain.logs.filter((l) => l.name === "PositionAutoDeleveraged");
    expect(adlFills.length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ["written at each block's end", true],
    ["written after every call", false],
  ])(
    "replays every call with no mirror check, and the tables equal the engine's state (exchange and market rows %s)",
    async (_, blockEnd) => {
      const db = await index(chain.logs, blockEnd);
      expect(db.rows("mirrorCheck")).toEqual([]);
      const s = chain.state;
      const [ex] = db.rows("exchange");
      expect(ex).toMatchObject({
        insuranceFund: s.insuranceFund,
        accountCount: s.accountCount,
        marketCount: 2n,
        maxPriceAge: 60n,
      });
      for (const m of s.markets) {
        const row = db.find(schemaTables.market, { exchange: KEY.id, marketId: m.marketId });
        expect(row).toMatchObject({
          symbol: m.symbol,
          skew: m.state.skew,
          sizeLong: m.state.sizeLong,
          sizeShort: m.state.sizeShort,
          fundingRate: m.state.lastFundingRate,
          fundingIndex: m.state.lastFundingIndex,
          fundingTime: m.state.lastFundingTime,
          badDebt: m.state.badDebt,
          price: s.oracle.prices[m.marketId.toString()]!.price,
        });
      }
      for (const a of Object.values(s.accounts)) {
        const row = db.find(schemaTables.account, { exchange: KEY.id, accountId: a.accountId })!;
        expect(row).toMatchObject({
          owner: a.owner,
          collateral: a.collateral,
          openMarkets: a.openMarkets,
        });
        for (const m of s.markets) {
          const p = getPosition(s, a.accountId, m.marketId);
          const prow = db.find(schemaTables.position, {
            exchange: KEY.id,
            accountId: a.accountId,
            marketId: m.marketId,
          });
          expect(prow?.size ?? 0n).toBe(p.size);
          if (p.size !== 0n)
            expect(prow).toMatchObject({
              lastPrice: p.lastPrice,
              lastFundingIndex: p.lastFundingIndex,
            });
          for (const isLong of [true, false]) {
            const r = getAdlRecord(s, a.accountId, m.marketId, isLong);
            const rrow = db.find(schemaTables.badDebt, {
              exchange: KEY.id,
              accountId: a.accountId,
              marketId: m.marketId,
              isLong,
            });
            expect({ size: rrow?.size ?? 0n, debt: rrow?.debt ?? 0n }).toEqual(r);
          }
        }
      }
      // Health as of the last touch: account 2's last touch is its ADL fill, in the last block.
      const row2 = db.find(schemaTables.account, { exchange: KEY.id, accountId: 2n })!;
      const h = accountHealth(s, 2n, row2.healthTimestamp as bigint);
      expect(h.ok && row2).toMatchObject(h.ok ? h.value : {});
      // History: one row per position change, liquidation and fill.
      expect(db.rows("positionChange").length).toBe(
        chain.logs.filter((l) => l.name === "PositionModified").length,
      );
      expect(db.rows("liquidation").length).toBe(1);
    },
  );

  it("a field the chain emitted differently is one mirror_check row, and the chain's value wins", async () => {
    const logs = chain.logs.map((l) => ({ ...l }));
    const i = logs.findIndex((l) => l.name === "FundingUpdated" && l.blockNumber > 3n);
    const original = logs[i]! as AnyChainEvent & { name: "FundingUpdated" };
    logs[i] = {
      ...original,
      args: { ...original.args, fundingIndex: original.args.fundingIndex + 7n },
    };
    const db = await index(logs.slice(0, i + 1));
    expect(db.rows("mirrorCheck")).toEqual([
      expect.objectContaining({
        eventName: "FundingUpdated",
        field: "fundingIndex",
        chainValue: String(original.args.fundingIndex + 7n),
        mirrorValue: String(original.args.fundingIndex),
      }),
    ]);
    const m = db.find(schemaTables.market, { exchange: KEY.id, marketId: original.args.marketId });
    expect(m?.fundingIndex).toBe(original.args.fundingIndex + 7n);
  });

  it("a call the mirror cannot replay is a revert row, and the chain's post-state is applied", async () => {
    // Without the first account's creation, its deposit cannot be replayed.
    const created = chain.logs.findIndex((l) => l.name === "AccountCreated");
    const logs = chain.logs.filter((_, j) => j !== created);
    const deposit = logs.find((l) => l.name === "CollateralModified")!;
    const db = await index(logs.slice(0, logs.indexOf(deposit) + 1));
    const checks = db.rows("mirrorCheck");
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({
      eventName: "CollateralModified",
      field: "revert",
      chainValue: "success",
    });
    expect(String(checks[0]?.mirrorValue)).toMatch(/^AccountNotFound/);
    const row = db.find(schemaTables.account, { exchange: KEY.id, accountId: 1n });
    expect(row?.collateral).toBe((deposit.args as { newCollateral: bigint }).newCollateral);
  });

  it("a log the chain never emitted is reported, and one the engine did not predict", async () => {
    const fee = chain.logs.findIndex(
      (l) => l.name === "InsuranceFundUpdated" && (l.args as { reason: number }).reason === 0,
    );
    const dropped = chain.logs.filter((_, j) => j !== fee);
    const db = await index(dropped);
    const fields = db.rows("mirrorCheck").map((r) => `${r.eventName}:${r.field}`);
    // The funding log arrives where the fee log was expected: the fee is missing, the
    // funding log is still checked (and matches).
    expect(fields).toEqual(["FundingUpdated:missing:InsuranceFundUpdated"]);
    // And a log nobody predicted: a second copy of a price push.
    const price = chain.logs.findIndex((l) => l.name === "FundingUpdated" && l.blockNumber === 4n);
    const extra = { ...chain.logs[price]!, id: `${chain.logs[price]!.id}x`, logIndex: 999 };
    const db2 = await index([...chain.logs.slice(0, price + 1), extra as AnyChainEvent]);
    expect(
      db2.rows("mirrorCheck").map((r) => `${r.eventName}:${r.field}:${r.mirrorValue}`),
    ).toEqual(["FundingUpdated:event:none"]);
  });
});
