/**
 * A freshly deployed reference exchange on a private automining anvil, for the contract tests.
 *
 * Each test file starts one fixture in `beforeAll` and stops it in `afterAll`. Automine means
 * every transaction is mined in its own block at once, so "the state at the receipt's block"
 * is exactly the state right after that transaction. Transactions are sent with a fixed gas
 * limit and no estimation, so a transaction that reverts is still mined (status "reverted"),
 * which is how tests prove a call really fails on chain; the revert reason is read with a
 * simulation (`revertOf`). Chain time only moves when a block is mined, so time warps are
 * `evm_increaseTime`/`evm_setNextBlockTimestamp` followed by `evm_mine`.
 */
import {
  type Address,
  BaseError,
  type ContractFunctionArgs,
  type ContractFunctionName,
  ContractFunctionRevertedError,
  type Hash,
  type Hex,
  maxUint256,
  parseUnits,
  type TransactionReceipt,
} from "viem";
import { type Anvil, startAnvil } from "../../devnet/anvil.js";
import {
  BlockProducer,
  type ChainClient,
  createChainClient,
  TxSigner,
} from "../../devnet/chain.js";
import { ANVIL_KEYS, traderKey } from "../../devnet/keys.js";
import {
  mockUSDAbi,
  perpExchangeAbi,
  priceOracleAbi,
} from "../../protocols/reference/contracts/generated/index.js";
import {
  type Deployment,
  type DeployOptions,
  deployExchange,
} from "../../protocols/reference/devnet/deploy.js";
import { freePort } from "../../runtime/freePort.js";
import type { LiquidatedPosition } from "./referenceMath.js";

/** Gas limit of every test transaction: far above what any call needs, so none runs out. */
export const GAS = 5_000_000n;

/** USD amount or size as a D18 bigint, from a decimal string or number (exact). */
export const d18 = (value: number | string): bigint => parseUnits(String(value), 18);

type ExchangeAbi = typeof perpExchangeAbi;
type WriteName = ContractFunctionName<ExchangeAbi, "nonpayable">;
type WriteArgs<N extends WriteName> = ContractFunctionArgs<ExchangeAbi, "nonpayable", N>;

/** A funded key with one exchange account. */
export interface Trader {
  signer: TxSigner;
  address: Address;
  accountId: bigint;
}

/** A decoded custom-error revert. */
export interface Revert {
  errorName: string;
  args: readonly unknown[];
}

/**
 * Runs a call that must revert (typically `simulateContract`) and returns the decoded custom
 * error; throws if the call succeeds or fails for any other reason than a contract revert.
 */
export async function revertOf(call: () => Promise<unknown>): Promise<Revert> {
  try {
    await call();
  } catch (err) {
    if (err instanceof BaseError) {
      const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
      if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
        return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
      }
    }
    throw err;
  }
  throw new Error("revertOf: the call succeeded, a revert was expected");
}

/** Called with the receipt of every transaction the fixture waits for, in order. */
export type ReceiptObserver = (receipt: TransactionReceipt) => Promise<void>;

export class ExchangeFixture {
  private traderCount = 0;
  private readonly observers: ReceiptObserver[] = [];

  private constructor(
    readonly anvil: Anvil,
    readonly client: ChainClient,
    readonly deployment: Deployment,
    /** Owner of the token, the oracle and the exchange. */
    readonly deployer: TxSigner,
    /** An oracle updater. */
    readonly oracleKeeper: TxSigner,
    /** Calls liquidate and autoDeleverage in the tests. */
    readonly keeper: TxSigner,
    private readonly seed: number,
  ) {}

  /** Starts an automining anvil on a free port and deploys the exchange on it. */
  static async start(opts: DeployOptions = {}, seed = 1): Promise<ExchangeFixture> {
    const anvil = await startAnvil({ port: await freePort(), mining: { kind: "auto" } });
    try {
      const client = createChainClient(anvil.rpcUrl, anvil.chainId);
      const producer = await BlockProducer.forChain(client, false, 1);
      const deployment = await deployExchange(client, producer, opts);
      const signer = async (key: Hex) => {
        const s = new TxSigner(client, key);
        await s.syncNonce();
        return s;
      };
      return new ExchangeFixture(
        anvil,
        client,
        deployment,
        await signer(ANVIL_KEYS.deployer),
        await signer(ANVIL_KEYS.oracleKeeper),
        await signer(ANVIL_KEYS.liquidationKeeper),
        seed,
      );
    } catch (err) {
      await anvil.stop();
      throw err;
    }
  }

  get exchange(): Address {
    return this.deployment.exchange;
  }

  stop(): Promise<void> {
    return this.anvil.stop();
  }

  // ---------------------------------------------------------------- transactions

  /** Runs `observer` on the receipt of every later transaction sent through the fixture. */
  observe(observer: ReceiptObserver): void {
    this.observers.push(observer);
  }

  /** Waits for a sent transaction and returns its receipt, whatever its status. */
  async mined(hash: Hash | Promise<Hash>): Promise<TransactionReceipt> {
    const receipt = await this.client.public.waitForTransactionReceipt({
      hash: await hash,
      pollingInterval: 20,
    });
    for (const observer of this.observers) await observer(receipt);
    return receipt;
  }

  /** Waits for a sent transaction and returns its receipt; throws if it reverted. */
  async ok(hash: Hash | Promise<Hash>): Promise<TransactionReceipt> {
    const receipt = await this.mined(hash);
    if (receipt.status !== "success") {
      throw new Error(`transaction ${receipt.transactionHash} reverted`);
    }
    return receipt;
  }

  /** Sends an exchange call from `signer` and returns its receipt, whatever its status. */
  send<const N extends WriteName>(
    signer: TxSigner,
    functionName: N,
    args: WriteArgs<N>,
  ): Promise<TransactionReceipt> {
    return this.mined(signer.write(this.exchange, perpExchangeAbi, functionName, args, GAS));
  }

  /** Sends an exchange call from `signer`; throws if it reverted. */
  async call<const N extends WriteName>(
    signer: TxSigner,
    functionName: N,
    args: WriteArgs<N>,
  ): Promise<TransactionReceipt> {
    return this.ok(signer.write(this.exchange, perpExchangeAbi, functionName, args, GAS));
  }

  /** Simulates an exchange call from `from` on the latest state and returns its revert. */
  revert<const N extends WriteName>(
    from: Address,
    functionName: N,
    args: WriteArgs<N>,
  ): Promise<Revert> {
    return revertOf(() =>
      this.client.public.simulateContract({
        account: from,
        address: this.exchange,
        abi: perpExchangeAbi,
        functionName,
        args,
      } as never),
    );
  }

  /**
   * A new funded trader: gas money, `collateral` USD deposited into a fresh account, and
   * `extra` USD left in the wallet (approved to the exchange).
   */
  async newTrader(collateral: bigint, extra = 0n): Promise<Trader> {
    this.traderCount += 1;
    const signer = new TxSigner(this.client, traderKey(this.seed, this.traderCount));
    await this.client.rpc("anvil_setBalance", [signer.address, "0xde0b6b3a7640000000"]);
    await this.ok(
      this.deployer.write(
        this.deployment.collateralToken,
        mockUSDAbi,
        "mint",
        [signer.address, collateral + extra],
        GAS,
      ),
    );
    await this.ok(
      signer.write(
        this.deployment.collateralToken,
        mockUSDAbi,
        "approve",
        [this.exchange, maxUint256],
        GAS,
      ),
    );
    const created = await this.call(signer, "createAccount", []);
    const accountId = await this.client.public.readContract({
      address: this.exchange,
      abi: perpExchangeAbi,
      functionName: "accountCount",
      blockNumber: created.blockNumber,
    });
    if (collateral > 0n) await this.call(signer, "modifyCollateral", [accountId, collateral]);
    return { signer, address: signer.address, accountId };
  }

  /** Trades `sizeDelta` in `marketId` for `trader`; throws if it reverted. */
  trade(trader: Trader, marketId: bigint, sizeDelta: bigint): Promise<TransactionReceipt> {
    return this.call(trader.signer, "modifyPosition", [trader.accountId, marketId, sizeDelta]);
  }

  /** The oracle keeper publishes `price` (D18) for `marketId`. */
  pushPrice(marketId: bigint, price: bigint): Promise<TransactionReceipt> {
    return this.ok(
      this.oracleKeeper.write(
        this.deployment.oracle,
        priceOracleAbi,
        "setPrice",
        [marketId, price],
        GAS,
      ),
    );
  }

  /** Republishes every market's current price, so none is stale. */
  async refreshPrices(): Promise<TransactionReceipt> {
    const ids = this.deployment.markets.map((m) => BigInt(m.marketId));
    const prices = await Promise.all(ids.map(async (id) => (await this.price(id)).price));
    return this.ok(
      this.oracleKeeper.write(
        this.deployment.oracle,
        priceOracleAbi,
        "setPrices",
        [ids, prices],
        GAS,
      ),
    );
  }

  // ---------------------------------------------------------------- time

  /** Timestamp of the latest block. */
  async now(): Promise<bigint> {
    return (await this.client.public.getBlock({ blockTag: "latest" })).timestamp;
  }

  /** Makes the next mined block carry timestamp `ts`. */
  async setNextTimestamp(ts: bigint): Promise<void> {
    await this.client.rpc("evm_setNextBlockTimestamp", [Number(ts)]);
  }

  /** Advances chain time by `seconds` and mines an empty block; returns its timestamp. */
  async warp(seconds: bigint): Promise<bigint> {
    await this.client.rpc("evm_increaseTime", [Number(seconds)]);
    await this.client.rpc("evm_mine", []);
    return this.now();
  }

  // ---------------------------------------------------------------- views

  async account(accountId: bigint, blockNumber?: bigint) {
    const [owner, collateral, openMarkets] = await this.client.public.readContract({
      address: this.exchange,
      abi: perpExchangeAbi,
      functionName: "getAccount",
      args: [accountId],
      blockNumber,
    });
    return { owner, collateral, openMarkets };
  }

  position(accountId: bigint, marketId: bigint, blockNumber?: bigint) {
    return this.client.public.readContract({
      address: this.exchange,
      abi: perpExchangeAbi,
      functionName: "getPosition",
      args: [accountId, marketId],
      blockNumber,
    });
  }

  market(marketId: bigint, blockNumber?: bigint) {
    return this.client.public.readContract({
      address: this.exchange,
      abi: perpExchangeAbi,
      functionName: "getMarket",
      args: [marketId],
      blockNumber,
    });
  }

  adlRecord(accountId: bigint, marketId: bigint, isLong: boolean, blockNumber?: bigint) {
    return this.client.public.readContract({
      address: this.exchange,
      abi: perpExchangeAbi,
      functionName: "getAdlRecord",
      args: [accountId, marketId, isLong],
      blockNumber,
    });
  }

  async health(accountId: bigint, blockNumber?: bigint) {
    const [equity, initialMargin, maintenanceMargin, notional] =
      await this.client.public.readContract({
        address: this.exchange,
        abi: perpExchangeAbi,
        functionName: "accountHealth",
        args: [accountId],
        blockNumber,
      });
    return { equity, initialMargin, maintenanceMargin, notional };
  }

  insuranceFund(blockNumber?: bigint): Promise<bigint> {
    return this.client.public.readContract({
      address: this.exchange,
      abi: perpExchangeAbi,
      functionName: "insuranceFund",
      blockNumber,
    });
  }

  async price(marketId: bigint, blockNumber?: bigint) {
    const [price, publishTime] = await this.client.public.readContract({
      address: this.deployment.oracle,
      abi: priceOracleAbi,
      functionName: "getPrice",
      args: [marketId],
      blockNumber,
    });
    return { price, publishTime };
  }

  tokenBalance(address: Address, blockNumber?: bigint): Promise<bigint> {
    return this.client.public.readContract({
      address: this.deployment.collateralToken,
      abi: mockUSDAbi,
      functionName: "balanceOf",
      args: [address],
      blockNumber,
    });
  }

  /**
   * What `liquidationWaterfall` needs for a liquidation mined in `block`: the account's
   * collateral, open positions and the insurance fund just before it (block - 1, the previous
   * transaction under automine), and each market's price and funding index at the block.
   */
  async liquidationInputs(accountId: bigint, block: bigint) {
    const before = block - 1n;
    const { collateral, openMarkets } = await this.account(accountId, before);
    const insuranceFund = await this.insuranceFund(before);
    const marketIds: bigint[] = [];
    const positions: LiquidatedPosition[] = [];
    for (const { marketId } of this.deployment.markets) {
      const id = BigInt(marketId);
      if ((openMarkets & (1n << (id - 1n))) === 0n) continue;
      const p = await this.position(accountId, id, before);
      const m = await this.market(id, block);
      const { price } = await this.price(id, block);
      marketIds.push(id);
      positions.push({
        params: m.params,
        size: p.size,
        lastPrice: p.lastPrice,
        lastFundingIndex: p.lastFundingIndex,
        price,
        fundingIndex: m.state.lastFundingIndex,
      });
    }
    return { collateral, insuranceFund, marketIds, positions };
  }
}
