import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest, writeManifest } from "./manifest.js";
import { SAMPLE_MANIFEST } from "./sampleManifest.js";

const good = SAMPLE_MANIFEST;

describe("deployment manifest", () => {
  const dir = mkdtempSync(join(tmpdir(), "perpwatch-manifest-"));

  it("round-trips", () => {
    const path = join(dir, "m.json");
    writeManifest(path, good);
    expect(readManifest(path)).toEqual(good);
  });

  it("names the bad key and what was expected, in one line", () => {
    const path = join(dir, "bad.json");
    writeFileSync(
      path,
      JSON.stringify({ ...good, contracts: { ...good.contracts, exchange: "0x12" } }),
    );
    expect(() => readManifest(path)).toThrow(
      /^manifest .*bad\.json: key "contracts\.exchange" a 0x-prefixed 20-byte hex address$/,
    );
  });

  it("says when the file is missing", () => {
    expect(() => readManifest(join(dir, "nope.json"))).toThrow(
      /cannot read it .*run the devnet first/,
    );
  });
});
