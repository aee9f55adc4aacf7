/**
 * Compiles protocols/curie/contracts/src and writes generated/*.ts:
 * `npx tsx protocols/curie/contracts/build.ts`. The generated files are committed; compile.test.ts
 * checks they are current.
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

const contracts = compileContracts();
const version = solcVersion();
mkdirSync(GENERATED_DIR, { recursive: true });
for (const c of contracts) {
  writeFileSync(join(GENERATED_DIR, `${c.name}.ts`), renderModule(c, version));
  process.stdout.write(`compiled ${c.name}: ${c.deployedSize} bytes deployed\n`);
}
writeFileSync(join(GENERATED_DIR, "index.ts"), renderIndex(contracts));
