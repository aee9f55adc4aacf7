/**
 * Curie end to end: a Perp v2 devnet (its published bytecode) running crash-cascade, indexed by
 * `ponder start`; once at the chain's head, the mirror found nothing to report, every account's
 * equity and margin requirement served by the Perpwatch API equal `ClearingHouse.getAccountValue`
 * and `AccountBalance.getMarginRequirementForLiquidation` at that block, the liquidatable verdicts
 * agree, each market's price is `AccountBalance.getMarkPrice`, the exchange's insurance fund is
 * `InsuranceFund.getInsuranceFundCapacity`, and every liquidation the simulator made is a row.
 * PGlite always; PostgreSQL when PERPWATCH_TEST_PG (or DATABASE_URL) names one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, formatUnits, parseAbi } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeManifest } from "../../devnet/manifest.js";
import {
  type SimulatedProtocolChain,
  simulateProtocolChain,
} from "../../devnet/simulateProtocolChain.js";
import { type PonderDatabase, startPonder } from "../../indexer/runPonder.js";
import { readTable } from "../indexer/support/ponderGraphql.js";
import {
  noteWithoutPostgres,
  PG_SKIP_REASON,
  PG_URL,
  uniqueChainId,
  uniqueSchema,
} from "../indexer/support/postgres.js";

noteWithoutPostgres("curie end to end");

const VIEWS = parseAbi([
  "function getAccountValue(address) view returns (int256)",
  "function getMarginRequirementForLiquidation(address) view returns (int256)",
  "function getMarkPrice(address) view returns (uint256)",
  "function getInsuranceFundCapacity() view returns (int256)",
]);

interface ApiAccount {
  id: string;
  owner: Address;
  block: string;
  equity: string;
  maintenanceMargin: string;
  liquidatable: boolean;
}

async function apiAccounts(url: string): Promise<ApiAccount[]> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `{ accounts(first: 1000) { edges { node { id owner block equity maintenanceMargin liquidatable } } } }`,
    }),
  });
  const body = (await res.json()) as {
    data?: { accounts: { edges: { node: ApiAccount }[] } };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`accounts query failed: ${JSON.stringify(body.errors)}`);
  return body.data.accounts.edges.map((e) => e.node);
}

const usd = (v: bigint) => formatUnits(v, 18);

describe("Curie end to end on crash-cascade", () => {
  let chain: SimulatedProtocolChain;
  let dir: string;
  let manifestPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-curie-e2e-"));
    chain = await simulateProtocolChain({
      protocol: "curie",
      scenario: "crash-cascade",
      seed: 7,
      accounts: 60,
      ticks: 240,
      chainId: uniqueChainId(),
    });
    manifestPath = join(dir, "manifest.json");
    writeManifest(manifestPath, chain.manifest);
  }, 240_000);

  afterAll(async () => {
    await chain?.anvil.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function indexAndCompare(database: PonderDatabase, schema?: string) {
    const head = await chain.client.public.getBlockNumber();
    const ponder = await startPonder({
      database,
      schema,
      manifestPath,
      env: { PERPWATCH_POLLING_INTERVAL_MS: "100" },
    });
    try {
      await ponder.waitForBlock(head, 240_000);
      expect(await readTable(ponder.url, "mirrorCheck")).toEqual([]);
      const c = chain.manifest.contracts;
      const read = (address: string, functionName: string, args: readonly unknown[] = []) =>
        chain.client.public.readContract({
          address: address as Address,
          abi: VIEWS,
          functionName: functionName as never,
          args: args as never,
          blockNumber: head,
        }) as Promise<bigint>;
      const accounts = await apiAccounts(ponder.url);
      expect(accounts.length).toBeGreaterThan(30);
      const diffs: string[] = [];
      for (const a of accounts) {
        expect(a.block).toBe(head.toString());
        const value = await read(c.clearingHouse!, "getAccountValue", [a.owner]);
        const margin = await read(c.accountBalance!, "getMarginRequirementForLiquidation", [
          a.owner,
        ]);
        if (a.equity !== usd(value))
          diffs.push(`account ${a.id} equity ${a.equity}, chain ${usd(value)}`);
        if (a.maintenanceMargin !== usd(margin)) {
          diffs.push(`account ${a.id} margin ${a.maintenanceMargin}, chain ${usd(margin)}`);
        }
        if (a.liquidatable !== value < margin)
          diffs.push(`account ${a.id} liquidatable ${a.liquidatable}`);
      }
      expect(diffs).toEqual([]);
      for (const m of await readTable(ponder.url, "market")) {
        const symbol = String(m.symbol);
        const mark = await read(c.accountBalance!, "getMarkPrice", [c[`${symbol}.baseToken`]]);
        expect(`${symbol} ${m.price}`).toBe(`${symbol} ${mark}`);
      }
      const [ex] = await readTable(ponder.url, "exchange");
      expect(String(ex?.insuranceFund)).toBe(
        String(await read(c.insuranceFund!, "getInsuranceFundCapacity")),
      );
      const liquidations = await readTable(ponder.url, "liquidation");
      expect(liquidations.length).toBe(chain.result.liquidations);
    } finally {
      await ponder.stop();
    }
  }

  it("PGlite: API figures equal Curie's views, no mirror check", async () => {
    await indexAndCompare({ kind: "pglite", directory: join(dir, "pglite") });
  }, 300_000);

  describe.skipIf(PG_URL === undefined)(`PostgreSQL${PG_SKIP_REASON}`, () => {
    it("PostgreSQL: API figures equal Curie's views, no mirror check", async () => {
      await indexAndCompare({ kind: "postgres", url: PG_URL! }, uniqueSchema("curie"));
    }, 300_000);
  });
});
