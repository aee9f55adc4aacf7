/**
 * Opens the alert store the configuration names (PGlite directory or PostgreSQL URL) and
 * brings its tables up to date. A store that cannot be opened is one line that says which
 * and why (the password in a URL is never printed).
 */
import type { AlertsConfig } from "../config/alertsConfig.js";
import { AlertsConfigError } from "../config/configError.js";
import { AlertStore } from "./alertStore.js";
import { openPglite, openPostgres, type SqlDb } from "./sqlDb.js";

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** Where the store is (the config's `store` section; the lease settings are not needed here). */
export type StoreLocation =
  | Extract<AlertsConfig["store"], { kind: "pglite" }>
  | Omit<Extract<AlertsConfig["store"], { kind: "postgres" }>, "leaseTtl">;

export async function openAlertStore(store: StoreLocation): Promise<AlertStore> {
  let db: SqlDb;
  const where =
    store.kind === "pglite"
      ? `PGlite directory ${store.directory}`
      : `PostgreSQL ${redact(store.url)}`;
  try {
    db =
      store.kind === "pglite" ? await openPglite(store.directory) : await openPostgres(store.url);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new AlertsConfigError(`alert store ${where}: cannot open it: ${why}`);
  }
  const s = new AlertStore(db, store.schema);
  try {
    await s.migrate();
  } catch (err) {
    await db.close().catch(() => undefined);
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new AlertsConfigError(
      `alert store ${where}: cannot create schema ${store.schema}: ${why}`,
    );
  }
  return s;
}
