/**
 * Curie reorg safety: once Ponder is at the head of a Curie crash-cascade devnet (40 blocks
 * from just before the crash: arbitrage swaps, makers re-centring, oracle rounds), the last
 * DEPTH blocks are replaced with DEPTH + 1 others — other oracle rounds (every market a little
 * lower each block) and other trades (two new traders deposit, then buy and sell) — so the
 * chain ends one block past its old head. Ponder reverts the replaced blocks, the mirror finds
 * its cursor reverted under it and rebuilds its state from the snapshot and the journal (its
 * "curie mirror reloaded" log line), and at the new head the API equals Curie's views and
 * `mirror_check` is empty.
 *
 * PGlite always; PostgreSQL when PERPWATCH_TEST_PG (or DATABASE_URL) names one.
 */
import { join } from "node:path";
import { type Address, type Hash, parseAbi, parseEther, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TxSigner } from "../../devnet/chain.js";
import { ANVIL_KEYS, traderKey } from "../../devnet/keys.js";
import type { PonderDatabase } from "../../indexer/runPonder.js";
import { mockAggregatorV3Abi } from "../../protocols/curie/contracts/generated/index.js";
import * as orders from "../../protocols/curie/devnet/orders.js";
import { PG_SKIP_REASON, PG_URL, uniqueSchema } from "../indexer/support/postgres.js";
import { CurieDevnet } from "./support/curieDevnet.js";
import { compareCurieWithViews } from "./support/curieViews.js";
import { mirrorReloads } from "./support/mirrorLog.js";

const SEED = 5;
const DEPTH = 4;
/** Indices past the simulated traders': keys no simulated account uses. */
const NEW_TRADERS = [1000, 1001];
const ONE = 10n ** 18n;
const MARK_PRICE_ABI = parseAbi(["function getMarkPrice(address) view returns (uint256)"]);

describe("Curie reorg", () => {
  let devnet: CurieDevnet;

  beforeAll(async () => {
    devnet = await CurieDevnet.start("perpwatch-curie-reorg-", {
      seed: SEED,
      accounts: 16,
      ticks: 40,
      from: 100,
    });
  }, 120_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  /** Replaces the last DEPTH blocks with DEPTH + 1 blocks of other transactions. */
  async function replaceLastBlocks(): Promise<{ head: bigint; traders: Address[] }> {
    const { client, manifest } = devnet.chain;
    const c = manifest.contracts;
    const head = await client.public.getBlockNumber();
    await client.rpc("anvil_rollback", [DEPTH]);
    await client.rpc("anvil_dropAllTransactions", []);
    const base = await client.public.getBlock({ blockTag: "latest" });
    expect(base.number).toBe(head - BigInt(DEPTH));

    const oracle = new TxSigner(client, ANVIL_KEYS.deployer);
    const traders = NEW_TRADERS.map((i) => new TxSigner(client, traderKey(SEED, i)));
    for (const s of [oracle, ...traders]) await s.syncNonce();
    const send = (s: TxSigner, call: orders.CurieCall) =>
      s.write(call.to, call.abi, call.functionName as never, call.args as never, call.gas);
    const markets = manifest.markets.map((m) => ({
      aggregator: c[`${m.symbol}.aggregator`] as Address,
      feed: c[`${m.symbol}.priceFeed`] as Address,
      baseToken: c[`${m.symbol}.baseToken`] as Address,
    }));
    const answers = await Promise.all(
      markets.map(async (m) => {
        const [, answer] = await client.public.readContract({
          address: m.aggregator,
          abi: mockAggregatorV3Abi,
          functionName: "latestRoundData",
        });
        return answer;
      }),
    );

    for (let i = 0; i <= DEPTH; i++) {
      const hashes: Hash[] = [];
      // Another price path: every market 0.3 % lower per block.
      for (const [j, m] of markets.entries()) {
        const answer = (answers[j]! * BigInt(1000 - 3 * (i + 1))) / 1000n;
        hashes.push(await send(oracle, orders.pushAnswer(m.aggregator, answer)));
        hashes.push(await send(oracle, orders.updateFeed(m.feed)));
      }
      if (i === 0) hashes.push(...(await onboard(traders)));
      else hashes.push(...(await trade(traders, markets[i % markets.length]!.baseToken, i)));
      await client.rpc("evm_mine", [Number(base.timestamp) + i + 1]);
      const receipts = await Promise.all(
        hashes.map((hash) => client.public.getTransactionReceipt({ hash })),
      );
      expect(receipts.map((r) => r.status)).toEqual(hashes.map(() => "success"));
    }
    const newHead = await client.public.getBlockNumber();
    expect(newHead).toBe(head + 1n);
    return { head: newHead, traders: traders.map((t) => t.address) };

    async function onboard(signers: TxSigner[]): Promise<Hash[]> {
      const out: Hash[] = [];
      const token = c.settlementToken as Address;
      for (const s of signers) {
        await client.rpc("anvil_setBalance", [s.address, toHex(parseEther("100"))]);
        out.push(await send(s, orders.mintSettlement(token, s.address, 20_000n * ONE)));
        out.push(await send(s, orders.approveVault(token, c.vault as Address)));
        out.push(await send(s, orders.deposit(c.vault as Address, token, 20_000n * ONE)));
      }
      return out;
    }

    /** The first trader buys for 1,000 USD more each block, the second sells as much. */
    async function trade(signers: TxSigner[], baseToken: Address, i: number): Promise<Hash[]> {
      const usd = 1_000n * BigInt(i) * ONE;
      const mark = await devnet.chain.client.public.readContract({
        address: c.accountBalance as Address,
        abi: MARK_PRICE_ABI,
        functionName: "getMarkPrice",
        args: [baseToken],
      });
      const ch = c.clearingHouse as Address;
      return [
        await send(signers[0]!, orders.openPosition(ch, baseToken, true, usd, 0n)),
        await send(signers[1]!, orders.openPosition(ch, baseToken, false, (usd * ONE) / mark, 0n)),
      ];
    }
  }

  async function reorgAndCompare(database: PonderDatabase, schema?: string) {
    const { client, manifest } = devnet.chain;
    const oldHead = await client.public.getBlockNumber();
    const forked = await client.public.getBlock({ blockNumber: oldHead - BigInt(DEPTH) + 1n });
    const logs: string[] = [];
    const live = await devnet.startPonder({
      database,
      schema,
      waitFor: "spawn",
      onLog: (line) => logs.push(line),
    });
    await devnet.reach(live, oldHead, 180_000);
    const before = await compareCurieWithViews(live.url, client.public, manifest, oldHead);
    expect(before.diffs).toEqual([]);

    const seen = logs.length;
    const { head, traders } = await replaceLastBlocks();
    const replaced = await client.public.getBlock({ blockNumber: forked.number });
    expect(replaced.hash).not.toBe(forked.hash);
    await devnet.reach(live, head, 120_000);
    const after = logs.slice(seen);
    expect(after.some((l) => l.includes('"Reorged block"'))).toBe(true);
    // The state came back from the tables: a snapshot before the fork, the journal after it.
    const reloads = mirrorReloads(after);
    expect(reloads.length).toBeGreaterThan(0);
    expect(reloads[0]!.snapshot).not.toBeNull();
    expect(reloads[0]!.journal).toBeGreaterThan(0);
    expect(reloads[0]!.cursor).toBeLessThan(forked.number);

    const { diffs, owners } = await compareCurieWithViews(live.url, client.public, manifest, head);
    expect(diffs).toEqual([]);
    for (const t of traders) expect(owners).toContain(t.toLowerCase());
    await live.stop();
  }

  it("PGlite: after replacing the last blocks, the API equals the views at the new head", async () => {
    await reorgAndCompare({ kind: "pglite", directory: join(devnet.dir, "pglite") });
  }, 360_000);

  describe.skipIf(PG_URL === undefined)(`PostgreSQL${PG_SKIP_REASON}`, () => {
    it("PostgreSQL: the same", async () => {
      await reorgAndCompare({ kind: "postgres", url: PG_URL! }, uniqueSchema("curiereorg"));
    }, 360_000);
  });
});
