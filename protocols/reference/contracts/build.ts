/**
 * `npm run build` step: compile protocols/reference/contracts/src and write its generated//*.ts.
 * The generated files are committed so a fresh clone needs no compile step to start; this
 * script is how they are refreshed after a Solidity change.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  compileContracts,
  GENERATED_DIR,
  renderIndex,
  renderModule,
  solcVersion,
} from "./compile.js";

const EIP170_LIMIT = 24_576;

const contracts = compileContracts();
const version = solcVersion();
mkdirSync(GENERATED_DIR, { recursive: true });
for (const c of contracts) {
  writeFileSync(join(GENERATED_DIR, `${c.name}.ts`), renderModule(c, version));
  const warn = c.deployedSize > EIP170_LIMIT ? "  (over the EIP-170 limit!)" : "";
  process.stdout.write(`compiled ${c.name}: ${c.deployedSize} bytes deployed${warn}\n`);
}
writeFileSync(join(GENERATED_DIR, "index.ts"), renderIndex(contracts));
