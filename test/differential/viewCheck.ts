/**
 * Every view the contracts expose, as a list of (chain call, engine answer) pairs for the
 * current mirrored state: exchange globals, each market (struct, funding index, rate,
 * velocity, fill price, oracle price) including one id past the last market (whose funding
 * views revert), each account (struct, health, liquidatability, every position and ADL
 * record), the oracle's updaters and the exchange's token balance.
 */
import type { Abi } from "viem";
import {
  mockUSDAbi,
  perpExchangeAbi,
  priceOracleAbi,
} from "../../protocols/reference/contracts/generated/index.js";
import {
  accountHealth,
  canLiquidate,
  currentFundingRate,
  type ExchangeState,
  fillPriceView,
  fundingIndex,
  getAccount,
  getAdlRecord,
  getFundingVelocity,
  getMarket,
  getPosition,
  getPrice,
  type ViewResult,
} from "../../protocols/reference/engine/index.js";
import type { DiffChain, ViewCall, ViewReply } from "./chainHarness.js";
import { engineErrorArgs } from "./chainHarness.js";

export interface ViewPair {
  call: ViewCall;
  engine: () => ViewReply;
}

const okv = (value: unknown): ViewReply => ({ ok: true, value });
function fromResult<T>(r: ViewResult<T>, shape: (v: T) => unknown = (v) => v): ViewReply {
  return r.ok
    ? { ok: true, value: shape(r.value) }
    : {
        ok: false,
        error: {
          name: r.error.name,
          args: engineErrorArgs(r.error.name, r.error.args as Record<string, unknown>),
        },
      };
}

export function viewPairs(chain: DiffChain, s: ExchangeState, now: bigint): ViewPair[] {
  const d = chain.deployment;
  const ex = (functionName: string, args: readonly unknown[], key = functionName) => ({
    key: `${key}(${args.join(",")})`,
    to: d.exchange,
    abi: perpExchangeAbi as Abi,
    functionName,
    args,
  });
  const pairs: ViewPair[] = [
    { call: ex("owner", []), engine: () => okv(s.owner) },
    { call: ex("maxPriceAge", []), engine: () => okv(s.maxPriceAge) },
    { call: ex("insuranceFund", []), engine: () => okv(s.insuranceFund) },
    { call: ex("marketCount", []), engine: () => okv(BigInt(s.markets.length)) },
    { call: ex("accountCount", []), engine: () => okv(s.accountCount) },
    {
      call: {
        key: "token.balanceOf(exchange)",
        to: d.collateralToken,
        abi: mockUSDAbi as Abi,
        functionName: "balanceOf",
        args: [d.exchange],
      },
      engine: () => okv(s.tokenBalance),
    },
  ];
  const actors = [chain.actors.owner, chain.actors.oracleKeeper, ...chain.actors.traders];
  for (const a of actors) {
    pairs.push({
      call: {
        key: `oracle.isUpdater(${a})`,
        to: d.oracle,
        abi: priceOracleAbi as Abi,
        functionName: "isUpdater",
        args: [a],
      },
      engine: () => okv(s.oracle.updaters[a] ?? false),
    });
  }
  const marketCount = BigInt(s.markets.length);
  for (let id = 1n; id <= marketCount + 1n; id++) {
    pairs.push(
      {
        call: ex("getMarket", [id]),
        engine: () => {
          const m = getMarket(s, id);
          return okv({ symbol: m.symbol, params: m.params, state: m.state });
        },
      },
      { call: ex("fundingIndex", [id]), engine: () => fromResult(fundingIndex(s, id, now)) },
      {
        call: ex("currentFundingRate", [id]),
        engine: () => fromResult(currentFundingRate(s, id, now)),
      },
      { call: ex("fundingVelocity", [id]), engine: () => fromResult(getFundingVelocity(s, id)) },
      {
        call: {
          key: `oracle.getPrice(${id})`,
          to: d.oracle,
          abi: priceOracleAbi as Abi,
          functionName: "getPrice",
          args: [id],
        },
        engine: () => {
          const p = getPrice(s, id);
          return okv([p.price, p.publishTime]);
        },
      },
    );
    for (const size of [10n ** 18n, -(10n ** 21n)]) {
      pairs.push({
        call: ex("fillPrice", [id, size]),
        engine: () => fromResult(fillPriceView(s, id, size, now)),
      });
    }
  }
  for (let id = 1n; id <= s.accountCount + 1n; id++) {
    pairs.push(
      {
        call: ex("getAccount", [id]),
        engine: () => {
          const a = getAccount(s, id);
          return okv([a.owner, a.collateral, a.openMarkets]);
        },
      },
      {
        call: ex("accountHealth", [id]),
        engine: () =>
          fromResult(accountHealth(s, id, now), (h) => [
            h.equity,
            h.initialMargin,
            h.maintenanceMargin,
            h.notional,
          ]),
      },
      { call: ex("canLiquidate", [id]), engine: () => fromResult(canLiquidate(s, id, now)) },
    );
    for (let m = 1n; m <= marketCount; m++) {
      pairs.push(
        { call: ex("getPosition", [id, m]), engine: () => okv(getPosition(s, id, m)) },
        {
          call: ex("getAdlRecord", [id, m, true]),
          engine: () => okv(getAdlRecord(s, id, m, true)),
        },
        {
          call: ex("getAdlRecord", [id, m, false]),
          engine: () => okv(getAdlRecord(s, id, m, false)),
        },
      );
    }
  }
  return pairs;
}
