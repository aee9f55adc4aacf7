/**
 * A fingerprint of everything that decides what the indexer writes: the Ponder entry files,
 * the schema, indexer/ and every protocol folder (engines, plugins, ABIs) under protocols/.
 *
 * Why: Ponder identifies an app by a hash of `ponder.config.ts`'s contracts, the schema file
 * and the files under `src/` only. Perpwatch's handlers live in indexer/ and protocols/, so a
 * change there would not change Ponder's build id, and a restart would resume on tables
 * written by the old code. Naming the database schema after this fingerprint makes any such
 * change start a fresh schema (a full reindex), while a plain restart resumes where it was.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOTS = ["ponder.config.ts", "ponder.schema.ts", "src", "indexer", "protocols"] as const;

function files(root: string, path: string): string[] {
  const full = join(root, path);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(full);
  } catch {
    return [];
  }
  if (st.isFile()) return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(root, join(path, name)));
}

/** Hex sha-256 prefix over the indexing code under `root` (the repository). */
export function codeFingerprint(root: string, length = 10): string {
  const hash = createHash("sha256");
  for (const top of ROOTS) {
    for (const file of files(root, top)) {
      hash.update(relative(root, join(root, file)));
      hash.update("\0");
      hash.update(readFileSync(join(root, file)));
      hash.update("\0");
    }
  }
  return hash.digest("hex").slice(0, length);
}
