/**
 * `perpwatch alerts list | silence add|list|expire | dead-letters list|replay`: the alert
 * store by hand (alerts/admin/alertsAdmin.ts), on the store the configuration names.
 */
import type { Command } from "commander";
import { alertsAdmin } from "../alerts/admin/index.js";
import { durationMs } from "../alerts/config/duration.js";
import { openAlertStore } from "../alerts/store/openStore.js";
import { parseFlag, UsageError } from "./usageError.js";
import { resolveWorkerConfigs } from "./workerCommand.js";

interface StoreOptions {
  config?: string;
  alertsConfig?: string;
}

const withStoreOptions = (cmd: Command) =>
  cmd
    .option(
      "--config <path>",
      "perpwatch.config.yaml (default: ./perpwatch.config.yaml if present)",
    )
    .option("--alerts-config <path>", "an alerts configuration file");

async function withStore(
  opts: StoreOptions,
  fn: (store: Awaited<ReturnType<typeof openAlertStore>>) => Promise<string[]>,
) {
  const { alerts } = resolveWorkerConfigs({
    config: opts.config,
    alertsConfig: opts.alertsConfig,
    api: "http://127.0.0.1:42069",
    alerts: true,
    exporter: false,
    localReceiver: true,
    receiverPort: "0",
  });
  if (!alerts) throw new UsageError("alerts are turned off in the configuration (alerts: false)");
  const store = await openAlertStore(alerts.store);
  try {
    for (const line of await fn(store)) process.stdout.write(`${line}\n`);
  } catch (err) {
    throw new UsageError((err as Error).message);
  } finally {
    await store.close();
  }
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function addAlertsStoreCommands(alertsCmd: Command): void {
  withStoreOptions(
    alertsCmd.command("list").description("alerts firing now and the recent history"),
  )
    .option("--since <duration>", "history window", "24h")
    .action((o: StoreOptions & { since: string }) => {
      const since = parseFlag("--since", durationMs, o.since);
      return withStore(o, (s) => alertsAdmin.alertLines(s, Date.now() - since));
    });

  const silence = alertsCmd.command("silence").description("silences (Alertmanager-style)");
  withStoreOptions(silence.command("add").description("mute alerts matching every --matcher"))
    .requiredOption(
      "--matcher <m>",
      'a label matcher, e.g. severity="critical" (repeatable)',
      collect,
    )
    .requiredOption("--duration <d>", "how long, e.g. 2h")
    .requiredOption("--comment <text>", "why")
    .option("--author <name>", "who", process.env.USER ?? "")
    .action(
      (
        o: StoreOptions & { matcher: string[]; duration: string; comment: string; author: string },
      ) => {
        const ms = parseFlag("--duration", durationMs, o.duration);
        return withStore(o, async (s) => {
          const now = Date.now();
          const x = await alertsAdmin.silenceAdd(
            s,
            { matchers: o.matcher, durationMs: ms, comment: o.comment, author: o.author },
            now,
          );
          return [alertsAdmin.silenceLine(x, now)];
        });
      },
    );
  withStoreOptions(silence.command("list").description("silences in force (--all: expired too)"))
    .option("--all", "include expired silences")
    .action((o: StoreOptions & { all?: boolean }) =>
      withStore(o, (s) => alertsAdmin.silenceLines(s, Date.now(), o.all === true)),
    );
  withStoreOptions(
    silence.command("expire").description("end a silence now").argument("<id>"),
  ).action((id: string, o: StoreOptions) =>
    withStore(o, (s) => alertsAdmin.silenceExpire(s, id, Date.now())),
  );

  const dead = alertsCmd.command("dead-letters").description("deliveries that failed for good");
  withStoreOptions(
    dead.command("list").description("every dead letter with its last error"),
  ).action((o: StoreOptions) => withStore(o, (s) => alertsAdmin.deadLetterLines(s)));
  withStoreOptions(dead.command("replay").description("send dead letters again (all, or --id N …)"))
    .option("--id <n>", "a dead letter's id (repeatable)", collect)
    .action((o: StoreOptions & { id?: string[] }) => {
      const ids = o.id?.map((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n <= 0)
          throw new UsageError(`option --id: expected a positive integer (got "${v}")`);
        return n;
      });
      return withStore(o, (s) => alertsAdmin.replayDeadLetters(s, Date.now(), ids));
    });
}
