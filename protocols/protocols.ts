/**
 * The registered protocols as a list and by name, for the entry files and the configuration.
 */
import type { Protocol } from "./protocol.js";
import * as registry from "./registry.js";

/**
 * What a manifest or the address shorthand means without a protocol, and what the devnet
 * deploys by default: the reference exchange, the one every demo and benchmark runs on.
 */
export const DEFAULT_PROTOCOL = "reference";

/** The registered protocols, the default first (a module namespace lists them by name). */
export const PROTOCOLS: readonly Protocol[] = Object.values(registry).sort(
  (a, b) => Number(b.name === DEFAULT_PROTOCOL) - Number(a.name === DEFAULT_PROTOCOL),
);

/** The protocol named `name`, or undefined. */
export function protocolNamed(name: string): Protocol | undefined {
  return PROTOCOLS.find((p) => p.name === name);
}

export const PROTOCOL_NAMES: readonly string[] = PROTOCOLS.map((p) => p.name);
