/**
 * An integer bench setting from the environment: its default when unset, and one line naming
 * the variable and the range expected when it is anything else than an integer in range.
 */
export function envInteger(name: string, lo: number, hi: number, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < lo || n > hi) {
    throw new Error(`${name}: expected an integer from ${lo} to ${hi} (got "${raw}")`);
  }
  return n;
}
