import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileProject, EIP170_LIMIT, renderProject } from "../../../devnet/solidity.js";
import { REFERENCE_CONTRACTS } from "./compile.js";

describe("generated contract artifacts", () => {
  it("are exactly what the pinned solc compiles from src/ (run `npm run build` if not)", () => {
    const contracts = compileProject(REFERENCE_CONTRACTS);
    for (const [path, text] of renderProject(REFERENCE_CONTRACTS, contracts)) {
      expect(readFileSync(path, "utf8"), `${path} is stale`).toBe(text);
    }
    for (const c of contracts) expect(c.deployedSize).toBeLessThanOrEqual(EIP170_LIMIT);
  });
});
