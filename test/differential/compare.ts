/**
 * Deep comparison of engine values with values decoded from the chain, and printing of both
 * (bigints as decimal strings, addresses lowercase), so a mismatch names the exact field.
 */

export interface Difference {
  path: string;
  engine: unknown;
  chain: unknown;
}

function isAddressLike(v: unknown): v is string {
  return typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v);
}

/** Lowercases addresses and turns readonly arrays/objects into plain ones. */
export function normalize(v: unknown): unknown {
  if (isAddressLike(v)) return v.toLowerCase();
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normalize(x);
    return out;
  }
  return v;
}

/** Differences between `engine` and `chain`; keys missing on the engine side are reported. */
export function diff(
  engine: unknown,
  chain: unknown,
  path = "",
  out: Difference[] = [],
): Difference[] {
  const a = normalize(engine);
  const b = normalize(chain);
  walk(a, b, path, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: Difference[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push({ path: `${path}.length`, engine: a.length, chain: b.length });
      return;
    }
    for (let i = 0; i < a.length; i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      walk(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
        out,
      );
    }
    return;
  }
  if (a !== b) out.push({ path, engine: a, chain: b });
}

/** JSON with bigints as strings, for mismatch reports. */
export function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}` : x));
}
