import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compileContracts,
  GENERATED_DIR,
  renderIndex,
  renderModule,
  solcVersion,
} from "./compile.js";

describe("curie devnet helper contracts", () => {
  it("are exactly what the pinned solc compiles from src/ (run build.ts if not)", () => {
    const contracts = compileContracts();
    const version = solcVersion();
    for (const c of contracts) {
      const committed = readFileSync(join(GENERATED_DIR, `${c.name}.ts`), "utf8");
      expect(committed, `${c.name}.ts is stale`).toBe(renderModule(c, version));
    }
    expect(readFileSync(join(GENERATED_DIR, "index.ts"), "utf8")).toBe(renderIndex(contracts));
  });
});
