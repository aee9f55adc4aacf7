import { describe, expect, it } from "vitest";
import { observation } from "../../test/alerts/support/observations.js";
import type { ChainHistory } from "../source/historySource.js";
import { fundAt, missedRange, pendingAt, replayObservations } from "./catchUp.js";

const last = { exchange: "reference-31337", number: 100n, timestamp: 1_000 };

const history: ChainHistory = {
  liquidations: [
    {
      id: "b",
      accountId: "2",
      notional: 50,
      badDebt: 30,
      insuranceCovered: 0,
      blockNumber: 105n,
      timestamp: 1_012,
    },
    {
      id: "a",
      accountId: "1",
      notional: 40,
      badDebt: 0,
      insuranceCovered: 0,
      blockNumber: 99n,
      timestamp: 998,
    },
  ],
  adl: [{ blockNumber: 108n, timestamp: 1_016, lossAbsorbed: 20 }],
  ledger: [
    { blockNumber: 107n, timestamp: 1_014, delta: -5, balance: 45 },
    { blockNumber: 103n, timestamp: 1_006, delta: 10, balance: 50 },
  ],
};

describe("missedRange", () => {
  it("is the blocks between the last evaluated one and the head", () => {
    expect(missedRange(last, 110n, 1000)).toEqual({ from: 101n, to: 109n, skipped: 0n });
    expect(missedRange(last, 101n, 1000)).toBeNull();
    expect(missedRange(undefined, 110n, 1000)).toBeNull();
    expect(missedRange(last, 110n, 0)).toBeNull();
  });
  it("keeps the newest maxBlocks and counts the rest as skipped", () => {
    expect(missedRange(last, 110n, 4)).toEqual({ from: 106n, to: 109n, skipped: 5n });
  });
});

describe("replayed state", () => {
  it("undoes the ledger entries after a block to get the fund then", () => {
    expect(fundAt(102n, 45, history)).toBe(40);
    expect(fundAt(103n, 45, history)).toBe(50);
    expect(fundAt(107n, 45, history)).toBe(45);
  });
  it("bad debt waiting: the head's, less later liquidations' bad debt, plus later ADL", () => {
    // Head: 10 waiting (30 from block 105, 20 of it absorbed at 108).
    expect(pendingAt(104n, 10, history)).toBe(0);
    expect(pendingAt(105n, 10, history)).toBe(30);
    expect(pendingAt(108n, 10, history)).toBe(10);
  });
  it("gives each missed block its time (exact where history has it) and its liquidations", () => {
    const head = observation(110);
    head.block.timestamp = 1_020;
    head.exchange!.pendingBadDebt = 10;
    const obs = replayObservations(head, last, { from: 101n, to: 109n, skipped: 0n }, history);
    expect(obs.map((o) => o.block.number)).toEqual([
      101n,
      102n,
      103n,
      104n,
      105n,
      106n,
      107n,
      108n,
      109n,
    ]);
    expect(obs.map((o) => o.block.timestamp)).toEqual([
      1_002, 1_004, 1_006, 1_008, 1_012, 1_012, 1_014, 1_016, 1_018,
    ]);
    expect(obs[3]!.liquidations!.map((l) => l.id)).toEqual(["a"]);
    expect(obs[4]!.liquidations!.map((l) => l.id)).toEqual(["b", "a"]);
    expect(obs[4]!.exchange!.pendingBadDebt).toBe(30);
    expect(obs[0]!.markets).toBeUndefined();
  });
});
