/**
 * Chains as fixtures: save an anvil's whole chain (blocks, receipts, state) to a file to start
 * a new anvil from later (a protocol's `simulateChain` makes them).
 *
 * Why: indexer tests and benchmarks need a chain with real trading on it — tens of
 * thousands of logs for a benchmark take minutes to simulate, but seconds to load. A saved
 * chain keeps its blocks and logs (what an indexer reads); anvil does not keep historical
 * states across a save, so `eth_call` at old blocks only works on the live, simulated node.
 * The manifest is saved beside the state (`<file>.manifest.json`) so a loaded chain comes
 * with its addresses and start block.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { gunzipSync } from "node:zlib";
import { freePort } from "../runtime/freePort.js";
import { type Anvil, startAnvil } from "./anvil.js";
import { type Manifest, manifestSchema } from "./manifest.js";

/** Saves the node's chain to `path` (JSON, as `anvil --load-state` reads it) with its manifest. */
export async function saveChain(rpcUrl: string, manifest: Manifest, path: string): Promise<void> {
  // Plain fetch: the dump is tens of megabytes, over viem's response size limit.
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_dumpState", params: [] }),
  });
  const body = (await res.json()) as { result?: string; error?: { message: string } };
  if (!body.result) throw new Error(`anvil_dumpState failed: ${body.error?.message ?? res.status}`);
  const raw = Buffer.from(body.result.slice(2), "hex");
  const json = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, json);
  writeFileSync(`${path}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function hasSavedChain(path: string): boolean {
  return existsSync(path) && existsSync(`${path}.manifest.json`);
}

/** Starts a manual-mining anvil from a saved chain; the manifest carries the new RPC URL. */
export async function loadChain(
  path: string,
  port?: number,
): Promise<{ anvil: Anvil; manifest: Manifest }> {
  const saved = manifestSchema.parse(JSON.parse(readFileSync(`${path}.manifest.json`, "utf8")));
  const anvil = await startAnvil({
    port: port ?? (await freePort()),
    mining: { kind: "manual" },
    extraArgs: ["--load-state", path],
    // anvil parses the whole state before it answers: ~1 s per 10 MB on a loaded machine.
    readyTimeoutMs: 15_000 + Math.ceil(statSync(path).size / 10_000_000) * 1000,
  });
  return { anvil, manifest: { ...saved, rpcUrl: anvil.rpcUrl } };
}
