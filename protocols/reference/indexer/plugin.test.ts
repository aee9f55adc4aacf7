import { describe, expect, it } from "vitest";
import type { ExchangeConfig } from "../../protocol.js";
import { perpExchangeAbi, priceOracleAbi } from "../contracts/generated/index.js";
import { EVENT_CONTRACT } from "../engine/index.js";
import { reference } from "../protocol.js";
import { BLOCK_END } from "./contracts.js";
import { REFERENCE_EVENTS, toChainEvent } from "./plugin.js";

const EXCHANGES: ExchangeConfig[] = [
  {
    id: "one",
    protocol: "reference",
    chain: { id: 31337, name: "perpwatch", rpcUrl: "http://127.0.0.1:8545" },
    addresses: {
      exchange: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
      oracle: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
    },
    startBlock: 7,
  },
  {
    id: "two",
    protocol: "reference",
    chain: { id: 31338, name: "perpwatch-31338", rpcUrl: "http://127.0.0.1:8546" },
    addresses: {
      exchange: "0x1111111111111111111111111111111111111111",
      oracle: "0x2222222222222222222222222222222222222222",
    },
    startBlock: 1,
  },
];

const abiEvents = (contract: string, abi: readonly { type: string; name?: string }[]) =>
  abi.filter((x) => x.type === "event").map((x) => `${contract}:${x.name}`);

describe("reference plugin", () => {
  it("has a handler for every event of both contracts and the block end, and nothing else", () => {
    const expected = [
      ...abiEvents("PerpExchange", perpExchangeAbi),
      ...abiEvents("PriceOracle", priceOracleAbi),
    ].sort();
    expect([...REFERENCE_EVENTS].sort()).toEqual(expected);
    expect(Object.keys(reference.handlers(EXCHANGES, { blockEnd: true })).sort()).toEqual(
      [...expected, `${BLOCK_END}:block`].sort(),
    );
    expect(Object.keys(reference.handlers(EXCHANGES, { blockEnd: false })).sort()).toEqual(
      expected,
    );
  });

  it("every event is one the exact engine emits, from the same contract", () => {
    for (const name of REFERENCE_EVENTS) {
      const [contract, event] = name.split(":") as [string, keyof typeof EVENT_CONTRACT];
      expect(EVENT_CONTRACT[event]).toBe(contract);
    }
  });

  it("declares both contracts on every exchange's chain, at its addresses and start block", () => {
    const contracts = reference.contracts(EXCHANGES) as Record<string, unknown>;
    expect(contracts.PerpExchange).toEqual({
      abi: perpExchangeAbi,
      chain: {
        perpwatch: { address: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0", startBlock: 7 },
        "perpwatch-31338": { address: "0x1111111111111111111111111111111111111111", startBlock: 1 },
      },
    });
    expect(contracts.PriceOracle).toMatchObject({
      abi: priceOracleAbi,
      chain: { "perpwatch-31338": { address: "0x2222222222222222222222222222222222222222" } },
    });
    expect(reference.blocks(EXCHANGES, { blockEnd: false })).toEqual({});
    expect(reference.blocks(EXCHANGES, { blockEnd: true })).toEqual({
      [BLOCK_END]: {
        chain: {
          perpwatch: { startBlock: 7, interval: 1 },
          "perpwatch-31338": { startBlock: 1, interval: 1 },
        },
      },
    });
  });

  it("uses Ponder's plain form for a single exchange (measurably faster to index)", () => {
    const contracts = reference.contracts([EXCHANGES[0]!]) as Record<string, unknown>;
    expect(contracts.PerpExchange).toEqual({
      abi: perpExchangeAbi,
      chain: "perpwatch",
      address: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
      startBlock: 7,
    });
    expect(reference.blocks([EXCHANGES[0]!], { blockEnd: true })).toEqual({
      [BLOCK_END]: { chain: "perpwatch", startBlock: 7, interval: 1 },
    });
  });

  it("turns Ponder's event into the mirror's, addresses lowercased", () => {
    const ev = toChainEvent("PerpExchange:AccountCreated", "one", {
      id: "evt-1",
      args: { accountId: 3n, owner: "0xAbCdEf0000000000000000000000000000000001" },
      block: { number: 12n, hash: "0xb1", timestamp: 1_000n },
      log: { logIndex: 4 },
      transaction: { hash: "0xt1" },
    } as never);
    expect(ev).toEqual({
      id: "evt-1",
      exchange: "one",
      name: "AccountCreated",
      args: { accountId: 3n, owner: "0xabcdef0000000000000000000000000000000001" },
      blockNumber: 12n,
      blockHash: "0xb1",
      timestamp: 1_000n,
      logIndex: 4,
      txHash: "0xt1",
    });
  });
});
