/**
 * The registered protocols as a list and by name, for the entry files and the configuration.
 */
import type { Protocol } from "./protocol.js";
import * as registry from "./registry.js";

export const PROTOCOLS: readonly Protocol[] = Object.values(registry);

/** The protocol named `name`, or undefined. */
export function protocolNamed(name: string): Protocol | undefined {
  return PROTOCOLS.find((p) => p.name === name);
}

export const PROTOCOL_NAMES: readonly string[] = PROTOCOLS.map((p) => p.name);

/** The first registered protocol: what a manifest or the address shorthand means by default. */
export const DEFAULT_PROTOCOL: string = PROTOCOLS[0]!.name;
