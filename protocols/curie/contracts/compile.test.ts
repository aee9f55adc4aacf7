import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderProject } from "../../../devnet/solidity.js";
import { CURIE_MOCKS } from "./compile.js";

describe("curie devnet helper contracts", () => {
  it("are exactly what the pinned solc compiles from src/ (run build.ts if not)", () => {
    for (const [path, text] of renderProject(CURIE_MOCKS)) {
      expect(readFileSync(path, "utf8"), `${path} is stale`).toBe(text);
    }
  });
});
