/**
 * The source module against a real GraphQL server built from the repository's
 * `schema.graphql` (test/alerts/support/fakeApi.ts): every query the worker sends must be
 * valid against the schema, and what comes back must be the observation that was served.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "../../runtime/apiClient.js";
import { type FakeApi, startFakeApi } from "../../test/alerts/support/fakeApi.js";
import { captureLogger } from "../../test/alerts/support/logs.js";
import {
  cascade,
  DEFAULT_EXCHANGE,
  observation,
  withMarket,
} from "../../test/alerts/support/observations.js";
import { loadAlertsConfig } from "../config/alertsConfig.js";
import { needsOf } from "../evaluate/evaluate.js";
import type { RiskObservation } from "../observation.js";
import { createApiSource } from "./apiSource.js";
import { createBlockFeed } from "./blockFeed.js";
import { rpcChainHashes } from "./chainHashes.js";

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi(observation(100));
});
afterAll(async () => {
  await api?.close();
});

function rich(block: number): RiskObservation {
  let obs = observation(block, {
    correlatedCascades: [cascade(-0.1, 1.4, 2e6)],
    liquidations: Array.from({ length: 1500 }, (_, i) => ({
      id: `l${i}`,
      accountId: String(i),
      notional: 1000 + i,
      badDebt: i % 2,
      insuranceCovered: 0,
      blockNumber: BigInt(block - Math.floor(i / 10)),
      timestamp: 1_700_000_000 + block - 100 - Math.floor(i / 10),
    })),
    topAccounts: [
      {
        id: "9",
        marginRatio: 0.95,
        notional: 3e6,
        equity: 2e5,
        liquidatable: false,
        positions: [{ marketId: "2", notional: 3e6 }],
      },
      { id: "4", marginRatio: null, notional: 1e6, equity: -5, liquidatable: true, positions: [] },
    ],
    stress: {
      withImpact: true,
      points: [
        {
          shock: -0.2,
          liquidatedNotional: 5e6,
          badDebt: 2e5,
          uncoveredBadDebt: 1.5e5,
          amplification: 1.3,
        },
        { shock: 0.1, liquidatedNotional: 1e5, badDebt: 0, uncoveredBadDebt: 0, amplification: 1 },
      ],
    },
    varLar: {
      paths: 2000,
      seed: 1,
      badDebtVar95: 10,
      badDebtVar99: 20,
      liquidationsLar95: 30,
      liquidationsLar99: 40,
    },
    mirror: { eventsChecked: 12345, divergenceCount: 2 },
  });
  // Every market's cascade at the shock the default pack's cascade rules ask for (5%).
  obs = {
    ...obs,
    markets: obs.markets!.map((m) => ({
      ...m,
      cascades: (m.cascades ?? []).map((c) => ({ ...c, shock: -0.05 })),
    })),
  };
  obs = withMarket(obs, "ETH", {
    cascades: [cascade(-0.05, 1.8, 4e5)],
    fundingRate: -0.0123,
    priceTime: 1_700_000_000,
  });
  return obs;
}

describe("API source", () => {
  it("asks only for what the rules need, and reads back exactly the observation served", async () => {
    const cfg = loadAlertsConfig({
      overrides: { receivers: { x: { type: "webhook", url: "http://127.0.0.1:9/" } } },
    });
    const source = createApiSource({
      api: createApiClient({ url: api.graphqlUrl }),
      chain: rpcChainHashes(api.rpcUrl),
      now: () => 42,
    });
    const served = rich(200);
    api.publish(served);
    const blockNeeds = needsOf(cfg.rules.filter((r) => r.schedule === "block"));
    // Twice: the first call learns the market ids, the second runs the per-market fields
    // in parallel with the core query.
    await source.observe(DEFAULT_EXCHANGE, blockNeeds);
    const got = await source.observe(DEFAULT_EXCHANGE, blockNeeds);
    expect(got.exchangeId).toBe(DEFAULT_EXCHANGE);
    expect(got.watchedExchanges).toEqual([DEFAULT_EXCHANGE]);
    expect(got.block).toEqual(served.block);
    expect(got.observedAtMs).toBe(42);
    expect(got.markets).toEqual(served.markets);
    expect(got.exchange).toEqual(served.exchange);
    expect(got.indexing).toEqual(served.indexing);
    expect(got.mirror).toEqual(served.mirror);
    expect(got.topAccounts).toEqual(served.topAccounts!.slice(0, blockNeeds.topAccounts));
    // The 60-s window reaches 61 blocks back: the second page was fetched, not the third.
    expect(got.liquidations!.length).toBe(1000);
    expect(got.liquidations![0]).toEqual(served.liquidations![0]);
    expect(got.stress).toBeUndefined();
    expect(got.varLar).toBeUndefined();

    const stressRules = cfg.rules.filter((r) => r.schedule === "stress");
    const stress = await source.observe(DEFAULT_EXCHANGE, needsOf(stressRules));
    // One grid: the union of the stress rules' shocks, in their order.
    const shocks = stressRules.flatMap((r) => (r as { shocks: number[] }).shocks);
    expect(stress.stress!.points.map((p) => p.shock)).toEqual([...new Set(shocks)]);
    expect(stress.stress!.points[0]).toMatchObject({
      shock: -0.2,
      badDebt: 2e5,
      uncoveredBadDebt: 1.5e5,
    });
    // The markets' prices: insurance-coverage-critical's realized volatility reads them.
    expect(stress.markets).toBeDefined();
    expect(stress.topAccounts).toBeUndefined();
    const v = await source.observe(
      DEFAULT_EXCHANGE,
      needsOf(cfg.rules.filter((r) => r.schedule === "var")),
    );
    expect(v.varLar).toEqual(served.varLar);

    const global = await source.observe(DEFAULT_EXCHANGE, {
      ...needsOf([]),
      correlatedShocks: [-0.1],
    });
    expect(global.correlatedCascades).toEqual(served.correlatedCascades);
  });

  it("block hashes come from the chain's JSON-RPC; unknown blocks are null", async () => {
    api.publish(observation(300));
    api.setHash(299n, "0xfeed");
    const chain = rpcChainHashes(api.rpcUrl);
    const h = await chain.hashes([299n, 300n, 301n]);
    expect(h.get(299n)).toBe("0xfeed");
    expect(h.get(300n)).toBe(observation(300).block.hash);
    expect(h.get(301n)).toBeNull();
    expect(await chain.chainId()).toBe(31337);
    const dead = rpcChainHashes("http://127.0.0.1:9/rpc", 500);
    expect((await dead.hashes([1n])).get(1n)).toBeNull();
    expect(await dead.chainId()).toBeNull();
  });

  it("two exchanges: each observed on its own, every query naming its exchange", async () => {
    const two = await startFakeApi(observation(10), {
      exchanges: [
        { id: "ref", chainId: 31337 },
        { id: "tw", chainId: 8453 },
      ],
    });
    try {
      two.publish({
        ...withMarket(observation(700), "ETH", { skewRatio: 0.7 }),
        exchangeId: "ref",
      });
      two.publish({ ...rich(40), exchangeId: "tw" });
      const source = createApiSource({
        api: createApiClient({ url: two.graphqlUrl }),
        chain: rpcChainHashes(two.rpcUrl),
      });
      expect(await source.exchanges()).toEqual(["ref", "tw"]);
      // Every kind of document (the fake refuses a field without `exchange`, as the API does).
      const cfg = loadAlertsConfig({
        overrides: { receivers: { x: { type: "webhook", url: "http://127.0.0.1:9/" } } },
      });
      const all = needsOf(cfg.rules);
      const [ref, tw] = await Promise.all([source.observe("ref", all), source.observe("tw", all)]);
      expect([ref.exchangeId, ref.block.number]).toEqual(["ref", 700n]);
      expect([tw.exchangeId, tw.block.number]).toEqual(["tw", 40n]);
      expect(ref.watchedExchanges).toEqual(["ref", "tw"]);
      expect(ref.markets!.find((m) => m.symbol === "ETH")!.skewRatio).toBe(0.7);
      expect(tw.markets!.find((m) => m.symbol === "ETH")!.fundingRate).toBe(-0.0123);
      expect(tw.liquidations!.length).toBeGreaterThan(500);
      expect(tw.stress!.points.find((p) => p.shock === -0.2)).toMatchObject({ badDebt: 2e5 });
      expect(ref.stress!.points.find((p) => p.shock === -0.2)).toMatchObject({ badDebt: 0 });
      // The RPC is chain 31337's: its hashes are ref's, never tw's (another chain's blocks).
      expect(ref.block.hash).toBe(observation(700).block.hash);
      expect(tw.block.hash).toBeNull();
      expect((await source.blockHashes("tw", [40n])).get(40n)).toBeNull();
      expect((await source.blockHashes("ref", [700n])).get(700n)).toBe(observation(700).block.hash);
    } finally {
      await two.close();
    }
  });
});

describe("block feed", () => {
  it("subscribes over server-sent events and reports each new block once", async () => {
    const { logger, lines } = captureLogger();
    const feed = createBlockFeed({
      api: createApiClient({ url: api.graphqlUrl }),
      exchanges: async () => [DEFAULT_EXCHANGE],
      mode: "auto",
      pollIntervalMs: 250,
      logger,
    });
    const seen: bigint[] = [];
    feed.start((_x, b) => seen.push(b));
    await expect.poll(() => feed.via).toBe("sse");
    for (const b of [401, 402, 402, 403]) api.publish(observation(b));
    // The block seen at connect time (one query after subscribing), then each pushed block once.
    await expect.poll(() => seen.slice(-3)).toEqual([401n, 402n, 403n]);
    expect(seen.length).toBeLessThanOrEqual(4);
    await feed.stop();
    expect(
      lines.some((l) => /subscribed to new blocks .* \(server-sent events\)/.test(l.msg)),
    ).toBe(true);
  });

  it("falls back to polling indexingStatus when the API has no subscription", async () => {
    const { logger, lines } = captureLogger();
    const client = createApiClient({ url: api.graphqlUrl });
    // An API whose URL answers queries but refuses event streams, as a server without the
    // subscription would: the SSE request goes to a path yoga does not serve (404).
    const noSse = { ...client, url: `${api.url}/no-such-endpoint` };
    const feed = createBlockFeed({
      api: { url: noSse.url, query: client.query },
      exchanges: async () => [DEFAULT_EXCHANGE],
      mode: "auto",
      pollIntervalMs: 50,
      logger,
    });
    const seen: bigint[] = [];
    feed.start((_x, b) => seen.push(b));
    api.publish(observation(500));
    await expect.poll(() => seen.at(-1)).toBe(500n);
    expect(feed.via).toBe("poll");
    api.publish(observation(501));
    await expect.poll(() => seen.at(-1)).toBe(501n);
    await feed.stop();
    expect(lines.some((l) => /polling indexingStatus every 50 ms/.test(l.msg))).toBe(true);
  });

  it("follows each exchange on its own stream and says whose block it is", async () => {
    const two = await startFakeApi(observation(10), { exchanges: ["ref", "tw"] });
    const { logger, lines } = captureLogger();
    const feed = createBlockFeed({
      api: createApiClient({ url: two.graphqlUrl }),
      exchanges: async () => ["ref", "tw"],
      mode: "auto",
      pollIntervalMs: 250,
      logger,
    });
    const seen: string[] = [];
    try {
      feed.start((x, b) => seen.push(`${x}@${b}`));
      await expect.poll(() => feed.via).toBe("sse");
      await expect
        .poll(() => lines.filter((l) => /subscribed to new blocks of exchange/.test(l.msg)).length)
        .toBe(2);
      two.publish({ ...observation(801), exchangeId: "tw" });
      two.publish({ ...observation(51), exchangeId: "ref" });
      two.publish({ ...observation(802), exchangeId: "tw" });
      await expect.poll(() => seen.slice(-3).sort()).toEqual(["ref@51", "tw@801", "tw@802"]);
    } finally {
      await feed.stop();
      await two.close();
    }
  });
});
