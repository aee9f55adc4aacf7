/**
 * Test support: a real PGlite alert store in a fresh temporary folder, and its removal.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AlertStore } from "../../../alerts/store/alertStore.js";
import { openAlertStore } from "../../../alerts/store/openStore.js";

export interface TempStore {
  store: AlertStore;
  /** Closes the store and removes its folder. */
  remove(): Promise<void>;
}

export async function openTempStore(prefix: string): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const store = await openAlertStore({
    kind: "pglite",
    directory: dir,
    schema: "perpwatch_alerts",
  });
  return {
    store,
    async remove() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
