/**
 * What a protocol plugin is: the one shape `indexer/`, the API and the devnet ask of a
 * protocol folder (`protocols/<name>/`), and the exchanges a configuration lists.
 *
 * Why one interface: the reference exchange, Perpetual Protocol and GMX differ in everything
 * (events, margin formulas, where liquidations trade), but Ponder needs the same three things
 * from each — contracts and block sources for the configured deployments, and a handler per
 * event — and everything downstream reads the same tables, every row keyed by its exchange.
 * Adding a protocol is adding a folder and one line to `registry.ts`.
 */
import type { z } from "zod";
import type { BacktestBinding } from "../alerts/service/backtest.js";
import type { BlockProducer, ChainClient } from "../devnet/chain.js";
import type { Manifest } from "../devnet/manifest.js";
import type { SimulationResult, SimulatorOptions } from "../devnet/simulator/simulation.js";
import type { RiskModel } from "../engine/risk/riskModel.js";

export type Address = `0x${string}`;

/** One indexed exchange, as the configuration lists it (`exchanges[]`). */
export interface ExchangeConfig {
  /** The id every table row, GraphQL argument and ClickHouse row names it by. */
  id: string;
  /** A registered protocol's name (`protocols/registry.ts`). */
  protocol: string;
  /** The chain: its id, its RPC and the name Ponder knows it by (see indexer/chains.ts). */
  chain: { id: number; name: string; rpcUrl: string };
  /** The protocol's contract addresses, validated by its own `addresses` schema. */
  addresses: Record<string, Address>;
  startBlock: number;
}

/** What a mirror needs to know of the exchange it writes: its id and where it lives. */
export interface ExchangeKey {
  id: string;
  protocol: string;
  chainId: number;
  address: Address;
}

/** Ponder's indexing-function signature, erased: each plugin types its own handlers. */
export type PluginHandler = (args: { event: never; context: never }) => Promise<void>;

/** How the indexer writes the exchange-wide rows (see indexer/config.ts `RowWrites`). */
export interface PluginOptions {
  /** Exchange, market and price rows once per block (the plugin then declares block sources). */
  blockEnd: boolean;
}

/** Ponder's `contracts` and `blocks` entries, erased (each plugin builds its own). */
export type PonderSources = Record<string, unknown>;

/** A protocol deployed on a devnet: its manifest, and a simulator that trades on it. */
export interface DevnetDeployment {
  manifest(rpcUrl: string): Manifest;
  simulator(
    client: ChainClient,
    producer: BlockProducer,
    opts: SimulatorOptions,
  ): { run(): Promise<SimulationResult> };
}

/** How the devnet deploys a protocol on a fresh manual-mining anvil. */
export interface DevnetBinding {
  deploy(
    client: ChainClient,
    producer: BlockProducer,
    opts: { insuranceFund?: number; manifestPath?: string },
  ): Promise<DevnetDeployment>;
}

export interface Protocol {
  name: string;
  /** The addresses an exchange of this protocol needs, e.g. `{ exchange, oracle }`. */
  addresses: z.ZodType<Record<string, Address>>;
  /** Ponder `contracts` for this protocol's exchanges (contract names unique to the protocol). */
  contracts(exchanges: readonly ExchangeConfig[]): PonderSources;
  /** Ponder `blocks` sources, when the plugin writes per block. */
  blocks(exchanges: readonly ExchangeConfig[], options: PluginOptions): PonderSources;
  /** `"Contract:Event"` → handler, for these exchanges (one mirror per exchange). */
  handlers(
    exchanges: readonly ExchangeConfig[],
    options: PluginOptions,
  ): Readonly<Record<string, PluginHandler>>;
  /** The address the `exchange` table shows for an exchange (its main contract). */
  mainAddress(exchange: ExchangeConfig): Address;
  /** Every figure at a block, computed by the protocol's exact engine (engine/risk). */
  riskModel: RiskModel;
  /** Its devnet deployer and simulator (`perpwatch devnet --protocol <name>`). */
  devnet: DevnetBinding;
  /** Seeded in-memory runs for the alert backtest (`perpwatch backtest`), when it has them. */
  backtest?: BacktestBinding;
}
