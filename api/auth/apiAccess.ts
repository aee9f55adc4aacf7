/**
 * The API's access control in one object: the key ring, the rate windows, the CORS
 * allow-list and the per-key usage counters, built once per process from the settings (authConfig.ts) and shared by the HTTP
 * middleware (api/http/accessMiddleware.ts) and the yoga plugin (accessPlugin.ts).
 */
import type { Logger } from "pino";
import { KeyRing } from "./apiKeys.js";
import type { AuthConfig } from "./authConfig.js";
import { KeyUsage } from "./keyUsage.js";
import { RateWindows } from "./rateWindows.js";

export class ApiAccess {
  readonly keys: KeyRing;
  readonly windows: RateWindows;
  /** Requests and cost per key name, for `/perpwatch/metrics`. */
  readonly usage = new KeyUsage();

  constructor(
    readonly config: AuthConfig,
    readonly logger: Logger,
    now: () => number = Date.now,
  ) {
    this.keys = new KeyRing(config);
    this.windows = new RateWindows(config.windowMs, now);
  }

  /** Whether a browser page from `origin` may read answers. */
  corsAllows(origin: string): boolean {
    const list = this.config.corsOrigins;
    return list === "*" || list.includes(origin);
  }
}
