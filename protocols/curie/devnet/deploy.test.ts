/**
 * Curie on its real bytecode: deploys the published contracts on a fresh manual-mining anvil,
 * then a maker deposits and adds liquidity and a taker deposits and opens a long.
 */
import { type Abi, type Address, type Hash, maxUint256, parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Anvil, startAnvil } from "../../../devnet/anvil.js";
import {
  BlockProducer,
  type ChainClient,
  createChainClient,
  TxSigner,
} from "../../../devnet/chain.js";
import { ANVIL_KEYS } from "../../../devnet/keys.js";
import { freePort } from "../../../runtime/freePort.js";
import { mockSettlementTokenAbi } from "../contracts/generated/index.js";
import { curie } from "./artifacts.js";
import { type CurieDeployment, deployCurie, makerTicks } from "./deploy.js";
import { priceOfSqrtX96 } from "./prices.js";

const GAS = 3_000_000n;

/** Runs `fn` as an eth_call from `from` first, so a revert fails the test with its reason. */
async function simulate(
  client: ChainClient,
  from: Address,
  to: Address,
  abi: Abi,
  fn: string,
  args: unknown[],
) {
  await client.public.simulateContract({ account: from, address: to, abi, functionName: fn, args });
}

describe("Curie devnet deployment", () => {
  let anvil: Anvil;
  let client: ChainClient;
  let producer: BlockProducer;
  let d: CurieDeployment;

  beforeAll(async () => {
    anvil = await startAnvil({ port: await freePort(), mining: { kind: "manual" } });
    client = createChainClient(anvil.rpcUrl, anvil.chainId);
    producer = await BlockProducer.forChain(client, true, 2);
    const t0 = Date.now();
    d = await deployCurie(client, producer);
    process.stderr.write(`curie deployed in ${Date.now() - t0} ms\n`);
  }, 60_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  const read = <T>(address: Address, abi: Abi, fn: string, args: unknown[]) =>
    client.public.readContract({ address, abi, functionName: fn, args }) as Promise<T>;

  it("deploys every market with its pool initialised at the oracle price", async () => {
    expect(d.markets.map((m) => m.symbol)).toEqual(["vETH", "vBTC"]);
    for (const m of d.markets) {
      expect(BigInt(m.baseToken) < BigInt(d.quoteToken)).toBe(true);
      const hasPool = await read<boolean>(d.marketRegistry, curie.MarketRegistry().abi, "hasPool", [
        m.baseToken,
      ]);
      expect(hasPool).toBe(true);
      const slot0 = await read<readonly [bigint]>(m.pool, curie.UniswapV3Pool().abi, "slot0", []);
      expect(priceOfSqrtX96(slot0[0])).toBeCloseTo(m.spec.initialPrice, 3);
      const index = await read<bigint>(m.baseToken, curie.BaseToken().abi, "getIndexPrice", [0n]);
      expect(Number(index) / 1e18).toBeCloseTo(m.spec.initialPrice, 6);
    }
  });

  it("lets a maker add liquidity and a taker open a position", async () => {
    const eth = d.markets[0]!;
    const ch = curie.ClearingHouse().abi;
    const maker = new TxSigner(client, ANVIL_KEYS.oracleKeeper);
    const taker = new TxSigner(client, ANVIL_KEYS.liquidationKeeper);
    await maker.syncNonce();
    await taker.syncNonce();
    const hashes: Hash[] = [];
    for (const [who, amount] of [
      [maker, parseUnits("1000000", 18)],
      [taker, parseUnits("10000", 18)],
    ] as const) {
      hashes.push(
        await who.write(
          d.settlementToken,
          mockSettlementTokenAbi,
          "mint",
          [who.address, amount],
          GAS,
        ),
      );
      hashes.push(
        await who.write(
          d.settlementToken,
          mockSettlementTokenAbi,
          "approve",
          [d.vault, maxUint256],
          GAS,
        ),
      );
      hashes.push(
        await who.write(d.vault, curie.Vault().abi, "deposit", [d.settlementToken, amount], GAS),
      );
    }
    await producer.settle(hashes, "deposits");

    // The maker quotes both markets over ±20 % of the oracle price, ~300 000 USD a side.
    const hashesLp: Hash[] = [];
    for (const m of d.markets) {
      const addParams = {
        baseToken: m.baseToken,
        base: parseUnits(String(300_000 / m.spec.initialPrice), 18),
        quote: parseUnits("300000", 18),
        ...makerTicks(m.spec.initialPrice, 0.2),
        minBase: 0n,
        minQuote: 0n,
        useTakerBalance: false,
        deadline: maxUint256,
      };
      await simulate(client, maker.address, d.clearingHouse, ch, "addLiquidity", [addParams]);
      hashesLp.push(await maker.write(d.clearingHouse, ch, "addLiquidity", [addParams], GAS));
    }
    await producer.settle(hashesLp, "addLiquidity");
    for (const m of d.markets) {
      const liquidity = await read<bigint>(m.pool, curie.UniswapV3Pool().abi, "liquidity", []);
      expect(liquidity > 0n).toBe(true);
    }

    const before = await read<readonly [bigint]>(eth.pool, curie.UniswapV3Pool().abi, "slot0", []);
    // Long: pay 3 000 vUSD (exact input) for as much vETH as it buys.
    const openParams = {
      baseToken: eth.baseToken,
      isBaseToQuote: false,
      isExactInput: true,
      amount: parseUnits("3000", 18),
      oppositeAmountBound: 0n,
      deadline: maxUint256,
      sqrtPriceLimitX96: 0n,
      referralCode: `0x${"0".repeat(64)}`,
    };
    await simulate(client, taker.address, d.clearingHouse, ch, "openPosition", [openParams]);
    await producer.settle(
      [await taker.write(d.clearingHouse, ch, "openPosition", [openParams], GAS)],
      "openPosition",
    );

    const size = await read<bigint>(
      d.accountBalance,
      curie.AccountBalance().abi,
      "getTakerPositionSize",
      [taker.address, eth.baseToken],
    );
    expect(size > 0n).toBe(true);
    expect(Number(size) / 1e18).toBeGreaterThan(0.9);
    expect(Number(size) / 1e18).toBeLessThan(1.0);
    const value = await read<bigint>(d.clearingHouse, ch, "getAccountValue", [taker.address]);
    expect(value > 0n).toBe(true);
    const after = await read<readonly [bigint]>(eth.pool, curie.UniswapV3Pool().abi, "slot0", []);
    expect(after[0] > before[0]).toBe(true);
    process.stderr.write(
      `taker size ${Number(size) / 1e18} vETH, account value ${Number(value) / 1e18} USD, ` +
        `pool ${priceOfSqrtX96(before[0]).toFixed(2)} → ${priceOfSqrtX96(after[0]).toFixed(2)}\n`,
    );
  }, 60_000);
});
