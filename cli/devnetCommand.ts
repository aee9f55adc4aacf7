/**
 * `perpwatch devnet`: runs the devnet with the simulator in the foreground, prints what is
 * running, and stops every child on Ctrl-C. `perpwatch start` launches the same devnet
 * through `launchDevnet` and adds the indexer beside it.
 */
import type { Command } from "commander";
import {
  DEVNET_DEFAULTS,
  type DevnetOptions,
  devnetOptionsSchema,
  type RunningDevnet,
  startDevnet,
} from "../devnet/run.js";
import { SCENARIO_NAMES, scenarioByName } from "../devnet/simulator/scenarios.js";
import type { TickReport } from "../devnet/simulator/simulation.js";
import { PROTOCOL_NAMES } from "../protocols/protocols.js";
import { stopOnSignals } from "../runtime/signals.js";
import { UsageError } from "./usageError.js";

export interface RawOptions {
  protocol: string;
  port: string;
  blockTime: string;
  scenario: string;
  seed: string;
  accounts: string;
  speed: string;
  ticks?: string;
  loop: boolean;
  manifest: string;
}

const FLAG: Record<string, string> = {
  protocol: "--protocol",
  port: "--port",
  blockTime: "--block-time",
  scenario: "--scenario",
  seed: "--seed",
  accounts: "--accounts",
  pace: "--speed",
  ticks: "--ticks",
  loop: "--no-loop",
  manifestPath: "--manifest",
};

export function parseDevnetOptions(raw: RawOptions): DevnetOptions {
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const candidate = {
    protocol: raw.protocol,
    port: num(raw.port),
    blockTime: num(raw.blockTime),
    scenario: raw.scenario,
    seed: num(raw.seed),
    accounts: num(raw.accounts),
    pace: raw.speed,
    ticks: num(raw.ticks),
    loop: raw.loop,
    manifestPath: raw.manifest,
  };
  const parsed = devnetOptionsSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const got = (raw as unknown as Record<string, unknown>)[
      key === "pace" ? "speed" : key === "manifestPath" ? "manifest" : key
    ];
    throw new UsageError(
      `option ${FLAG[key] ?? key}: ${issue.message} (got ${JSON.stringify(got)})`,
    );
  }
  return parsed.data;
}

export function addDevnetOptions(cmd: Command): Command {
  const d = DEVNET_DEFAULTS;
  return cmd
    .option("--protocol <name>", `the exchange to deploy: ${PROTOCOL_NAMES.join(", ")}`, d.protocol)
    .option("--scenario <name>", `market scenario: ${SCENARIO_NAMES.join(", ")}`, d.scenario)
    .option("--seed <n>", "simulator seed (same seed, same transactions)", String(d.seed))
    .option("--accounts <n>", "number of simulated trader accounts", String(d.accounts))
    .option("--block-time <seconds>", "wall-clock seconds per block", String(d.blockTime))
    .option("--speed <pace>", "realtime (one block per block-time) or max", d.pace)
    .option("--ticks <n>", "blocks to simulate (default: the scenario's length)")
    .option("--no-loop", "stop when the scenario ends instead of continuing calm")
    .option("--port <n>", "anvil JSON-RPC port", String(d.port))
    .option("--manifest <path>", "where to write the deployment manifest", d.manifestPath);
}

function fmtPrice(p: number): string {
  return p >= 100 ? p.toFixed(0) : p >= 1 ? p.toFixed(2) : p.toFixed(4);
}

export type Print = (line: string) => void;

/**
 * Starts the devnet and simulator, printing what runs and, every 10 blocks or on a
 * liquidation, one line of prices and events (`tickSuffix` appends e.g. the indexer's lag).
 */
export async function launchDevnet(
  opts: DevnetOptions,
  out: Print,
  tickSuffix: () => string = () => "",
): Promise<RunningDevnet> {
  const scenario = scenarioByName(opts.scenario);
  out(`perpwatch: scenario ${scenario.name} (${scenario.description})`);
  let names: string[] = [];
  return startDevnet(opts, {
    onAnvil: (a) =>
      out(
        `  anvil      ${a.rpcUrl}  chain ${a.chainId}, pid ${a.process.pid}, blocks mined by the simulator`,
      ),
    onDeployed: (m, path) => {
      names = m.markets.map((k) => k.symbol);
      const [[, main] = ["", ""], ...others] = Object.entries(m.contracts);
      const rest = others.map(([k, v]) => `${k} ${v}`);
      out(
        `  exchange   ${main}  (${m.protocol ?? opts.protocol}; ${rest.join(", ")}) from block ${m.startBlock}`,
      );
      out(`  manifest   ${path}`);
      out(
        `  simulator  seed ${opts.seed}, ${opts.accounts} accounts, ${opts.pace === "max" ? "max speed" : `${opts.blockTime}s blocks`}, ${scenario.secondsPerTick}s chain time per block`,
      );
    },
    onTick: (r: TickReport) => {
      if (r.tick % 10 !== 0 && r.liquidations === 0 && r.adl === 0) return;
      const prices = r.prices.map((p, i) => `${names[i] ?? i} ${fmtPrice(p)}`).join("  ");
      const events = `${r.liquidations ? ` liquidations ${r.liquidations}` : ""}${r.adl ? ` ADL ${r.adl}` : ""}`;
      out(
        `block ${r.blockNumber} [${r.phase}] ${prices} | tx ${r.sent} (${r.reverted} reverted) | insurance ${Math.round(r.insuranceFund).toLocaleString("en-US")}${events}${tickSuffix()}`,
      );
    },
  });
}

export async function runDevnetCommand(raw: RawOptions): Promise<void> {
  const opts = parseDevnetOptions(raw);
  const out: Print = (s) => process.stdout.write(`${s}\n`);
  const running = await launchDevnet(opts, out);
  out("Ctrl-C stops everything.\n");
  const signals = stopOnSignals(out, "simulator and anvil", () => running.stop());
  const result = await running.done;
  if (signals.stopping) return;
  out(
    `\nscenario done: ${result.ticks} blocks, ${result.transactions} transactions (${result.reverted} reverted), ${result.liquidations} liquidations (${result.badDebtLiquidations} with bad debt), ${result.adlEvents} ADL fills`,
  );
  await running.stop();
}
