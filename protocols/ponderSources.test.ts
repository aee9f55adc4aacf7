import { describe, expect, it } from "vitest";
import { blockSource, contractSource } from "./ponderSources.js";
import type { ExchangeConfig } from "./protocol.js";

const x = (id: string, chainId: number, name: string, start: number): ExchangeConfig => ({
  id,
  protocol: "p",
  chain: { id: chainId, name, rpcUrl: "http://127.0.0.1:1" },
  addresses: { main: `0x${String(chainId).padStart(40, "0")}` },
  startBlock: start,
});

describe("Ponder sources over the exchanges' chains", () => {
  it("use Ponder's plain form for one exchange", () => {
    const one = [x("a", 1, "perpwatch", 5)];
    expect(contractSource(one, "main")).toEqual({
      chain: "perpwatch",
      address: `0x${"1".padStart(40, "0")}`,
      startBlock: 5,
    });
    expect(blockSource(one)).toEqual({ chain: "perpwatch", startBlock: 5, interval: 1 });
  });

  it("go by chain for several", () => {
    const two = [x("a", 1, "perpwatch", 5), x("b", 2, "perpwatch-2", 9)];
    expect(contractSource(two, "main")).toEqual({
      chain: {
        perpwatch: { address: `0x${"1".padStart(40, "0")}`, startBlock: 5 },
        "perpwatch-2": { address: `0x${"2".padStart(40, "0")}`, startBlock: 9 },
      },
    });
    expect(blockSource(two, 10)).toEqual({
      chain: {
        perpwatch: { startBlock: 5, interval: 10 },
        "perpwatch-2": { startBlock: 9, interval: 10 },
      },
    });
  });
});
