/**
 * The reference exchange on a devnet (protocols/protocol.ts `DevnetBinding`): deploy the
 * contracts with the default markets, write the manifest, and trade with the simulator.
 */
import type { DevnetBinding } from "../../protocol.js";
import { deployExchange, toManifest } from "./deploy.js";
import { Simulator } from "./simulator.js";

export const referenceDevnet: DevnetBinding = {
  async deploy(client, producer, opts) {
    const deployment = await deployExchange(client, producer, opts);
    return {
      manifest: (rpcUrl) => toManifest(deployment, rpcUrl),
      simulator: (c, p, o) => new Simulator(c, p, deployment, o),
    };
  },
};
