/**
 * Test support: a copy of this repository with one more protocol folder and one more
 * registry line, as a developer adding a protocol would make it, and what differs from the
 * original (every file compared).
 */
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

/** Tracked and untracked-but-not-ignored files: the working tree as git would commit it. */
function projectFiles(root: string): string[] {
  const out = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.split("\0").filter((f) => f !== "" && existsSync(join(root, f)));
}

/** Copies the project (node_modules linked) into `dest`; adds `folder` as protocols/<name>. */
export function treeWithProtocol(
  root: string,
  dest: string,
  folder: string,
  name: string,
  registryLine: string,
): void {
  for (const f of projectFiles(root)) {
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(join(root, f), join(dest, f));
  }
  symlinkSync(join(root, "node_modules"), join(dest, "node_modules"), "dir");
  cpSync(folder, join(dest, "protocols", name), { recursive: true });
  appendFileSync(join(dest, "protocols", "registry.ts"), `${registryLine}\n`);
}

function walk(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const n of readdirSync(join(root, dir))) {
    if (n === "node_modules" || n === ".git" || n === ".perpwatch" || n === ".ponder") continue;
    const p = join(dir, n);
    if (statSync(join(root, p)).isDirectory()) out.push(...walk(root, p));
    else out.push(p);
  }
  return out;
}

/** Files added to, removed from or changed in `copy` relative to `root` (project files only). */
export function changedFiles(root: string, copy: string): { path: string; how: string }[] {
  const original = new Set(projectFiles(root));
  const out: { path: string; how: string }[] = [];
  for (const f of walk(copy)) {
    if (!original.has(f)) out.push({ path: f, how: "added" });
    else if (!readFileSync(join(root, f)).equals(readFileSync(join(copy, f)))) {
      out.push({ path: f, how: "changed" });
    }
  }
  for (const f of original) {
    if (!existsSync(join(copy, f))) out.push({ path: relative("", f), how: "removed" });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
