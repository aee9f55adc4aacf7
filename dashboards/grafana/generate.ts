/**
 * Writes the dashboards' JSON into dashboards/grafana/json/, where Grafana's file
 * provisioning (provisioning/dashboards/perpwatch.yaml) and the repository keep it.
 * Run after changing a dashboard: `npx tsx dashboards/grafana/generate.ts`. A test fails when
 * the committed JSON differs from what this writes.
 *
 * The JSON goes through the repository's formatter (Biome, pinned) so that `biome check .`
 * and the generator agree on every byte.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DASHBOARDS, dashboardFile, dashboardJson } from "./build.js";

export const JSON_DIR = join(dirname(fileURLToPath(import.meta.url)), "json");

/** `json` formatted by Biome as if it were the file at `path` (the repository's settings). */
export function formatJson(json: string, path: string): string {
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  const out = spawnSync(process.execPath, [biome, "format", `--stdin-file-path=${path}`], {
    input: json,
    encoding: "utf8",
  });
  if (out.status !== 0 || out.stdout.trim() === "") {
    throw new Error(
      `biome could not format ${path}: ${(out.stderr || "no output").split("\n")[0]}`,
    );
  }
  return out.stdout;
}

/** Writes every dashboard and removes JSON files no dashboard produces; returns the files. */
export function generateDashboards(dir: string = JSON_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const files = DASHBOARDS.map((spec) => {
    const file = dashboardFile(spec);
    writeFileSync(join(dir, file), formatJson(dashboardJson(spec), join(JSON_DIR, file)));
    return file;
  });
  for (const stale of readdirSync(dir)) {
    if (stale.endsWith(".json") && !files.includes(stale)) rmSync(join(dir, stale));
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = generateDashboards();
  process.stdout.write(`wrote ${files.length} dashboards to ${JSON_DIR}\n`);
}
