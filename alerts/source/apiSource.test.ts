/**
 * The source module against a real GraphQL server built from the repository's
 * `schema.graphql` (test/alerts/support/fakeApi.ts): every query the worker sends must be
 * valid against the schema, and what comes back must be the observation that was served.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "../../runtime/apiClient.js";
import { type FakeApi, startFakeApi } from "../../test/alerts/support/fakeApi.js";
import { captureLogger } from "../../test/alerts/support/logs.js";
import { cascade, observation, withMarket } from "../../test/alerts/support/observations.js";
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
  obs = withMarket(obs, "ETH", {
    cascades: [cascade(-0.1, 1.8, 4e5)],
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
    await source.observe(blockNeeds);
    const got = await source.observe(blockNeeds);
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
    const stress = await source.observe(needsOf(stressRules));
    expect(stress.stress!.points.map((p) => p.shock)).toEqual(
      (stressRules[0] as { shocks: number[] }).shocks,
    );
    expect(stress.stress!.points[0]).toMatchObject({
      shock: -0.2,
      badDebt: 2e5,
      uncoveredBadDebt: 1.5e5,
    });
    expect(stress.markets).toBeUndefined();
    expect(stress.topAccounts).toBeUndefined();
    const v = await source.observe(needsOf(cfg.rules.filter((r) => r.schedule === "var")));
    expect(v.varLar).toEqual(served.varLar);

    const global = await source.observe({ ...needsOf([]), correlatedShocks: [-0.1] });
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
    const dead = rpcChainHashes("http://127.0.0.1:9/rpc", 500);
    expect((await dead.hashes([1n])).get(1n)).toBeNull();
  });
});

describe("block feed", () => {
  it("subscribes over server-sent events and reports each new block once", async () => {
    const { logger, lines } = captureLogger();
    const feed = createBlockFeed({
      api: createApiClient({ url: api.graphqlUrl }),
      mode: "auto",
      pollIntervalMs: 250,
      logger,
    });
    const seen: bigint[] = [];
    feed.start((b) => seen.push(b));
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
      mode: "auto",
      pollIntervalMs: 50,
      logger,
    });
    const seen: bigint[] = [];
    feed.start((b) => seen.push(b));
    api.publish(observation(500));
    await expect.poll(() => seen.at(-1)).toBe(500n);
    expect(feed.via).toBe("poll");
    api.publish(observation(501));
    await expect.poll(() => seen.at(-1)).toBe(501n);
    await feed.stop();
    expect(lines.some((l) => /polling indexingStatus every 50 ms/.test(l.msg))).toBe(true);
  });
});
