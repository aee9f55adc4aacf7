/**
 * Moves every market's oracle price by ±0.1% and mines a block, once or every second: the
 * API benchmark's live chain, where each new block changes every account's health.
 */
import type { Address } from "viem";
import { BlockProducer, createChainClient, TxSigner } from "../devnet/chain.js";
import { ANVIL_KEYS } from "../devnet/keys.js";
import { priceOracleAbi } from "../protocols/reference/contracts/generated/index.js";

/** Pushes slightly moved prices for every market and mines a block: once, or every second. */
export class PriceFeed {
  private readonly client;
  private ready: Promise<{ producer: BlockProducer; keeper: TxSigner }> | undefined;
  private step = 0;

  constructor(
    rpcUrl: string,
    chainId: number,
    private readonly oracle: Address,
    private readonly markets: number,
  ) {
    this.client = createChainClient(rpcUrl, chainId);
  }

  /** Mines one block with new prices; resolves with its number once it is mined. */
  async push(): Promise<bigint> {
    this.ready ??= (async () => {
      const producer = await BlockProducer.forChain(this.client, true, 1);
      const keeper = new TxSigner(this.client, ANVIL_KEYS.oracleKeeper);
      await keeper.syncNonce();
      return { producer, keeper };
    })();
    const { producer, keeper } = await this.ready;
    const ids = Array.from({ length: this.markets }, (_, i) => BigInt(i + 1));
    const up = this.step++ % 2 === 0;
    const prices = await Promise.all(
      ids.map(async (id) => {
        const [p] = (await this.client.public.readContract({
          address: this.oracle,
          abi: priceOracleAbi,
          functionName: "getPrice",
          args: [id],
        })) as readonly [bigint, bigint];
        return (p * (up ? 1001n : 999n)) / 1000n;
      }),
    );
    const tx = await keeper.write(
      this.oracle,
      priceOracleAbi,
      "setPrices",
      [ids, prices],
      1_000_000n,
    );
    const [receipt] = await producer.settle([tx], "bench prices");
    return receipt!.blockNumber;
  }

  /** A block every second until `stop()`; resolves with the number of blocks. */
  everySecond(): { stop(): Promise<number> } {
    let stopped = false;
    const done = (async () => {
      let n = 0;
      while (!stopped) {
        const started = Date.now();
        await this.push();
        n++;
        await new Promise((res) => setTimeout(res, Math.max(0, 1000 - (Date.now() - started))));
      }
      return n;
    })();
    return {
      stop: async () => {
        stopped = true;
        return done;
      },
    };
  }
}
