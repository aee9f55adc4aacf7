/**
 * `perpwatch start`: the devnet and simulator, then the indexer (Ponder, with the API in its
 * HTTP server) on that devnet, in one foreground command. Prints the URLs once Ponder
 * answers, the indexed block beside every simulator line, and stops everything on Ctrl-C.
 *
 * Why a fresh index per devnet: a devnet is a new chain each time (same chain id), and the
 * indexer's default PGlite directory is keyed by the devnet session (indexer/config.ts), so a
 * restart indexes the new chain from its first block instead of mixing two chains.
 */
import type { Command } from "commander";
import { z } from "zod";
import { type RunningPonder, startPonder } from "../indexer/runPonder.js";
import {
  addDevnetOptions,
  launchDevnet,
  type Print,
  parseDevnetOptions,
  type RawOptions,
  stopOnSignals,
} from "./devnetCommand.js";
import { UsageError } from "./usageError.js";

export interface RawStartOptions extends RawOptions {
  apiPort: string;
}

const apiPortSchema = z.coerce
  .number()
  .int("expected an integer port")
  .min(1, "expected a port from 1 to 65535")
  .max(65535, "expected a port from 1 to 65535");

export function addStartOptions(cmd: Command): Command {
  return addDevnetOptions(cmd).option(
    "--api-port <n>",
    "HTTP port of the indexer and GraphQL API",
    "42069",
  );
}

function parseApiPort(raw: string): number {
  const parsed = apiPortSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(
      `option --api-port: ${parsed.error.issues[0]?.message} (got ${JSON.stringify(raw)})`,
    );
  }
  return parsed.data;
}

export async function runStartCommand(raw: RawStartOptions): Promise<void> {
  const opts = parseDevnetOptions(raw);
  const apiPort = parseApiPort(raw.apiPort);
  const out: Print = (s) => process.stdout.write(`${s}\n`);
  let ponder: RunningPonder | null = null;
  let indexed = -1;
  const devnet = await launchDevnet(opts, out, () =>
    indexed < 0 ? " | indexer starting" : ` | indexed ${indexed}`,
  );
  const signals = stopOnSignals(out, "indexer, simulator and anvil", async () => {
    await ponder?.stop();
    await devnet.stop();
  });
  ponder = await startPonder({
    manifestPath: opts.manifestPath,
    port: apiPort,
    // A devnet block every second or faster: poll often so the index trails by one block.
    env: { PERPWATCH_POLLING_INTERVAL_MS: "250" },
    waitFor: "spawn",
  });
  const running = ponder;
  const poll = setInterval(() => {
    running
      .status()
      .then((s) => {
        const chain = Object.values(s)[0];
        if (chain) indexed = chain.block.number;
      })
      .catch(() => {});
  }, 500);
  poll.unref();
  void running.exited.then((code) => {
    clearInterval(poll);
    if (signals.stopping) return;
    process.stderr.write(
      `perpwatch: the indexer exited (${code}); stopping the devnet. Its last output:\n${running.recentOutput()}\n`,
    );
    void devnet.stop().then(() => process.exit(1));
  });
  await running.ready(600_000);
  out(`  indexer    ${running.url}  (Ponder, pid ${running.pid}; status ${running.url}/status)`);
  out(`  GraphQL    ${running.url}/ponder/graphql  (Ponder's tables)`);
  out("Ctrl-C stops everything.\n");
  const result = await devnet.done;
  if (signals.stopping) return;
  out(
    `\nscenario done: ${result.ticks} blocks, ${result.transactions} transactions, ${result.liquidations} liquidations; the indexer keeps serving. Ctrl-C stops it.`,
  );
}
