/**
 * `perpwatch config check`: loads perpwatch.config.yaml and every section's own validation
 * (devnet or chain, indexer, alerts with their rules and receivers, exporter), and either
 * says what would run or names the first problem in one line with a non-zero exit.
 */
import type { Command } from "commander";
import { DEVNET_DEFAULTS } from "../devnet/run.js";
import { ConfigError, loadIndexerConfig } from "../indexer/config.js";
import { chainEnv, loadPerpwatchConfig } from "./config/perpwatchConfig.js";
import { parseDevnetOptions, type RawOptions } from "./devnetCommand.js";
import { UsageError } from "./usageError.js";
import { resolveWorkerConfigs } from "./workerCommand.js";

export function addConfigCheckOptions(cmd: Command): Command {
  return cmd.option("--config <path>", "the file to check (default: ./perpwatch.config.yaml)");
}

export async function runConfigCheckCommand(raw: { config?: string }): Promise<void> {
  const cfg = loadPerpwatchConfig(raw.config);
  const lines: string[] = [`config ${cfg.path ?? "(no perpwatch.config.yaml: every default)"}`];
  const f = cfg.file;
  if (f.chain) {
    try {
      const ix = loadIndexerConfig({ ...process.env, ...chainEnv(f.chain) });
      lines.push(
        `  chain     ${ix.chainId} at ${ix.rpcUrl}, exchange ${ix.exchange} from block ${ix.startBlock}`,
      );
    } catch (err) {
      if (err instanceof ConfigError)
        throw new UsageError(`config ${cfg.path}: chain: ${err.message}`);
      throw err;
    }
  } else {
    const d = DEVNET_DEFAULTS;
    const devnetRaw: RawOptions = {
      port: String(f.devnet?.port ?? d.port),
      blockTime: String(f.devnet?.blockTime ?? d.blockTime),
      scenario: f.devnet?.scenario ?? d.scenario,
      seed: String(f.devnet?.seed ?? d.seed),
      accounts: String(f.devnet?.accounts ?? d.accounts),
      speed: f.devnet?.speed ?? d.pace,
      ...(f.devnet?.ticks !== undefined ? { ticks: String(f.devnet.ticks) } : {}),
      loop: f.devnet?.loop ?? d.loop,
      manifest: f.devnet?.manifest ?? d.manifestPath,
    };
    const o = parseDevnetOptions(devnetRaw);
    lines.push(
      `  devnet    ${o.scenario}, seed ${o.seed}, ${o.accounts} accounts, ${o.blockTime}s blocks, anvil port ${o.port}`,
    );
  }
  lines.push(
    `  indexer   port ${f.indexer?.port ?? 42069}, ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "PGlite"}`,
  );
  const w = resolveWorkerConfigs({
    config: raw.config,
    api: `http://127.0.0.1:${f.indexer?.port ?? 42069}`,
    alerts: true,
    exporter: true,
    localReceiver: true,
    receiverPort: "0",
  });
  if (w.alerts) {
    const names = [...w.alerts.receivers.map((r) => `${r.name} (${r.type})`), "local (printed)"];
    lines.push(
      `  alerts    ${w.alerts.rules.length} rules from ${w.alerts.rulesSource}; receivers ${names.join(", ")}`,
    );
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
