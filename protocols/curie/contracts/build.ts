/**
 * Compiles protocols/curie/contracts/src and writes generated/*.ts:
 * `npx tsx protocols/curie/contracts/build.ts`. The generated files are committed; compile.test.ts
 * checks they are current.
 */
import { buildProject } from "../../../devnet/solidity.js";
import { CURIE_MOCKS } from "./compile.js";

buildProject(CURIE_MOCKS, (line) => process.stdout.write(`${line}\n`));
