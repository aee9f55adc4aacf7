/**
 * Test support: a real GraphQL API over HTTP, built with graphql-yoga from the repository's
 * own `schema.graphql`, that serves recorded observations instead of a live index.
 *
 * Why: the alert worker's end-to-end tests (receiver outage, SIGKILL, reorg retraction,
 * latency) need the worker process to talk HTTP to something that speaks the API's schema —
 * the same queries, the same subscription over server-sent events — while the script decides
 * what the exchange looks like at each block. Queries the schema does not allow fail here as
 * they would against the real API. `/rpc` answers `eth_getBlockByNumber` with the script's
 * block hashes, so reorgs can be staged.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { createPubSub, createSchema, createYoga } from "graphql-yoga";
import type { CascadeOutcome, RiskObservation } from "../../../alerts/observation.js";
import { REPO_ROOT } from "../../../indexer/runPonder.js";

export interface FakeApi {
  url: string;
  graphqlUrl: string;
  rpcUrl: string;
  /** Sets the state at a block and announces the block on the subscription. */
  publish(obs: RiskObservation): void;
  /** The observation currently served. */
  current(): RiskObservation;
  /** Sets the canonical hash of a block (stage a reorg). */
  setHash(block: bigint, hash: string): void;
  /** Requests served per root field (how the worker queries). */
  readonly calls: Map<string, number>;
  /** Answers every request with this HTTP status (simulate an API outage); null = serve. */
  setDown(status: number | null): void;
  close(): Promise<void>;
}

const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());
const dec = (v: number) => (Number.isFinite(v) ? String(v) : "0");

function cascadeAnswer(c: CascadeOutcome | undefined, block: bigint) {
  return {
    block: block.toString(),
    rounds: [],
    liquidatedNotional: c?.liquidatedNotional ?? 0,
    liquidatedAccounts: c?.liquidatedAccounts ?? 0,
    badDebt: c?.badDebt ?? 0,
    insuranceCoverage: null,
    adlTriggered: c?.adlTriggered ?? false,
    amplification: c?.amplification ?? 1,
    converged: true,
    finalMoves: [],
  };
}

const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

export async function startFakeApi(initial: RiskObservation): Promise<FakeApi> {
  let state = initial;
  const hashes = new Map<bigint, string>();
  const calls = new Map<string, number>();
  let down: number | null = null;
  const pubsub = createPubSub<{ block: [RiskObservation] }>();
  const count = (field: string) => calls.set(field, (calls.get(field) ?? 0) + 1);

  const market = (m: NonNullable<RiskObservation["markets"]>[number]) => ({
    id: m.id,
    symbol: m.symbol,
    price: dec(m.price),
    priceTime: iso(m.priceTime),
    openInterestLong: "0",
    openInterestShort: "0",
    openInterestUsd: dec(m.openInterestUsd),
    skew: "0",
    skewRatio: m.skewRatio,
    funding: {
      rateNow: dec(m.fundingRate),
      rateAnnualized: dec(m.fundingRate * 365),
      ratePredictedNextHour: dec(m.fundingRate),
      velocity: dec(m.fundingVelocity),
      index: "0",
      lastCheckpoint: null,
    },
    pendingBadDebt: dec(m.pendingBadDebt),
    updatedBlock: state.block.number.toString(),
  });

  const summary = (obs: RiskObservation, marketId?: string) => {
    const ex = obs.exchange;
    const m = marketId ? obs.markets?.find((x) => x.id === marketId) : undefined;
    if (marketId && !m) throw new Error(`no market ${marketId}`);
    const within = m?.liquidatableWithin ??
      ex?.liquidatableWithin ?? { pct1: 0, pct3: 0, pct5: 0, pct10: 0 };
    return {
      block: obs.block.number.toString(),
      timestamp: iso(obs.block.timestamp),
      market: m ? market(m) : null,
      openInterestUsd: m ? m.openInterestUsd : (ex?.openInterestUsd ?? 0),
      accountsAtRisk: ex?.accountsAtRisk ?? 0,
      liquidatableWithin: within,
      insuranceFund: dec(ex?.insuranceFund ?? 0),
      pendingBadDebt: dec(ex?.pendingBadDebt ?? 0),
      amplificationAt10: ex?.amplificationAt10 ?? 1,
      adlLikely: ex?.adlLikely ?? false,
      maxAbsFundingRate: ex?.maxAbsFundingRate ?? 0,
    };
  };

  const resolvers = {
    Query: {
      riskSummary: (_: unknown, a: { marketId?: string }) => {
        count(a.marketId ? "riskSummary(market)" : "riskSummary");
        return summary(state, a.marketId);
      },
      indexingStatus: () => {
        count("indexingStatus");
        const i = state.indexing;
        return {
          chainHead: (i?.chainHead ?? state.block.number).toString(),
          indexedBlock: (i?.indexedBlock ?? state.block.number).toString(),
          lagBlocks: String(i?.lagBlocks ?? 0),
          lagSeconds: i?.lagSeconds ?? 0,
          live: i?.live ?? true,
        };
      },
      markets: () => {
        count("markets");
        return (state.markets ?? []).map(market);
      },
      liquidations: (_: unknown, a: { first: number; after?: string | null }) => {
        count("liquidations");
        const all = state.liquidations ?? [];
        const start = a.after ? Number(a.after) : 0;
        const page = all.slice(start, start + a.first);
        return {
          edges: page.map((l, i) => ({
            cursor: String(start + i + 1),
            node: {
              id: l.id,
              accountId: l.accountId,
              liquidator: "0x0000000000000000000000000000000000000001",
              equity: "0",
              maintenanceMargin: "0",
              notional: dec(l.notional),
              keeperReward: "0",
              penaltyToInsurance: "0",
              insuranceCovered: dec(l.insuranceCovered),
              badDebt: dec(l.badDebt),
              blockNumber: l.blockNumber.toString(),
              timestamp: iso(l.timestamp),
              transactionHash: "0x",
            },
          })),
          pageInfo: {
            hasNextPage: start + a.first < all.length,
            endCursor: page.length > 0 ? String(start + page.length) : null,
          },
        };
      },
      accounts: (_: unknown, a: { first: number }) => {
        count("accounts");
        const top = (state.topAccounts ?? []).slice(0, a.first);
        return {
          edges: top.map((acc) => ({
            cursor: acc.id,
            node: {
              id: acc.id,
              owner: "0x0000000000000000000000000000000000000002",
              collateral: "0",
              equity: dec(acc.equity),
              initialMargin: "0",
              maintenanceMargin: "0",
              notional: dec(acc.notional),
              marginRatio: acc.marginRatio,
              liquidatable: acc.liquidatable,
              healthBlock: state.block.number.toString(),
              positions: acc.positions.map((p) => ({
                market: market(state.markets!.find((m) => m.id === p.marketId)!),
                size: "0",
                entryPrice: "0",
                notional: dec(p.notional),
                unrealizedPnl: "0",
                liquidationPrice: null,
              })),
              fundingPaid: "0",
            },
          })),
          pageInfo: { hasNextPage: false, endCursor: null },
        };
      },
      mirrorStatus: () => {
        count("mirrorStatus");
        return {
          eventsChecked: String(state.mirror?.eventsChecked ?? 0),
          divergenceCount: String(state.mirror?.divergenceCount ?? 0),
          divergences: [],
          pageInfo: { hasNextPage: false, endCursor: null },
        };
      },
      cascade: (_: unknown, a: { shock: { marketId?: string | null; move: number } }) => {
        count("cascade");
        const list = a.shock.marketId
          ? state.markets?.find((m) => m.id === a.shock.marketId)?.cascades
          : state.correlatedCascades;
        return cascadeAnswer(
          list?.find((c) => near(c.shock, a.shock.move)),
          state.block.number,
        );
      },
      stress: (_: unknown, a: { shocks?: number[] }) => {
        count("stress");
        const points = state.stress?.points ?? [];
        return {
          block: state.block.number.toString(),
          points: (a.shocks ?? points.map((p) => p.shock))
            .map(
              (shock) =>
                points.find((p) => near(p.shock, shock)) ?? {
                  shock,
                  liquidatedNotional: 0,
                  liquidatedAccounts: 0,
                  badDebt: 0,
                  uncoveredBadDebt: 0,
                  amplification: 1,
                },
            )
            .map((p) => ({ liquidatedAccounts: 0, ...p })),
        };
      },
      varLar: (_: unknown, a: { paths: number; seed: number }) => {
        count("varLar");
        const v = state.varLar;
        return {
          block: state.block.number.toString(),
          paths: a.paths,
          seed: a.seed,
          badDebtVar95: v?.badDebtVar95 ?? 0,
          badDebtVar99: v?.badDebtVar99 ?? 0,
          liquidationsLar95: v?.liquidationsLar95 ?? 0,
          liquidationsLar99: v?.liquidationsLar99 ?? 0,
          meanBadDebt: 0,
          meanLiquidations: 0,
        };
      },
    },
    Subscription: {
      riskSummary: {
        subscribe: () => {
          count("subscription riskSummary");
          return pubsub.subscribe("block");
        },
        resolve: (obs: RiskObservation) => summary(obs),
      },
      liquidations: {
        subscribe: () => pubsub.subscribe("block"),
        resolve: () => null,
      },
    },
  };

  const typeDefs = readFileSync(join(REPO_ROOT, "schema.graphql"), "utf8");
  const yoga = createYoga({
    schema: createSchema({ typeDefs, resolvers }),
    graphqlEndpoint: "/graphql",
    logging: false,
    maskedErrors: false,
  });

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (down !== null) {
      res.writeHead(down);
      res.end();
      return;
    }
    if (req.url === "/rpc") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          id: number;
          params: [string];
        }[];
        const out = body.map((r) => {
          const n = BigInt(r.params[0]);
          const hash = hashes.get(n) ?? `0x${n.toString(16).padStart(64, "0")}`;
          return { jsonrpc: "2.0", id: r.id, result: n > state.block.number ? null : { hash } };
        });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(out));
      });
      return;
    }
    void yoga.handle(req, res);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address();
  const port = addr && typeof addr === "object" ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    rpcUrl: `${url}/rpc`,
    calls,
    publish(obs) {
      state = obs;
      if (obs.block.hash) hashes.set(obs.block.number, obs.block.hash);
      pubsub.publish("block", obs);
    },
    current: () => state,
    setHash(block, hash) {
      hashes.set(block, hash);
    },
    setDown(status) {
      down = status;
      if (status !== null) for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
