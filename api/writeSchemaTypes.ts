/**
 * `npm run codegen`: regenerate api/generated/schemaTypes.ts from schema.graphql. The file is
 * committed so type checking needs no generation step; run this after changing the schema
 * (api/generated/schemaTypes.test.ts fails until you do).
 */
import { writeFileSync } from "node:fs";
import { renderSchemaTypes, SCHEMA_TYPES_FILE } from "./codegen.js";

writeFileSync(SCHEMA_TYPES_FILE, await renderSchemaTypes());
process.stdout.write(`wrote ${SCHEMA_TYPES_FILE.pathname}\n`);
