import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { architectureViolations } from "./imports.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("architecture rules", () => {
  it("hold for this repository", () => {
    expect(architectureViolations(ROOT)).toEqual([]);
  });

  it("catch each kind of violation", () => {
    const dir = mkdtempSync(join(tmpdir(), "perpwatch-arch-"));
    try {
      const put = (path: string, text: string) => {
        mkdirSync(join(dir, path, ".."), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      put(
        "protocols/alpha/engine/math.ts",
        'import { z } from "zod";\nimport { x } from "../indexer/x.js";\n',
      );
      put("protocols/alpha/indexer/x.ts", "export const x = 1;\n");
      put(
        "protocols/alpha/engine/ok.ts",
        'import { y } from "./math.js";\nimport { keccak256 } from "viem";\n',
      );
      put("protocols/alpha/engine/test/harness.ts", 'import { z } from "zod";\n');
      put("protocols/alpha/engine/reads.ts", "export const r = () => fetch('http://x');\n");
      put("api/data/reader.ts", 'import { y } from "../../protocols/alpha/engine/math.js";\n');
      put("indexer/wiring.ts", 'import { x } from "../protocols/alpha/indexer/x.js";\n');
      put("indexer/fine.ts", 'import { PROTOCOLS } from "../protocols/protocols.js";\n');
      expect(architectureViolations(dir).sort()).toEqual(
        [
          `protocols/alpha/engine/math.ts: a protocol's engine imports only itself (imports "zod")`,
          `protocols/alpha/engine/math.ts: a protocol's engine imports only itself (imports "../indexer/x.js")`,
          `protocols/alpha/engine/reads.ts: a protocol's engine does no I/O (calls a client or fetch)`,
          `api/data/reader.ts: names protocol "alpha" (imports "../../protocols/alpha/engine/math.js")`,
          `api/data/reader.ts: imports protocol "alpha"'s engine ("../../protocols/alpha/engine/math.js")`,
          `indexer/wiring.ts: names protocol "alpha" (imports "../protocols/alpha/indexer/x.js")`,
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
