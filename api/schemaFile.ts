/**
 * The public contract: `schema.graphql` at the repository root, read as it is. The server is
 * built from this file (not the other way round), so the file integrators read is exactly the
 * schema they get — a test compares the served introspection with it.
 */
import { readFileSync } from "node:fs";

export const SCHEMA_FILE = new URL("../schema.graphql", import.meta.url);

export function readSchemaFile(): string {
  return readFileSync(SCHEMA_FILE, "utf8");
}
