/** Every hand-written event signature is the one the shipped artifact declares (same topic0, same indexed flags). */
import { type AbiEvent, toEventSelector } from "viem";
import { describe, expect, it } from "vitest";
import { curie } from "../devnet/artifacts.js";
import { CURIE_EVENT_ABIS, type CurieContract } from "./events.js";

const ARTIFACT_OF: Partial<Record<CurieContract, () => { abi: readonly unknown[] }>> = {
  ClearingHouse: curie.ClearingHouse,
  AccountBalance: curie.AccountBalance,
  Exchange: curie.Exchange,
  Vault: curie.Vault,
  InsuranceFund: curie.InsuranceFund,
  CollateralManager: curie.CollateralManager,
  MarketRegistry: curie.MarketRegistry,
  ClearingHouseConfig: curie.ClearingHouseConfig,
  BaseToken: curie.BaseToken,
  Pool: curie.UniswapV3Pool,
  PriceFeed: curie.ChainlinkPriceFeedV3,
  PriceFeedDispatcher: curie.PriceFeedDispatcher,
};

describe("Curie event signatures", () => {
  for (const [contract, load] of Object.entries(ARTIFACT_OF)) {
    it(`${contract} matches its artifact`, () => {
      const shipped = (load!().abi as AbiEvent[]).filter((e) => e.type === "event");
      for (const ours of CURIE_EVENT_ABIS[contract as CurieContract] as readonly AbiEvent[]) {
        const theirs = shipped.find((e) => e.name === ours.name);
        expect(theirs, `${contract}.${ours.name}`).toBeDefined();
        expect(toEventSelector(ours)).toBe(toEventSelector(theirs!));
        expect(ours.inputs.map((i) => [i.name, i.indexed ?? false])).toEqual(
          theirs!.inputs.map((i) => [i.name, i.indexed ?? false]),
        );
      }
    });
  }
});
