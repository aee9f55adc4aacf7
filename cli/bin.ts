#!/usr/bin/env -S npx tsx
/**
 * The `perpwatch` command. Argument parsing is commander's; every command validates its
 * options with zod and reports a bad one in a single line. Any error reaching this file is
 * printed as one line (the stack only with PERPWATCH_DEBUG=1).
 */
import { Command } from "commander";
import { addAlertsStoreCommands } from "./alertsStoreCommands.js";
import { addAlertsTestOptions, runAlertsTestCommand } from "./alertsTestCommand.js";
import { addBacktestOptions, runBacktestCommand } from "./backtestCommand.js";
import { addConfigCheckOptions, runConfigCheckCommand } from "./configCheckCommand.js";
import { addDevnetOptions, runDevnetCommand } from "./devnetCommand.js";
import { addRiskOptions, runRiskCommand } from "./riskCommand.js";
import { addServeOptions, runServeCommand } from "./serveCommand.js";
import { addStartOptions, runStartCommand } from "./startCommand.js";
import { addWorkerOptions, runWorkerCommand } from "./workerCommand.js";

// commander's own usage errors (unknown flag, missing value, unknown command) as one line in the
// shape of ours, pointing at `--help` instead of printing it; exit code 1 is commander's. Every
// subcommand inherits this output setting from the program it is created on.
const program = new Command()
  .name("perpwatch")
  .description("Risk monitor for perpetual-futures exchanges: devnet, indexer, API, alerts")
  .configureOutput({ outputError: (str, write) => write(usageLine(str)) });

/** commander's error text (`error: unknown option '--x'` …) as one `perpwatch: …` line. */
function usageLine(commanderError: string): string {
  const first = commanderError
    .trim()
    .split("\n")[0]!
    .replace(/^error: /, "");
  return `perpwatch: ${first} (see --help)\n`;
}

addDevnetOptions(
  program
    .command("devnet")
    .description("start anvil, deploy the reference exchange and run the market simulator"),
).action((opts) => runDevnetCommand(opts));

addStartOptions(
  program
    .command("start")
    .description("run the whole stack: devnet + simulator, then the indexer and API on it"),
).action((opts, cmd: Command) => runStartCommand(opts, cmd));

addServeOptions(
  program
    .command("serve")
    .description("run an API replica over the indexer's PostgreSQL (`ponder serve`, read-only)"),
).action((opts) => runServeCommand(opts));

addWorkerOptions(
  program
    .command("worker")
    .description("run the alert service and the ClickHouse exporter against a running indexer"),
).action((opts) => runWorkerCommand(opts));

addRiskOptions(
  program
    .command("risk")
    .description(
      "chart a market's liquidation ladder and a cascade from a shock, from the running API",
    ),
).action((opts) => runRiskCommand(opts));

addBacktestOptions(
  program
    .command("backtest")
    .description(
      "score the alert rules on many seeded simulator runs, in memory (no chain, no webhooks)",
    ),
).action((opts) => runBacktestCommand(opts));

const alertsCmd = program.command("alerts").description("alert channels and rules");
addAlertsTestOptions(
  alertsCmd
    .command("test")
    .description("send one test alert through every configured receiver and report each answer"),
).action((opts) => runAlertsTestCommand(opts));
addAlertsStoreCommands(alertsCmd);

const configCmd = program.command("config").description("the configuration file");
addConfigCheckOptions(
  configCmd
    .command("check")
    .description("validate perpwatch.config.yaml and every section; one line per problem"),
).action((opts) => runConfigCheckCommand(opts));

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`perpwatch: ${message.split("\n")[0]}\n`);
  if (process.env.PERPWATCH_DEBUG === "1" && err instanceof Error)
    process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
