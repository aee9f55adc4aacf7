/**
 * Test support: chain changes for the dashboards' end-to-end test — blocks with only an
 * oracle push (to let earlier blocks become final), and a reorg that replaces the last blocks
 * with other prices and trades (as test/indexer/reorg.test.ts does).
 */
import type { Address, Hash } from "viem";
import { type ChainClient, TxSigner } from "../../../devnet/chain.js";
import { ANVIL_KEYS, traderKey } from "../../../devnet/keys.js";
import {
  perpExchangeAbi,
  priceOracleAbi,
} from "../../../protocols/reference/contracts/generated/index.js";
import type { Deployment } from "../../../protocols/reference/devnet/deploy.js";

async function prices(
  client: ChainClient,
  d: Deployment,
): Promise<{ ids: bigint[]; prices: bigint[] }> {
  const ids = d.markets.map((m) => BigInt(m.marketId));
  const prices = await Promise.all(
    ids.map(async (id) => {
      const [price] = await client.public.readContract({
        address: d.oracle,
        abi: priceOracleAbi,
        functionName: "getPrice",
        args: [id],
      });
      return price;
    }),
  );
  return { ids, prices };
}

async function mineAfter(client: ChainClient, seconds = 1): Promise<void> {
  const last = await client.public.getBlock({ blockTag: "latest" });
  await client.rpc("evm_mine", [Number(last.timestamp) + seconds]);
}

/** Mines `n` blocks, each with one oracle push of unchanged prices; returns the new head. */
export async function minePriceBlocks(
  client: ChainClient,
  d: Deployment,
  n: number,
): Promise<bigint> {
  const keeper = new TxSigner(client, ANVIL_KEYS.oracleKeeper);
  await keeper.syncNonce();
  const p = await prices(client, d);
  for (let i = 0; i < n; i++) {
    await keeper.write(d.oracle, priceOracleAbi, "setPrices", [p.ids, p.prices], 400_000n);
    await mineAfter(client);
  }
  return client.public.getBlockNumber();
}

/**
 * Replaces the last `depth` blocks with `depth + 1` blocks of other transactions: prices
 * 0.4% lower per block and small trades of the first six accounts. Returns the new head.
 */
export async function replaceLastBlocks(
  client: ChainClient,
  d: Deployment,
  seed: number,
  depth: number,
): Promise<bigint> {
  const head = await client.public.getBlockNumber();
  await client.rpc("anvil_rollback", [depth]);
  await client.rpc("anvil_dropAllTransactions", []);
  const base = await client.public.getBlock({ blockTag: "latest" });
  if (base.number !== head - BigInt(depth)) throw new Error(`rollback left ${base.number}`);
  const keeper = new TxSigner(client, ANVIL_KEYS.oracleKeeper);
  await keeper.syncNonce();
  const traders = [0, 1, 2, 3, 4, 5].map((i) => ({
    accountId: BigInt(i + 1),
    signer: new TxSigner(client, traderKey(seed, i)),
  }));
  for (const t of traders) await t.signer.syncNonce();
  const p = await prices(client, d);
  for (let i = 0; i <= depth; i++) {
    const hashes: Hash[] = [];
    const step = p.prices.map((x) => (x * BigInt(1000 - 4 * (i + 1))) / 1000n);
    hashes.push(await keeper.write(d.oracle, priceOracleAbi, "setPrices", [p.ids, step], 400_000n));
    for (const [j, t] of traders.entries()) {
      const sizeDelta = (j % 2 === 0 ? 1n : -1n) * 10n ** 16n * BigInt(i + 1);
      hashes.push(
        await t.signer.write(
          d.exchange as Address,
          perpExchangeAbi,
          "modifyPosition",
          [t.accountId, p.ids[j % p.ids.length]!, sizeDelta],
          800_000n,
        ),
      );
    }
    await client.rpc("evm_mine", [Number(base.timestamp) + i + 1]);
    const first = await client.public.getTransactionReceipt({ hash: hashes[0]! });
    if (first.status !== "success") throw new Error("price push reverted in the replacement block");
  }
  return client.public.getBlockNumber();
}
