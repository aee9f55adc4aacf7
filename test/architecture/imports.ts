/**
 * Test support: the repository's import graph, read from the sources (relative imports and
 * package imports of every .ts file), for the architecture rules.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

export interface Import {
  /** The importing file, repository-relative. */
  from: string;
  /** The import as written. */
  spec: string;
  /** Repository-relative target for a relative import; null for a package. */
  target: string | null;
}

const SKIP = new Set(["node_modules", ".git", ".perpwatch", "generated"]);
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Every .ts file under `dir` (repository-relative), skipping dependencies and outputs. */
export function sourceFiles(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(root, path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The imports of one file. */
export function importsOf(root: string, file: string): Import[] {
  const text = readFileSync(join(root, file), "utf8");
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2])!;
    const target = spec.startsWith(".") ? normalize(join(dirname(file), spec)) : null;
    out.push({ from: file, spec, target: target === null ? null : relative("", target) });
  }
  return out;
}

/** The protocol folders under protocols/ (one per protocol). */
export function protocolNames(root: string): string[] {
  return readdirSync(join(root, "protocols")).filter((n) =>
    statSync(join(root, "protocols", n)).isDirectory(),
  );
}

/**
 * Packages a protocol's engine may use: pure computation, no I/O. viem for ABI decoding and
 * hashing (an engine never builds a client: rule 4), @uniswap/v3-sdk for Uniswap's tick and
 * swap math (Perp v2's pools), loaded through node:module's createRequire (its CommonJS build).
 */
const ENGINE_PACKAGES = new Set(["viem", "@uniswap/v3-sdk", "node:module"]);

/** Client constructors an engine must never call (it computes; the indexer reads the chain). */
const IO_CALL = /\b(createPublicClient|createWalletClient|createClient|fetch)\s*\(/;

/** The architecture rules, as one line per violation (empty when the tree keeps them). */
export function architectureViolations(root: string): string[] {
  const protocols = protocolNames(root);
  const out: string[] = [];
  for (const file of sourceFiles(root)) {
    const isTest =
      file.endsWith(".test.ts") ||
      file.startsWith("test/") ||
      file.startsWith("bench/") ||
      file.includes("/test/");
    const isEngine = protocols.some((p) => file.startsWith(`protocols/${p}/engine/`));
    if (isEngine && !isTest && IO_CALL.test(readFileSync(join(root, file), "utf8"))) {
      out.push(`${file}: a protocol's engine does no I/O (calls a client or fetch)`);
    }
    for (const imp of importsOf(root, file)) {
      const inProtocol = (p: string) => imp.target?.startsWith(`protocols/${p}/`) ?? false;
      // 1. A protocol's engine imports only itself: pure math, no I/O, no other code.
      for (const p of protocols) {
        if (!file.startsWith(`protocols/${p}/engine/`) || isTest) continue;
        if (imp.target === null && ENGINE_PACKAGES.has(imp.spec)) continue;
        if (imp.target === null || !imp.target.startsWith(`protocols/${p}/engine/`)) {
          out.push(`${file}: a protocol's engine imports only itself (imports "${imp.spec}")`);
        }
      }
      // 2. Outside protocols/, nothing names a protocol: everything goes through the registry.
      if (!file.startsWith("protocols/") && !isTest) {
        for (const p of protocols) {
          if (inProtocol(p)) out.push(`${file}: names protocol "${p}" (imports "${imp.spec}")`);
        }
      }
      // 3. The API, alerts and dashboards never reach a protocol's engine, tests included.
      if (/^(api|alerts|dashboards)\//.test(file)) {
        for (const p of protocols) {
          if (imp.target?.startsWith(`protocols/${p}/engine/`)) {
            out.push(`${file}: imports protocol "${p}"'s engine ("${imp.spec}")`);
          }
        }
      }
    }
  }
  return out;
}
