/**
 * Reorg safety: once the indexer is at the head of a crash-cascade devnet, the last k blocks
 * (k < 30, inside Ponder's unfinalized window on this chain) are replaced with different
 * transactions — other oracle prices and other trades — and the chain grows one block past
 * its old head. After Ponder has handled it, its tables equal, row for row, those of a fresh
 * index of the canonical chain, and the mirror check is empty.
 *
 * Runs on PostgreSQL when PERPWATCH_TEST_PG (or DATABASE_URL) names one (faster), on PGlite
 * otherwise.
 */
import { join } from "node:path";
import type { Address, Hash } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TxSigner } from "../../devnet/chain.js";
import { ANVIL_KEYS, traderKey } from "../../devnet/keys.js";
import type { PonderDatabase } from "../../indexer/runPonder.js";
import {
  perpExchangeAbi,
  priceOracleAbi,
} from "../../protocols/reference/contracts/generated/index.js";
import { readAllTables } from "./support/ponderGraphql.js";
import { PG_URL, uniqueSchema } from "./support/postgres.js";
import { SimulatedDevnet } from "./support/simulatedDevnet.js";

const SEED = 11;
const ACCOUNTS = 40;
const DEPTH = 6;

describe("indexer reorg", () => {
  let devnet: SimulatedDevnet;

  beforeAll(async () => {
    devnet = await SimulatedDevnet.start("perpwatch-indexer-reorg-", {
      seed: SEED,
      accounts: ACCOUNTS,
      ticks: 160,
    });
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  const database = (name: string): PonderDatabase =>
    PG_URL
      ? { kind: "postgres", url: PG_URL }
      : { kind: "pglite", directory: join(devnet.dir, name) };

  const start = (name: string, onLog?: (line: string) => void) =>
    devnet.startPonder({ database: database(name), schema: uniqueSchema(name), onLog });

  /** Replaces the last `DEPTH` blocks with `DEPTH + 1` blocks of other transactions. */
  async function replaceLastBlocks(): Promise<bigint> {
    const { client, deployment } = devnet.chain;
    const head = await client.public.getBlockNumber();
    await client.rpc("anvil_rollback", [DEPTH]);
    await client.rpc("anvil_dropAllTransactions", []);
    const base = await client.public.getBlock({ blockTag: "latest" });
    expect(base.number).toBe(head - BigInt(DEPTH));

    const keeper = new TxSigner(client, ANVIL_KEYS.oracleKeeper);
    await keeper.syncNonce();
    const traders = [0, 1, 2, 3, 4, 5].map((i) => ({
      accountId: BigInt(i + 1),
      signer: new TxSigner(client, traderKey(SEED, i)),
    }));
    for (const t of traders) await t.signer.syncNonce();
    const ids = deployment.markets.map((m) => BigInt(m.marketId));
    const prices = await Promise.all(
      ids.map(async (id) => {
        const [price] = await client.public.readContract({
          address: deployment.oracle,
          abi: priceOracleAbi,
          functionName: "getPrice",
          args: [id],
        });
        return price;
      }),
    );
    for (let i = 0; i <= DEPTH; i++) {
      const hashes: Hash[] = [];
      // A different price path: every market 0.4% lower per block.
      const step = prices.map((p) => (p * BigInt(1000 - 4 * (i + 1))) / 1000n);
      hashes.push(
        await keeper.write(deployment.oracle, priceOracleAbi, "setPrices", [ids, step], 400_000n),
      );
      for (const [j, t] of traders.entries()) {
        const sizeDelta = (j % 2 === 0 ? 1n : -1n) * 10n ** 16n * BigInt(i + 1);
        hashes.push(
          await t.signer.write(
            deployment.exchange as Address,
            perpExchangeAbi,
            "modifyPosition",
            [t.accountId, ids[j % ids.length]!, sizeDelta],
            800_000n,
          ),
        );
      }
      await client.rpc("evm_mine", [Number(base.timestamp) + i + 1]);
      const receipts = await Promise.all(
        hashes.map((hash) => client.public.getTransactionReceipt({ hash })),
      );
      expect(receipts[0]?.status).toBe("success");
    }
    const newHead = await client.public.getBlockNumber();
    expect(newHead).toBe(head + 1n);
    return newHead;
  }

  it("after replacing the last blocks, the tables equal a fresh index of the new chain", async () => {
    const head = await devnet.chain.client.public.getBlockNumber();
    const before = await devnet.chain.client.public.getBlock({ blockNumber: head });
    const liveLogs: string[] = [];
    const live = await start("live", (line) => liveLogs.push(line));
    await live.waitForBlock(head);

    const newHead = await replaceLastBlocks();
    const after = await devnet.chain.client.public.getBlock({ blockNumber: head });
    expect(after.hash).not.toBe(before.hash);
    await live.waitForBlock(newHead);
    expect(liveLogs.some((l) => l.includes('"Reorged block"'))).toBe(true);

    const fresh = await start("fresh");
    await fresh.waitForBlock(newHead);
    const [expected, actual] = await Promise.all([
      readAllTables(fresh.url),
      readAllTables(live.url),
    ]);
    expect(actual.mirrorCheck).toEqual([]);
    // The replaced blocks' trades are in both; the reorged-out ones in neither.
    const lastBlockTrades = (expected.positionChange ?? []).filter((r) =>
      r.includes(`blockNumber=${newHead} `),
    );
    expect(lastBlockTrades.length).toBeGreaterThan(0);
    for (const table of Object.keys(expected)) {
      expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
    }
  }, 240_000);
});
