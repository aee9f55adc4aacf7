/**
 * Done means of "Protocols as plugins": a second protocol is one folder plus one registry
 * line. A copy of this repository gets `protocols/twin/` (test/fixtures/protocols/twin: the
 * reference exchange under a second name, writing its rows per call) and one line in
 * `protocols/registry.ts`; nothing else changes, the architecture rules hold, and one Ponder
 * process of that copy indexes a reference exchange on one anvil chain and a twin exchange on
 * another. Both exchanges' tables equal their contracts' views, rows carry their exchange,
 * the mirror reports nothing, and the GraphQL API serves each by its `exchange` argument.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPonder, startPonder } from "../../indexer/runPonder.js";
import { perpExchangeAbi } from "../../protocols/reference/contracts/generated/index.js";
import {
  type SimulatedChain,
  simulateChain,
} from "../../protocols/reference/devnet/simulateChain.js";
import { architectureViolations } from "../architecture/imports.js";
import { compareWithChain } from "../indexer/support/compareWithChain.js";
import { readTable } from "../indexer/support/ponderGraphql.js";
import { uniqueChainId } from "../indexer/support/postgres.js";
import { changedFiles, treeWithProtocol } from "./pluginTree.js";

const ROOT = join(import.meta.dirname, "..", "..");
const LINE = 'export { twin } from "./twin/protocol.js";';

describe("a second protocol is one folder and one registry line", () => {
  let dir: string;
  let tree: string;
  let chains: SimulatedChain[] = [];
  let ponder: RunningPonder | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-plugin-"));
    tree = join(dir, "repo");
    treeWithProtocol(ROOT, tree, join(ROOT, "test/fixtures/protocols/twin"), "twin", LINE);
    const opts = { scenario: "crash-cascade", seed: 7, accounts: 40, ticks: 160 } as const;
    chains = await Promise.all([
      simulateChain({ ...opts, chainId: uniqueChainId() }),
      simulateChain({ ...opts, seed: 8, chainId: uniqueChainId() }),
    ]);
  });

  afterAll(async () => {
    await ponder?.stop();
    await Promise.all(chains.map((c) => c.anvil.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("changes nothing but the new folder and one registry line, and keeps the rules", () => {
    expect(changedFiles(ROOT, tree)).toEqual([
      { path: "protocols/registry.ts", how: "changed" },
      { path: "protocols/twin/protocol.ts", how: "added" },
    ]);
    const before = readFileSync(join(ROOT, "protocols/registry.ts"), "utf8");
    expect(readFileSync(join(tree, "protocols/registry.ts"), "utf8")).toBe(`${before}${LINE}\n`);
    expect(architectureViolations(tree)).toEqual([]);
  });

  it("indexes the reference and the twin exchange, on two chains, in one Ponder process", async () => {
    const [a, b] = chains as [SimulatedChain, SimulatedChain];
    const exchange = (id: string, protocol: string, c: SimulatedChain) => ({
      id,
      protocol,
      chain: { id: c.manifest.chainId, rpcUrl: c.manifest.rpcUrl },
      addresses: { exchange: c.manifest.contracts.exchange, oracle: c.manifest.contracts.oracle },
      startBlock: c.manifest.startBlock,
    });
    ponder = await startPonder({
      root: tree,
      database: { kind: "pglite", directory: join(dir, "pglite") },
      env: {
        PERPWATCH_EXCHANGES: JSON.stringify([
          exchange("ref", "reference", a),
          exchange("tw", "twin", b),
        ]),
        PERPWATCH_POLLING_INTERVAL_MS: "100",
      },
    });
    const heads = await Promise.all(chains.map((c) => c.client.public.getBlockNumber()));
    const names = ["perpwatch", `perpwatch-${b.manifest.chainId}`];
    await expect
      .poll(
        async () => {
          const s = await ponder!.status();
          return names.every((n, i) => BigInt(s[n]?.block.number ?? -1) >= heads[i]!);
        },
        { timeout: 120_000, interval: 250 },
      )
      .toBe(true);

    const rows = await readTable(ponder.url, "exchange");
    expect(rows.map((r) => [r.id, r.protocol, r.chainId]).sort()).toEqual([
      ["ref", "reference", a.manifest.chainId],
      ["tw", "twin", b.manifest.chainId],
    ]);
    for (const [id, c, head] of [
      ["ref", a, heads[0]!],
      ["tw", b, heads[1]!],
    ] as const) {
      expect(await compareWithChain(ponder.url, c.client.public, c.manifest, head, id)).toEqual([]);
      const trades = (await readTable(ponder.url, "positionChange")).filter(
        (r) => r.exchange === id,
      );
      expect(trades.length).toBeGreaterThan(0);
    }
    expect(await readTable(ponder.url, "mirrorCheck")).toEqual([]);
    const liquidations = await readTable(ponder.url, "liquidation");
    expect(liquidations.filter((l) => l.exchange === "ref").length).toBe(a.result.liquidations);
    expect(liquidations.filter((l) => l.exchange === "tw").length).toBe(b.result.liquidations);

    // The API serves both: each root field names its exchange, and may not omit it.
    const ask = async (query: string) => {
      const res = await fetch(`${ponder!.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as {
        data?: Record<string, unknown>;
        errors?: { message: string; extensions: { code: string } }[];
      };
    };
    const listed = await ask("{ exchanges { id protocol chainId adlSupported } }");
    expect(listed.data?.exchanges).toEqual([
      { id: "ref", protocol: "reference", chainId: a.manifest.chainId, adlSupported: true },
      { id: "tw", protocol: "twin", chainId: b.manifest.chainId, adlSupported: true },
    ]);
    const omitted = await ask("{ markets { id } }");
    expect(omitted.errors?.[0]).toMatchObject({
      message: 'exchange: expected one of "ref", "tw" (several exchanges are indexed)',
      extensions: { code: "BAD_USER_INPUT" },
    });
    for (const [id, c, head] of [
      ["ref", a, heads[0]!],
      ["tw", b, heads[1]!],
    ] as const) {
      const { data } = await ask(
        `{ insuranceFund(exchange: "${id}") { block balance } markets(exchange: "${id}") { id } }`,
      );
      const fund = data?.insuranceFund as { block: string; balance: string };
      expect(BigInt(fund.block)).toBe(head);
      const onChain = await c.client.public.readContract({
        address: c.manifest.contracts.exchange as `0x${string}`,
        abi: perpExchangeAbi,
        functionName: "insuranceFund",
        blockNumber: head,
      });
      expect(parseUnits(fund.balance, 18)).toBe(onChain);
      expect((data?.markets as unknown[] | undefined)?.length).toBe(c.manifest.markets.length);
    }
  }, 240_000);
});
