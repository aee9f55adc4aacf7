/**
 * Simulated chains as fixtures: run a scenario on a fresh manual-mining anvil, and save an
 * anvil's whole chain (blocks, receipts, state) to a file to start a new anvil from later.
 *
 * Why: indexer tests and benchmarks need a chain with real trading on it — tens of
 * thousands of logs for a benchmark take minutes to simulate, but seconds to load. A saved
 * chain keeps its blocks and logs (what an indexer reads); anvil does not keep historical
 * states across a save, so `eth_call` at old blocks only works on the live, simulated node.
 * The manifest is saved beside the state (`<file>.manifest.json`) so a loaded chain comes
 * with its addresses and start block.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  type Deployment,
  deployExchange,
  toManifest,
} from "../protocols/reference/devnet/deploy.js";
import {
  type SimulationResult,
  Simulator,
  type TickReport,
} from "../protocols/reference/devnet/simulator.js";
import { freePort } from "../runtime/freePort.js";
import { type Anvil, startAnvil } from "./anvil.js";
import { BlockProducer, type ChainClient, createChainClient } from "./chain.js";
import { type Manifest, manifestSchema } from "./manifest.js";
import { type ScenarioName, scenarioByName } from "./simulator/scenarios.js";

export interface SimulateOptions {
  scenario: ScenarioName;
  seed: number;
  accounts: number;
  /** Blocks to simulate (default: the scenario's length). */
  ticks?: number;
  port?: number;
  /**
   * Chain id of the new node (default anvil's 31337). Indexer tests give every chain its own:
   * Ponder caches RPC data per chain id in a database-wide schema (`ponder_sync`), so two
   * different chains with one id in one database would read each other's cached logs.
   */
  chainId?: number;
  onTick?: (report: TickReport) => void;
}

export interface SimulatedChain {
  anvil: Anvil;
  client: ChainClient;
  producer: BlockProducer;
  deployment: Deployment;
  result: SimulationResult;
  /** The deployment manifest, with this anvil's RPC URL. */
  manifest: Manifest;
}

/** A fresh anvil, the reference exchange deployed on it, and `ticks` simulated blocks. */
export async function simulateChain(opts: SimulateOptions): Promise<SimulatedChain> {
  const scenario = scenarioByName(opts.scenario);
  const anvil = await startAnvil({
    port: opts.port ?? (await freePort()),
    chainId: opts.chainId,
    mining: { kind: "manual" },
  });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, scenario.secondsPerTick);
    const deployment = await deployExchange(client, producer, {
      insuranceFund: scenario.insuranceFund,
    });
    const sim = new Simulator(client, producer, deployment, {
      scenario,
      seed: opts.seed,
      accounts: opts.accounts,
      pace: "max",
      blockTime: 1,
      ticks: opts.ticks,
      onTick: opts.onTick,
    });
    const result = await sim.run();
    return {
      anvil,
      client,
      producer,
      deployment,
      result,
      manifest: toManifest(deployment, anvil.rpcUrl),
    };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

/** Saves the node's chain to `path` (JSON, as `anvil --load-state` reads it) with its manifest. */
export async function saveChain(rpcUrl: string, manifest: Manifest, path: string): Promise<void> {
  // Plain fetch: the dump is tens of megabytes, over viem's response size limit.
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_dumpState", params: [] }),
  });
  const body = (await res.json()) as { result?: string; error?: { message: string } };
  if (!body.result) throw new Error(`anvil_dumpState failed: ${body.error?.message ?? res.status}`);
  const raw = Buffer.from(body.result.slice(2), "hex");
  const json = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, json);
  writeFileSync(`${path}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function hasSavedChain(path: string): boolean {
  return existsSync(path) && existsSync(`${path}.manifest.json`);
}

/** Starts a manual-mining anvil from a saved chain; the manifest carries the new RPC URL. */
export async function loadChain(
  path: string,
  port?: number,
): Promise<{ anvil: Anvil; manifest: Manifest }> {
  const saved = manifestSchema.parse(JSON.parse(readFileSync(`${path}.manifest.json`, "utf8")));
  const anvil = await startAnvil({
    port: port ?? (await freePort()),
    mining: { kind: "manual" },
    extraArgs: ["--load-state", path],
  });
  return { anvil, manifest: { ...saved, rpcUrl: anvil.rpcUrl } };
}
