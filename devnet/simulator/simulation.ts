/**
 * What every protocol's simulator takes and reports: the devnet runs a scenario through the
 * configured protocol's simulator (protocols/<name>/devnet) and prints and tests these.
 */
import type { Hash } from "viem";
import type { Scenario } from "./scenarios.js";

/** A simulator's run: scenario, seed, accounts, pace. */
export interface SimulatorOptions {
  scenario: Scenario;
  seed: number;
  /** Number of simulated trader accounts. */
  accounts: number;
  /** "realtime" holds each block to `blockTime` wall seconds; "max" mines as fast as it can. */
  pace: "realtime" | "max";
  blockTime: number;
  /** Blocks to run (default: the scenario's length). */
  ticks?: number;
  /** Keep going (calm) after the scenario ends, until aborted. */
  loop?: boolean;
  /** Keep every transaction hash, in order (for reproducibility checks). */
  recordHashes?: boolean;
  signal?: AbortSignal;
  onTick?: (report: TickReport) => void;
}

/** One mined block, as the simulator reports it. */
export interface TickReport {
  tick: number;
  blockNumber: bigint;
  timestamp: number;
  phase: string;
  prices: number[];
  sent: number;
  reverted: number;
  liquidations: number;
  adl: number;
  insuranceFund: number;
}

/** A whole run's totals. */
export interface SimulationResult {
  ticks: number;
  setupTransactions: number;
  setupSeconds: number;
  transactions: number;
  reverted: number;
  seconds: number;
  liquidations: number;
  badDebtLiquidations: number;
  insuranceCovered: number;
  adlEvents: number;
  finalBlock: bigint;
  hashes: Hash[];
  byKind: Record<string, number>;
  revertedByKind: Record<string, number>;
}
