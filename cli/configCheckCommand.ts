/**
 * `perpwatch config check`: loads perpwatch.config.yaml and every section's own validation
 * (devnet or chain, indexer, alerts with their rules and receivers, exporter), and either
 * says what would run or names the first problem in one line with a non-zero exit.
 */
import { Command } from "commander";
import { ConfigError, loadIndexerConfig } from "../indexer/config.js";
import { NO_RECEIVERS } from "./alertsTestCommand.js";
import { chainEnv, exchangesEnv, loadPerpwatchConfig } from "./config/perpwatchConfig.js";
import { resolveHost, stackAccess } from "./config/stackAccess.js";
import { addDevnetOptions, parseDevnetOptions, type RawOptions } from "./devnetCommand.js";
import { DEVNET_STATE_DIR, mergeDevnetFlags } from "./startCommand.js";
import { UsageError } from "./usageError.js";
import { resolveWorkerConfigs } from "./workerCommand.js";

export function addConfigCheckOptions(cmd: Command): Command {
  return cmd.option("--config <path>", "the file to check (default: ./perpwatch.config.yaml)");
}

export async function runConfigCheckCommand(raw: { config?: string }): Promise<void> {
  const cfg = loadPerpwatchConfig(raw.config);
  const lines: string[] = [`config ${cfg.path ?? "(no perpwatch.config.yaml: every default)"}`];
  const f = cfg.file;
  if (f.chain || f.exchanges) {
    const key = f.chain ? "chain" : "exchanges";
    try {
      const env = f.chain ? chainEnv(f.chain) : exchangesEnv(f.exchanges!);
      const ix = loadIndexerConfig({ ...process.env, ...env });
      for (const x of ix.exchanges) {
        const at = Object.entries(x.addresses)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ");
        lines.push(
          `  chain     ${x.chain.id} at ${x.chain.rpcUrl}: ${x.protocol} exchange "${x.id}" (${at}) from block ${x.startBlock}`,
        );
      }
    } catch (err) {
      if (err instanceof ConfigError)
        throw new UsageError(`config ${cfg.path}: ${key}: ${err.message}`);
      throw err;
    }
  } else {
    // The devnet flags' defaults with the file's devnet section over them, as `start` does.
    const flags = addDevnetOptions(new Command());
    const o = parseDevnetOptions(mergeDevnetFlags(flags.opts<RawOptions>(), flags, f.devnet ?? {}));
    lines.push(
      `  devnet    ${o.scenario}, seed ${o.seed}, ${o.accounts} accounts, ${o.blockTime}s blocks, anvil port ${o.port}`,
    );
  }
  lines.push(
    `  indexer   port ${f.indexer?.port ?? 42069}, ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "PGlite"}`,
  );
  // Who may read the API, validated as `start` hands it to Ponder (cli/config/stackAccess.ts).
  const host = resolveHost(undefined, f.indexer?.host);
  const access = stackAccess(f.api, `config ${cfg.path}`, host, f.indexer?.port ?? 42069);
  for (const line of access.lines) lines.push(`  api       ${line.replace(/^perpwatch: /, "")}`);
  const devnet = !(f.chain || f.exchanges);
  // As `start` runs the worker: on a devnet its state goes to DEVNET_STATE_DIR.
  const w = resolveWorkerConfigs({
    config: raw.config,
    api: `http://127.0.0.1:${f.indexer?.port ?? 42069}`,
    alerts: true,
    exporter: true,
    localReceiver: true,
    receiverPort: "0",
    ...(devnet ? { stateDir: DEVNET_STATE_DIR } : {}),
  });
  if (w.alerts) {
    const names = [...w.alerts.receivers.map((r) => `${r.name} (${r.type})`), "local (printed)"];
    lines.push(
      `  alerts    ${w.alerts.rules.length} rules from ${w.alerts.rulesSource}; receivers ${names.join(", ")}`,
    );
    if (w.alerts.receivers.length === 0) lines.push(`            ${NO_RECEIVERS}`);
    lines.push(
      `            state in ${w.alerts.store.kind === "postgres" ? "PostgreSQL" : `PGlite ${w.alerts.store.directory}`}`,
    );
  } else lines.push("  alerts    off");
  if (w.exporter) {
    const t = w.exporter.clickhouse.target;
    lines.push(
      `  exporter  ClickHouse ${t.kind === "server" ? t.url : `embedded in ${t.path}`}, every ${w.exporter.intervalMs} ms`,
    );
  } else lines.push("  exporter  off");
  lines.push("ok");
  process.stdout.write(`${lines.join("\n")}\n`);
}
