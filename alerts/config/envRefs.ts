/**
 * `env:NAME` references: any string in the secret-bearing sections of the alerts
 * configuration (receivers: URLs, routing keys, tokens, HMAC secrets, headers; the local
 * receiver's secrets; the store's URL) may name an environment variable instead of holding
 * the value, so the file can be committed.
 *
 * Why resolved before validation, by path: a missing variable is reported by name (all of
 * them at once, so `perpwatch config check` lists everything to set), and a value that came
 * from the environment is never printed, not even when it fails validation.
 */

export interface EnvRefs {
  /** The section with every `env:` string replaced by its variable's value. */
  value: unknown;
  /** Dotted key path → variable name, for every value that came from the environment. */
  fromEnv: Map<string, string>;
  /** Variables that are not set (or empty), with the key that named them. */
  missing: { name: string; key: string }[];
}

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** Replaces `env:NAME` strings anywhere under `value` (whose key path is `prefix`). */
export function resolveEnvRefs(value: unknown, prefix: string, env: NodeJS.ProcessEnv): EnvRefs {
  const fromEnv = new Map<string, string>();
  const missing: EnvRefs["missing"] = [];
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === "string") {
      const m = ENV_REF.exec(v);
      if (!m) return v;
      const name = m[1]!;
      const got = env[name];
      if (got === undefined || got === "") {
        missing.push({ name, key });
        return v;
      }
      fromEnv.set(key, name);
      return got;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${key}[${i}]`));
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, `${key}.${k}`)]),
      );
    }
    return v;
  };
  return { value: walk(value, prefix), fromEnv, missing };
}

/** One line naming every missing variable and the key that wants it (never a value). */
export function missingLine(where: string, missing: EnvRefs["missing"]): string {
  const list = missing.map((m) => `${m.name} (for ${m.key})`).join(", ");
  const s = missing.length === 1 ? "" : "s";
  return `${where}: environment variable${s} not set: ${list}; expected each to hold the value (an env: reference keeps secrets out of the file)`;
}
