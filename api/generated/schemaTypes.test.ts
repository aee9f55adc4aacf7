import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderSchemaTypes, SCHEMA_TYPES_FILE } from "../codegen.js";

describe("generated schema types", () => {
  it("are exactly what codegen renders from schema.graphql (run `npm run codegen` if not)", async () => {
    const committed = readFileSync(SCHEMA_TYPES_FILE, "utf8");
    expect(committed, "api/generated/schemaTypes.ts is stale").toBe(await renderSchemaTypes());
  });
});
