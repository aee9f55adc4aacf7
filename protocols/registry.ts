/**
 * The protocols Perpwatch can index: one line each. Nothing outside `protocols/` names a
 * protocol; everything else iterates this list (see `protocols.ts`).
 */

export { curie } from "./curie/protocol.js";
export { reference } from "./reference/protocol.js";
