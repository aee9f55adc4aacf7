/**
 * Deploys the reference exchange on a devnet: collateral token, oracle, exchange, lens, the
 * default markets with their first prices, and a seeded insurance fund. Contract addresses
 * follow from the deployer's nonces, so every transaction can be signed before the first one
 * is mined and the whole deployment lands in one block in manual mode.
 */
import { type Address, encodeDeployData, getContractAddress, maxUint256, parseUnits } from "viem";
import { type BlockProducer, type ChainClient, TxSigner } from "../../../devnet/chain.js";
import { ANVIL_KEYS } from "../../../devnet/keys.js";
import { type Manifest, writeManifest } from "../../../devnet/manifest.js";
import { toD18At8Decimals } from "../../../engine/analytics/d18.js";
import {
  mockUSDAbi,
  mockUSDBytecode,
  perpExchangeAbi,
  perpExchangeBytecode,
  perpLensAbi,
  perpLensBytecode,
  priceOracleAbi,
  priceOracleBytecode,
} from "../contracts/generated/index.js";
import { DEFAULT_MARKETS, type MarketSpec } from "./markets.js";

export interface DeployOptions {
  markets?: readonly MarketSpec[];
  /** Oracle staleness limit of the exchange, seconds. */
  maxPriceAge?: number;
  /** Insurance fund seeded at deployment, USD. */
  insuranceFund?: number;
  /** USD minted straight to the exchange so profitable traders and keepers can always be paid. */
  vaultBuffer?: number;
  /** Where to write the manifest; nothing is written when omitted. */
  manifestPath?: string;
}

export interface Deployment {
  chainId: number;
  startBlock: number;
  exchange: Address;
  oracle: Address;
  collateralToken: Address;
  lens: Address;
  deployer: Address;
  oracleKeeper: Address;
  markets: { marketId: number; symbol: string; spec: MarketSpec }[];
  maxPriceAge: number;
}

const DEPLOY_GAS = 8_000_000n;
const CALL_GAS = 1_000_000n;

export async function deployExchange(
  client: ChainClient,
  producer: BlockProducer,
  opts: DeployOptions = {},
): Promise<Deployment> {
  const markets = opts.markets ?? DEFAULT_MARKETS;
  const maxPriceAge = opts.maxPriceAge ?? 60;
  const deployer = new TxSigner(client, ANVIL_KEYS.deployer);
  await deployer.syncNonce();
  const oracleKeeper = new TxSigner(client, ANVIL_KEYS.oracleKeeper);
  const at = (offset: number) =>
    getContractAddress({ from: deployer.address, nonce: BigInt(deployer.nextNonce + offset) });
  const token = at(0);
  const oracle = at(1);
  const exchange = at(2);
  const lens = at(3);

  const hashes = [
    await deployer.sendData(undefined, mockUSDBytecode, DEPLOY_GAS),
    await deployer.sendData(undefined, priceOracleBytecode, DEPLOY_GAS),
    await deployer.sendData(
      undefined,
      encodeDeployData({
        abi: perpExchangeAbi,
        bytecode: perpExchangeBytecode,
        args: [token, oracle, BigInt(maxPriceAge)],
      }),
      DEPLOY_GAS,
    ),
    await deployer.sendData(
      undefined,
      encodeDeployData({ abi: perpLensAbi, bytecode: perpLensBytecode, args: [exchange] }),
      DEPLOY_GAS,
    ),
  ];
  for (const m of markets) {
    hashes.push(
      await deployer.write(
        exchange,
        perpExchangeAbi,
        "createMarket",
        [m.symbol, m.params],
        CALL_GAS,
      ),
    );
  }
  hashes.push(
    await deployer.write(
      oracle,
      priceOracleAbi,
      "setUpdater",
      [oracleKeeper.address, true],
      CALL_GAS,
    ),
  );
  hashes.push(
    await deployer.write(
      oracle,
      priceOracleAbi,
      "setPrices",
      [markets.map((_, i) => BigInt(i + 1)), markets.map((m) => toD18At8Decimals(m.initialPrice))],
      CALL_GAS,
    ),
  );
  const insurance = parseUnits(String(opts.insuranceFund ?? 250_000), 18);
  const buffer = parseUnits(String(opts.vaultBuffer ?? 1_000_000_000), 18);
  hashes.push(
    await deployer.write(token, mockUSDAbi, "mint", [deployer.address, insurance], CALL_GAS),
  );
  hashes.push(await deployer.write(token, mockUSDAbi, "mint", [exchange, buffer], CALL_GAS));
  hashes.push(await deployer.write(token, mockUSDAbi, "approve", [exchange, maxUint256], CALL_GAS));
  if (insurance > 0n) {
    hashes.push(
      await deployer.write(
        exchange,
        perpExchangeAbi,
        "depositInsuranceFund",
        [insurance],
        CALL_GAS,
      ),
    );
  }
  const receipts = await producer.settle(hashes, "deploy");
  const startBlock = Number(receipts[0]!.blockNumber);

  const deployment: Deployment = {
    chainId: client.chain.id,
    startBlock,
    exchange,
    oracle,
    collateralToken: token,
    lens,
    deployer: deployer.address,
    oracleKeeper: oracleKeeper.address,
    markets: markets.map((spec, i) => ({ marketId: i + 1, symbol: spec.symbol, spec })),
    maxPriceAge,
  };
  if (opts.manifestPath) writeManifest(opts.manifestPath, toManifest(deployment, client.rpcUrl));
  return deployment;
}

export function toManifest(d: Deployment, rpcUrl: string, genesisTimestamp = 0): Manifest {
  return {
    version: 1,
    protocol: "reference",
    chainId: d.chainId,
    rpcUrl,
    startBlock: d.startBlock,
    genesisTimestamp,
    contracts: {
      exchange: d.exchange,
      oracle: d.oracle,
      collateralToken: d.collateralToken,
      lens: d.lens,
    },
    markets: d.markets.map(({ marketId, symbol }) => ({ marketId, symbol })),
    maxPriceAge: d.maxPriceAge,
    deployedAt: new Date().toISOString(),
  };
}
