/**
 * An indexer plugin: one protocol adapter as data — the contracts it indexes (ABIs wired to a
 * deployment) and one handler per `"Contract:Event"` — registered with Ponder in one call.
 *
 * Why declarative (after ENSNode's Ponder plugins): `ponder.config.ts` builds its contracts
 * from the plugin and `src/index.ts` registers its handlers, so adding a protocol is adding
 * a folder under indexer/, not editing Ponder's entry files; and a handler map can be listed,
 * tested and compared with the ABI (every event has a handler, see plugin.test.ts).
 */

/** Ponder's indexing-function signature, erased: each plugin types its own handlers. */
export type PluginHandler = (args: { event: never; context: never }) => Promise<void>;

export interface IndexerPlugin<deployment, contracts> {
  name: string;
  /** Ponder `contracts` entries for a deployment of the protocol. */
  contracts(deployment: deployment): contracts;
  /** `"Contract:Event"` → handler. */
  handlers: Readonly<Record<string, PluginHandler>>;
}

/** The part of Ponder's `ponder:registry` export a plugin needs. */
export interface PonderRegistry {
  on(name: never, fn: never): void;
}

/** Registers every handler of `plugin` with Ponder. */
export function registerPlugin(registry: PonderRegistry, plugin: IndexerPlugin<never, unknown>) {
  const on = registry.on.bind(registry) as unknown as (name: string, fn: PluginHandler) => void;
  for (const [name, fn] of Object.entries(plugin.handlers)) on(name, fn);
}
