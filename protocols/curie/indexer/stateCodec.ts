/**
 * The Curie engine's state as text and back, so the mirror can persist it at the end of every
 * block (`mirror_state`) and reload it after a restart or a reorg: Curie's state (pool ticks
 * and observations, growth maps, price-feed caches) is far richer than the normalized tables,
 * so it cannot be rebuilt from them as the reference exchange's is.
 *
 * JSON with three tags: a bigint is `{"$n":"<decimal>"}`, a Map `{"$m":[[k, v], …]}`, the
 * engine's persistent IntMap (pool ticks, observations) `{"$i":[[k, v], …]}`; plain
 * objects, arrays, strings, numbers, booleans and null pass through. Anything else (a class
 * instance, a function, undefined in an array) is refused, so a state shape the codec cannot
 * round-trip fails loudly at the first write instead of reloading wrong.
 */

import { IntMap } from "../engine/pool/index.js";

type Tagged = { $n: string } | { $m: [unknown, unknown][] } | { $i: [number, unknown][] };

function encodeValue(v: unknown, path: string): unknown {
  if (typeof v === "bigint") return { $n: v.toString() };
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v))
      throw new Error(`state codec: ${path} is ${v}, expected a finite number`);
    return v;
  }
  if (v instanceof Map) {
    return {
      $m: [...v].map(([k, x], i) => [
        encodeValue(k, `${path}.key${i}`),
        encodeValue(x, `${path}[${String(k)}]`),
      ]),
    };
  }
  if (v instanceof IntMap) {
    return { $i: [...v.entries()].map(([k, x]) => [k, encodeValue(x, `${path}[${k}]`)]) };
  }
  if (Array.isArray(v)) return v.map((x, i) => encodeValue(x, `${path}[${i}]`));
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) {
      if (x !== undefined) out[k] = encodeValue(x, `${path}.${k}`);
    }
    return out;
  }
  throw new Error(
    `state codec: ${path} is a ${typeof v === "object" ? v?.constructor?.name : typeof v}, expected plain data`,
  );
}

function decodeValue(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(decodeValue);
  const t = v as Tagged & Record<string, unknown>;
  if (typeof t.$n === "string" && Object.keys(t).length === 1) return BigInt(t.$n);
  if (Array.isArray(t.$m) && Object.keys(t).length === 1) {
    return new Map(
      (t.$m as [unknown, unknown][]).map(([k, x]) => [decodeValue(k), decodeValue(x)]),
    );
  }
  if (Array.isArray(t.$i) && Object.keys(t).length === 1) {
    let m = IntMap.empty<unknown>();
    for (const [k, x] of t.$i as [number, unknown][]) m = m.set(k, decodeValue(x));
    return m;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(t)) out[k] = decodeValue(x);
  return out;
}

export function encodeState(state: unknown): string {
  return JSON.stringify(encodeValue(state, "state"));
}

export function decodeState<T>(text: string): T {
  return decodeValue(JSON.parse(text)) as T;
}
