/**
 * Curie on a devnet (protocols/protocol.ts `DevnetBinding`): deploy the published bytecode with
 * the scenario's insurance fund, write the manifest, and trade with the Curie simulator. Not
 * registered here: protocols/registry.ts lists Curie once its engine and plugin exist.
 */
import { writeManifest } from "../../../devnet/manifest.js";
import type { DevnetBinding } from "../../protocol.js";
import { deployCurie } from "./deploy.js";
import { toCurieManifest } from "./manifest.js";
import { CurieSimulator } from "./simulator.js";

/** Curie's longest TWAP: the mark price's 30-minute market TWAP (ClearingHouseConfig default). */
const MARK_TWAP_WINDOW = 1800;

/**
 * Uniswap oracle slots a pool needs when it trades every block of `blockTime` seconds: one per
 * block of the 30-minute window (or `observe` reverts OLD), and a tenth more.
 */
export function observationCardinalityFor(blockTime: number): number {
  return Math.max(100, Math.ceil((MARK_TWAP_WINDOW / blockTime) * 1.1));
}

export const curieDevnet: DevnetBinding = {
  async deploy(client, producer, opts) {
    const deployment = await deployCurie(client, producer, {
      insuranceFund: opts.insuranceFund,
      observationCardinality: observationCardinalityFor(producer.blockTime),
    });
    if (opts.manifestPath)
      writeManifest(opts.manifestPath, toCurieManifest(deployment, client.rpcUrl));
    return {
      manifest: (rpcUrl) => toCurieManifest(deployment, rpcUrl),
      simulator: (c, p, o) => new CurieSimulator(c, p, deployment, o),
    };
  },
};
