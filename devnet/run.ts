/**
 * The devnet as one unit: anvil (manual mining) → deploy → manifest → simulator, and a clean
 * stop of all of it. `perpwatch devnet` and `perpwatch start` both run this.
 */
import { z } from "zod";
import type { DevnetDeployment } from "../protocols/protocol.js";
import { DEFAULT_PROTOCOL, PROTOCOL_NAMES, protocolNamed } from "../protocols/protocols.js";
import { type Anvil, startAnvil } from "./anvil.js";
import { BlockProducer, createChainClient } from "./chain.js";
import { DEFAULT_MANIFEST_PATH, type Manifest } from "./manifest.js";
import { SCENARIO_NAMES, scenarioByName } from "./simulator/scenarios.js";
import type { SimulationResult, TickReport } from "./simulator/simulation.js";

export const devnetOptionsSchema = z.object({
  protocol: z.string().refine((p) => PROTOCOL_NAMES.includes(p), {
    error: `expected one of ${PROTOCOL_NAMES.join(", ")}`,
  }),
  port: z.number().int().min(1).max(65_535),
  blockTime: z.number().positive().max(60),
  scenario: z.enum(SCENARIO_NAMES),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  accounts: z.number().int().min(1).max(20_000),
  pace: z.enum(["realtime", "max"]),
  ticks: z.number().int().positive().optional(),
  loop: z.boolean(),
  manifestPath: z.string().min(1),
});

export type DevnetOptions = z.infer<typeof devnetOptionsSchema>;

export const DEVNET_DEFAULTS: DevnetOptions = {
  protocol: DEFAULT_PROTOCOL,
  port: 8545,
  blockTime: 1,
  scenario: "crash-cascade",
  seed: 42,
  accounts: 300,
  pace: "realtime",
  loop: true,
  manifestPath: DEFAULT_MANIFEST_PATH,
};

export interface DevnetEvents {
  onAnvil?(anvil: Anvil): void;
  onDeployed?(manifest: Manifest, manifestPath: string): void;
  onTick?(report: TickReport): void;
}

export interface RunningDevnet {
  anvil: Anvil;
  deployment: DevnetDeployment;
  /** Resolves when the simulation ends (scenario over without loop, or stopped). */
  done: Promise<SimulationResult>;
  stop(): Promise<void>;
}

export async function startDevnet(
  opts: DevnetOptions,
  events: DevnetEvents = {},
): Promise<RunningDevnet> {
  const scenario = scenarioByName(opts.scenario);
  const anvil = await startAnvil({ port: opts.port, mining: { kind: "manual" } });
  events.onAnvil?.(anvil);
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, scenario.secondsPerTick);
    const deployment = await protocolNamed(opts.protocol)!.devnet.deploy(client, producer, {
      insuranceFund: scenario.insuranceFund,
      manifestPath: opts.manifestPath,
    });
    events.onDeployed?.(deployment.manifest(anvil.rpcUrl), opts.manifestPath);
    const abort = new AbortController();
    const sim = deployment.simulator(client, producer, {
      scenario,
      seed: opts.seed,
      accounts: opts.accounts,
      pace: opts.pace,
      blockTime: opts.blockTime,
      ticks: opts.ticks,
      loop: opts.loop,
      signal: abort.signal,
      onTick: events.onTick,
    });
    const done = sim.run();
    done.catch(() => {});
    return {
      anvil,
      deployment,
      done,
      stop: async () => {
        abort.abort();
        await done.catch(() => undefined);
        await anvil.stop();
      },
    };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}
