/**
 * Test support: a real GraphQL API over HTTP, built with graphql-yoga from the repository's
 * own `schema.graphql`, that serves recorded observations instead of a live index.
 *
 * Why: the alert worker's end-to-end tests (receiver outage, SIGKILL, reorg retraction,
 * latency) need the worker process to talk HTTP to something that speaks the API's schema —
 * the same queries, the same subscription over server-sent events — while the script decides
 * what the exchange looks like at each block. Queries the schema does not allow fail here as
 * they would against the real API. `/rpc` answers `eth_getBlockByNumber` with the script's
 * block hashes, so reorgs can be staged, and `eth_chainId`.
 *
 * History (the catch-up's source): `liquidations` honours `fromBlock`/`toBlock`; every publish
 * that changes the insurance fund appends a ledger entry (`insuranceFund.ledger`), and one
 * whose bad debt waiting fell below what it was plus the block's new liquidations' bad debt
 * records the difference as an ADL fill (`adlEvents`).
 *
 * Several exchanges (`exchanges`): each has its own state (`publish` sets the observation's
 * `exchangeId`'s), and, like the real API, a field without `exchange` is BAD_USER_INPUT when
 * there are several.
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
  /** Sets the state of `obs.exchangeId` at a block and announces the block on its subscription. */
  publish(obs: RiskObservation): void;
  /** The observation currently served (of the first exchange, or of `exchange`). */
  current(exchange?: string): RiskObservation;
  /** Sets the canonical hash of a block (stage a reorg). */
  setHash(block: bigint, hash: string): void;
  /** Requests served per root field (how the worker queries). */
  readonly calls: Map<string, number>;
  /** Answers every request with this HTTP status (simulate an API outage); null = serve. */
  setDown(status: number | null): void;
  close(): Promise<void>;
}

export interface FakeApiOptions {
  /** The exchanges served, in order (default: the initial observation's alone), on chain 31337 unless said. */
  exchanges?: (string | { id: string; chainId: number })[];
  /** What `/rpc` answers `eth_chainId` with (default 31337). */
  rpcChainId?: number;
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

export async function startFakeApi(
  initial: RiskObservation,
  opts: FakeApiOptions = {},
): Promise<FakeApi> {
  const exchanges = (opts.exchanges ?? [initial.exchangeId]).map((x) =>
    typeof x === "string" ? { id: x, chainId: 31337 } : x,
  );
  const ids = exchanges.map((x) => x.id);
  const states = new Map<string, RiskObservation>(
    ids.map((id) => [id, { ...initial, exchangeId: id, watchedExchanges: ids }]),
  );
  const hashes = new Map<bigint, string>();
  type Entry = { block: bigint; timestamp: number; delta: number; balance: number };
  const ledgers = new Map<string, Entry[]>(ids.map((id) => [id, []]));
  const fills = new Map<string, Entry[]>(ids.map((id) => [id, []]));
  /** Ledger entries and ADL fills implied by the change from `prev` to `obs` (history). */
  const record = (prev: RiskObservation, obs: RiskObservation) => {
    const at = { block: obs.block.number, timestamp: obs.block.timestamp };
    const was = prev.exchange;
    const now = obs.exchange;
    if (!was || !now) return;
    if (now.insuranceFund !== was.insuranceFund) {
      const delta = now.insuranceFund - was.insuranceFund;
      ledgers.get(obs.exchangeId)!.unshift({ ...at, delta, balance: now.insuranceFund });
    }
    const added = (obs.liquidations ?? [])
      .filter((l) => l.blockNumber === obs.block.number)
      .reduce((sum, l) => sum + l.badDebt, 0);
    const absorbed = was.pendingBadDebt + added - now.pendingBadDebt;
    if (absorbed > 1e-9) {
      fills.get(obs.exchangeId)!.unshift({ ...at, delta: absorbed, balance: 0 });
    }
  };
  /** One page of a newest-first list, the fake's cursors being offsets. */
  const pageOf = <T, N>(
    all: T[],
    first: number,
    after: string | null | undefined,
    node: (x: T) => N,
  ) => {
    const start = after ? Number(after) : 0;
    const page = all.slice(start, start + first);
    return {
      edges: page.map((x, i) => ({ cursor: String(start + i + 1), node: node(x) })),
      pageInfo: {
        hasNextPage: start + first < all.length,
        endCursor: page.length > 0 ? String(start + page.length) : null,
      },
    };
  };
  type Range = { fromBlock?: string | null; toBlock?: string | null };
  const inRange = (b: bigint, a: Range) =>
    (a.fromBlock == null || b >= BigInt(a.fromBlock)) &&
    (a.toBlock == null || b <= BigInt(a.toBlock));
  const calls = new Map<string, number>();
  let down: number | null = null;
  const pubsub = createPubSub<{ block: [exchange: string, obs: RiskObservation] }>();
  const count = (field: string) => calls.set(field, (calls.get(field) ?? 0) + 1);
  /** The state of the `exchange` argument, as the real API picks it (its errors are BAD_USER_INPUT). */
  const pick = (exchange: string | null | undefined): RiskObservation => {
    const list = ids.map((i) => `"${i}"`).join(", ");
    if (exchange === undefined || exchange === null) {
      if (ids.length === 1) return states.get(ids[0]!)!;
      throw new Error(`exchange: expected one of ${list} (several exchanges are indexed)`);
    }
    const st = states.get(exchange);
    if (!st) {
      throw new Error(`exchange: expected one of ${list} (got "${exchange}")`);
    }
    return st;
  };
  type Ex = { exchange?: string | null };

  const market = (m: NonNullable<RiskObservation["markets"]>[number], state: RiskObservation) => ({
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
      market: m ? market(m, obs) : null,
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
      exchanges: () => {
        count("exchanges");
        return exchanges.map((x) => ({
          id: x.id,
          protocol: "reference",
          chainId: x.chainId,
          adlSupported: true,
          liquidationsExecuteAt: "ORACLE",
        }));
      },
      riskSummary: (_: unknown, a: Ex & { marketId?: string }) => {
        count(a.marketId ? "riskSummary(market)" : "riskSummary");
        return summary(pick(a.exchange), a.marketId);
      },
      indexingStatus: (_: unknown, a: Ex) => {
        count("indexingStatus");
        const state = pick(a.exchange);
        const i = state.indexing;
        return {
          chainHead: (i?.chainHead ?? state.block.number).toString(),
          indexedBlock: (i?.indexedBlock ?? state.block.number).toString(),
          lagBlocks: String(i?.lagBlocks ?? 0),
          lagSeconds: i?.lagSeconds ?? 0,
          live: i?.live ?? true,
        };
      },
      markets: (_: unknown, a: Ex) => {
        count("markets");
        const state = pick(a.exchange);
        return (state.markets ?? []).map((m) => market(m, state));
      },
      liquidations: (_: unknown, a: Ex & Range & { first: number; after?: string | null }) => {
        count("liquidations");
        const state = pick(a.exchange);
        const all = (state.liquidations ?? []).filter((l) => inRange(l.blockNumber, a));
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
      accounts: (_: unknown, a: Ex & { first: number }) => {
        count("accounts");
        const state = pick(a.exchange);
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
                market: market(state.markets!.find((m) => m.id === p.marketId)!, state),
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
      adlEvents: (_: unknown, a: Ex & Range & { first: number; after?: string | null }) => {
        count("adlEvents");
        const state = pick(a.exchange);
        const all = fills.get(state.exchangeId)!.filter((e) => inRange(e.block, a));
        return pageOf(all, a.first, a.after, (e) => ({
          lossAbsorbed: dec(e.delta),
          blockNumber: e.block.toString(),
          timestamp: iso(e.timestamp),
        }));
      },
      insuranceFund: (_: unknown, a: Ex) => {
        count("insuranceFund");
        const state = pick(a.exchange);
        return {
          block: state.block.number.toString(),
          balance: dec(state.exchange?.insuranceFund ?? 0),
          pendingBadDebt: dec(state.exchange?.pendingBadDebt ?? 0),
          ledger: (b: { first: number; after?: string | null }) =>
            pageOf(ledgers.get(state.exchangeId)!, b.first, b.after, (e) => ({
              delta: dec(e.delta),
              balance: dec(e.balance),
              blockNumber: e.block.toString(),
              timestamp: iso(e.timestamp),
            })),
        };
      },
      mirrorStatus: (_: unknown, a: Ex) => {
        count("mirrorStatus");
        const state = pick(a.exchange);
        return {
          eventsChecked: String(state.mirror?.eventsChecked ?? 0),
          divergenceCount: String(state.mirror?.divergenceCount ?? 0),
          divergences: [],
          pageInfo: { hasNextPage: false, endCursor: null },
        };
      },
      cascade: (_: unknown, a: Ex & { shock: { marketId?: string | null; move: number } }) => {
        count("cascade");
        const state = pick(a.exchange);
        const list = a.shock.marketId
          ? state.markets?.find((m) => m.id === a.shock.marketId)?.cascades
          : state.correlatedCascades;
        return cascadeAnswer(
          list?.find((c) => near(c.shock, a.shock.move)),
          state.block.number,
        );
      },
      stress: (_: unknown, a: Ex & { shocks?: number[] }) => {
        count("stress");
        const state = pick(a.exchange);
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
      varLar: (_: unknown, a: Ex & { paths: number; seed: number }) => {
        count("varLar");
        const state = pick(a.exchange);
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
        subscribe: (_: unknown, a: Ex) => {
          count("subscription riskSummary");
          return pubsub.subscribe("block", pick(a.exchange).exchangeId);
        },
        resolve: (obs: RiskObservation) => summary(obs),
      },
      liquidations: {
        subscribe: (_: unknown, a: Ex) => pubsub.subscribe("block", pick(a.exchange).exchangeId),
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
        type Call = { id: number; method: string; params: [string] };
        const body = JSON.parse(Buffer.concat(chunks).toString()) as Call | Call[];
        const head = [...states.values()].reduce(
          (max, st) => (st.block.number > max ? st.block.number : max),
          0n,
        );
        const answer = (r: Call) => {
          if (r.method === "eth_chainId") {
            return {
              jsonrpc: "2.0",
              id: r.id,
              result: `0x${(opts.rpcChainId ?? 31337).toString(16)}`,
            };
          }
          const n = BigInt(r.params[0]);
          const hash = hashes.get(n) ?? `0x${n.toString(16).padStart(64, "0")}`;
          return { jsonrpc: "2.0", id: r.id, result: n > head ? null : { hash } };
        };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)));
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
      const prev = states.get(obs.exchangeId);
      if (!prev) throw new Error(`fake API: no exchange "${obs.exchangeId}"`);
      record(prev, obs);
      states.set(obs.exchangeId, obs);
      if (obs.block.hash) hashes.set(obs.block.number, obs.block.hash);
      pubsub.publish("block", obs.exchangeId, obs);
    },
    current: (exchange) => states.get(exchange ?? ids[0]!)!,
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
