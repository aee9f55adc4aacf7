import { describe, expect, it } from "vitest";
import { perpExchangeAbi, priceOracleAbi } from "../contracts/generated/index.js";
import { EVENT_CONTRACT } from "../engine/index.js";
import { BLOCK_END } from "./contracts.js";
import { REFERENCE_EVENTS, referencePlugin, toChainEvent } from "./plugin.js";

const abiEvents = (contract: string, abi: readonly { type: string; name?: string }[]) =>
  abi.filter((x) => x.type === "event").map((x) => `${contract}:${x.name}`);

describe("reference plugin", () => {
  it("has a handler for every event of both contracts and the block end, and nothing else", () => {
    const expected = [
      ...abiEvents("PerpExchange", perpExchangeAbi),
      ...abiEvents("PriceOracle", priceOracleAbi),
    ].sort();
    expect([...REFERENCE_EVENTS].sort()).toEqual(expected);
    expect(Object.keys(referencePlugin().handlers).sort()).toEqual(
      [...expected, `${BLOCK_END}:block`].sort(),
    );
    expect(Object.keys(referencePlugin({ blockEnd: false }).handlers).sort()).toEqual(expected);
  });

  it("every event is one the exact engine emits, from the same contract", () => {
    for (const name of REFERENCE_EVENTS) {
      const [contract, event] = name.split(":") as [string, keyof typeof EVENT_CONTRACT];
      expect(EVENT_CONTRACT[event]).toBe(contract);
    }
  });

  it("declares both contracts at the deployment's addresses and start block", () => {
    const contracts = referencePlugin().contracts({
      chain: "perpwatch",
      exchange: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
      oracle: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
      startBlock: 7,
    });
    expect(contracts.PerpExchange).toMatchObject({
      abi: perpExchangeAbi,
      chain: "perpwatch",
      address: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
      startBlock: 7,
    });
    expect(contracts.PriceOracle.abi).toBe(priceOracleAbi);
  });

  it("turns Ponder's event into the mirror's, addresses lowercased", () => {
    const ev = toChainEvent("PerpExchange:AccountCreated", {
      id: "evt-1",
      args: { accountId: 3n, owner: "0xAbCdEf0000000000000000000000000000000001" },
      block: { number: 12n, hash: "0xb1", timestamp: 1_000n },
      log: { logIndex: 4 },
      transaction: { hash: "0xt1" },
    } as never);
    expect(ev).toEqual({
      id: "evt-1",
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
