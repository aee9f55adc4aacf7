/**
 * viem clients for a devnet, and the one place transactions are signed and sent.
 *
 * Transactions are signed locally with a fixed gas limit and fixed fees and a locally tracked
 * nonce, then sent raw and one at a time. Nothing about a transaction depends on the node's
 * fee estimates or timing, so a seeded run produces byte-identical transactions (and hashes);
 * anvil runs with `--order fifo`, so arrival order is block order.
 */
import {
  type Abi,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  createPublicClient,
  defineChain,
  encodeFunctionData,
  type Hash,
  type Hex,
  http,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const MAX_FEE_PER_GAS = 1_000_000_000n;
export const MAX_PRIORITY_FEE_PER_GAS = 1_000_000_000n;

export function devnetChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: `perpwatch-devnet-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export interface ChainClient {
  chain: Chain;
  rpcUrl: string;
  public: PublicClient;
  /** Raw JSON-RPC, for anvil's test methods and raw sends (never retried: a send is not idempotent). */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
}

export function createChainClient(rpcUrl: string, chainId: number): ChainClient {
  const chain = devnetChain(chainId, rpcUrl);
  const pub = createPublicClient({
    chain,
    cacheTime: 0,
    transport: http(rpcUrl, { retryCount: 2 }),
  });
  const raw = createPublicClient({ chain, transport: http(rpcUrl, { retryCount: 0 }) });
  return {
    chain,
    rpcUrl,
    public: pub,
    rpc: <T>(method: string, params: unknown[] = []) =>
      (raw.request as (a: { method: string; params: unknown[] }) => Promise<T>)({ method, params }),
  };
}

/** A key that signs and sends, with its nonce kept here rather than asked of the node. */
export class TxSigner {
  readonly address: Address;
  private readonly account;
  private nonce = 0;

  constructor(
    private readonly client: ChainClient,
    privateKey: Hex,
  ) {
    this.account = privateKeyToAccount(privateKey);
    this.address = this.account.address;
  }

  /** Reads the pending nonce once; after that the signer is the only source of truth. */
  async syncNonce(): Promise<void> {
    this.nonce = await this.client.public.getTransactionCount({
      address: this.address,
      blockTag: "pending",
    });
  }

  get nextNonce(): number {
    return this.nonce;
  }

  async sendData(to: Address | undefined, data: Hex, gas: bigint): Promise<Hash> {
    const signed = await this.account.signTransaction({
      type: "eip1559",
      chainId: this.client.chain.id,
      nonce: this.nonce,
      to,
      data,
      gas,
      value: 0n,
      maxFeePerGas: MAX_FEE_PER_GAS,
      maxPriorityFeePerGas: MAX_PRIORITY_FEE_PER_GAS,
    });
    const hash = await this.client.rpc<Hash>("eth_sendRawTransaction", [signed]);
    this.nonce += 1;
    return hash;
  }

  async write<
    const abi extends Abi,
    name extends ContractFunctionName<abi, "nonpayable" | "payable">,
  >(
    address: Address,
    abi: abi,
    functionName: name,
    args: ContractFunctionArgs<abi, "nonpayable" | "payable", name>,
    gas: bigint,
  ): Promise<Hash> {
    const data = encodeFunctionData({ abi, functionName, args } as never);
    return this.sendData(address, data, gas);
  }
}

/**
 * Produces blocks. In manual mode (the simulator's), each block gets the timestamp
 * `genesis + n * blockTime` so chain time, and with it funding, is reproducible; in auto or
 * interval mode the node mines by itself and this only waits.
 */
export class BlockProducer {
  constructor(
    private readonly client: ChainClient,
    readonly manual: boolean,
    private nextTimestamp: number,
    readonly blockTime: number,
  ) {}

  static async forChain(
    client: ChainClient,
    manual: boolean,
    blockTime: number,
  ): Promise<BlockProducer> {
    const latest = await client.public.getBlock({ blockTag: "latest" });
    return new BlockProducer(client, manual, Number(latest.timestamp) + blockTime, blockTime);
  }

  get timestamp(): number {
    return this.nextTimestamp;
  }

  /** Mines one block now (manual mode) and returns its timestamp. */
  async mine(secondsAdvance = this.blockTime): Promise<number> {
    if (!this.manual) throw new Error("BlockProducer.mine: the node mines by itself in this mode");
    const ts = this.nextTimestamp;
    await this.client.rpc("evm_mine", [ts]);
    this.nextTimestamp = ts + secondsAdvance;
    return ts;
  }

  /** Makes sure `hashes` are mined and returns their receipts, throwing on any revert. */
  async settle(hashes: Hash[], what: string): Promise<TransactionReceipt[]> {
    if (this.manual && hashes.length > 0) await this.mine();
    const receipts = await Promise.all(
      hashes.map((hash) =>
        this.client.public.waitForTransactionReceipt({ hash, pollingInterval: 50 }),
      ),
    );
    const failed = receipts.find((r) => r.status !== "success");
    if (failed) throw new Error(`${what}: transaction ${failed.transactionHash} reverted`);
    return receipts;
  }
}
