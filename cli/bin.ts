#!/usr/bin/env -S npx tsx
/**
 * The `perpwatch` command. Argument parsing is commander's; every command validates its
 * options with zod and reports a bad one in a single line. Any error reaching this file is
 * printed as one line (the stack only with PERPWATCH_DEBUG=1).
 */
import { Command } from "commander";
import { addDevnetOptions, runDevnetCommand } from "./devnetCommand.js";
import { addRiskOptions, runRiskCommand } from "./riskCommand.js";
import { addStartOptions, runStartCommand } from "./startCommand.js";

const program = new Command()
  .name("perpwatch")
  .description("Risk monitor for perpetual-futures exchanges: devnet, indexer, API, alerts")
  .showHelpAfterError();

addDevnetOptions(
  program
    .command("devnet")
    .description("start anvil, deploy the reference exchange and run the market simulator"),
).action((opts) => runDevnetCommand(opts));

addStartOptions(
  program
    .command("start")
    .description("run the whole stack: devnet + simulator, then the indexer and API on it"),
).action((opts) => runStartCommand(opts));

addRiskOptions(
  program
    .command("risk")
    .description(
      "chart a market's liquidation ladder and a cascade from a shock, from the running API",
    ),
).action((opts) => runRiskCommand(opts));

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`perpwatch: ${message.split("\n")[0]}\n`);
  if (process.env.PERPWATCH_DEBUG === "1" && err instanceof Error)
    process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
