/**
 * `npm run build` step: compile protocols/reference/contracts/src and write its generated/*.ts.
 * The generated files are committed so a fresh clone needs no compile step to start; this
 * script is how they are refreshed after a Solidity change.
 */
import { buildProject } from "../../../devnet/solidity.js";
import { REFERENCE_CONTRACTS } from "./compile.js";

buildProject(REFERENCE_CONTRACTS, (line) => process.stdout.write(`${line}\n`));
