/**
 * One way to reach ClickHouse: `@clickhouse/client`, over HTTP to a server or plugged into
 * embedded ClickHouse (chDB) through `chdb/connection` — the same client, the same SQL.
 *
 * Why the settings are pinned here: the server and chDB return 64-bit integers and decimals
 * differently in JSON unless told; the exporter and every reader set them the same way, so
 * counts come back as decimal strings and amounts as exact decimal strings everywhere.
 *
 * chDB is one embedded engine per process with one data directory at a time: a second client
 * on the same directory shares it (chDB counts references), another directory is refused
 * until every client of the first is closed. So a worker holds one embedded store, and tests
 * that share a process use one directory and separate databases inside it.
 */
import { mkdirSync } from "node:fs";
import {
  type ClickHouseClient,
  type ClickHouseSettings,
  type Logger as ClientLogger,
  createClient,
} from "@clickhouse/client";
import { createChdbConnection } from "chdb/connection";
import { pino } from "pino";
import type { ClickHouseConfig } from "../config.js";

/** Output settings every Perpwatch client uses (server and chDB alike). */
export const CLIENT_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_decimals: 1,
  date_time_output_format: "simple",
};

const clientLog = pino({
  name: "perpwatch-clickhouse",
  level: process.env.PERPWATCH_LOG_LEVEL ?? "info",
});

/**
 * The client's own log lines, through pino and without stacks: a failure reaches the caller as
 * our one-line error, so the client's warnings (a refused ping, a retried socket) are debug.
 */
class PinoClientLogger implements ClientLogger {
  trace(p: { module: string; message: string }) {
    clientLog.trace({ module: p.module }, p.message);
  }
  debug(p: { module: string; message: string }) {
    clientLog.debug({ module: p.module }, p.message);
  }
  info(p: { module: string; message: string }) {
    clientLog.info({ module: p.module }, p.message);
  }
  warn(p: { module: string; message: string; err?: Error }) {
    clientLog.debug({ module: p.module, err: p.err?.message }, p.message);
  }
  error(p: { module: string; message: string; err: Error }) {
    clientLog.warn({ module: p.module, err: p.err.message }, p.message);
  }
}

const LOG = { LoggerClass: PinoClientLogger };

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>["connection"]>;

export interface ClickHouseHandle {
  readonly client: ClickHouseClient;
  /** Database holding Perpwatch's tables; SQL names it explicitly (`db.table`). */
  readonly database: string;
  readonly kind: "server" | "embedded";
  /** Where it is: the server URL or the chDB directory (for logs). */
  readonly location: string;
  close(): Promise<void>;
}

/** A connection problem, one line (what, where, why). */
export class ClickHouseUnavailableError extends Error {
  override readonly name = "ClickHouseUnavailableError";
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
}

/** Opens a client and checks it answers; rejects with one line when it does not. */
export async function openClickHouse(config: ClickHouseConfig): Promise<ClickHouseHandle> {
  const { target } = config;
  let client: ClickHouseClient;
  let location: string;
  if (target.kind === "server") {
    location = target.url;
    client = createClient({
      url: target.url,
      username: target.username,
      password: target.password,
      clickhouse_settings: CLIENT_SETTINGS,
      request_timeout: 60_000,
      log: LOG,
    });
  } else {
    location = target.path;
    try {
      mkdirSync(target.path, { recursive: true });
      client = createClient({
        // chdb/connection implements client-common's Connection; the client bundles its own
        // copy of those types, identical in shape but distinct to the compiler.
        connection: createChdbConnection({ path: target.path }) as unknown as ClientConnection,
        clickhouse_settings: CLIENT_SETTINGS,
        log: LOG,
      });
    } catch (err) {
      throw new ClickHouseUnavailableError(
        `embedded ClickHouse in ${target.path}: ${firstLine(err)}`,
      );
    }
  }
  try {
    const ping = await client.ping();
    if (!ping.success) throw ping.error;
    // chDB can ping without opening its store; a real query opens it (and fails if taken).
    await client.query({ query: "SELECT 1", format: "JSONEachRow" }).then((r) => r.json());
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new ClickHouseUnavailableError(
      `ClickHouse at ${location} is unavailable: ${firstLine(err)}`,
    );
  }
  let closed = false;
  return {
    client,
    database: config.database,
    kind: target.kind,
    location,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
