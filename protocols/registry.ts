/**
 * The protocols Perpwatch can index: one line each. Nothing outside `protocols/` names a
 * protocol; everything else iterates this list (see `protocols.ts`).
 */
export { reference } from "./reference/protocol.js";
