/**
 * Opaque pagination cursors and page sizes.
 *
 * Why opaque: a cursor is the position after which the next page starts — for history, the
 * last row's (block, log index, id); for accounts, the block the first page was computed at
 * and the last account's sort key — and clients must not build or edit one. It is base64url
 * JSON tagged with the list it belongs to, so a cursor from another list, a truncated one or
 * an edited one is a clear `BAD_USER_INPUT`, never a wrong page.
 */
import { badInput } from "../errors.js";

export const MAX_PAGE_SIZE = 1000;

export type CursorKind = "event" | "account";

export interface EventCursor {
  kind: "event";
  block: bigint;
  logIndex: number;
  id: string;
}

export interface AccountCursor {
  kind: "account";
  /** Order the page was sorted by. */
  order: string;
  /** Checkpoint (block) of the snapshot the first page was computed at. */
  checkpoint: string;
  /** Sort key of the last account on the page (decimal, or "inf"). */
  key: string;
  /** Last account's id. */
  id: bigint;
}

export type Cursor = EventCursor | AccountCursor;

export function encodeCursor(c: Cursor): string {
  const body =
    c.kind === "event"
      ? { k: "e", b: c.block.toString(), l: c.logIndex, i: c.id }
      : { k: "a", o: c.order, c: c.checkpoint, s: c.key, i: c.id.toString() };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

const INTEGER = /^\d{1,78}$/;
const KEY = /^(-?\d{1,100}|inf)$/;

export function decodeCursor(kind: "event", text: string, arg?: string): EventCursor;
export function decodeCursor(kind: "account", text: string, arg?: string): AccountCursor;
export function decodeCursor(kind: CursorKind, text: string, arg = "after"): Cursor {
  const fail = () =>
    badInput(arg, "a cursor returned as `pageInfo.endCursor` by this same list", text);
  let body: Record<string, unknown>;
  try {
    if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) throw fail();
    body = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw fail();
  }
  if (typeof body !== "object" || body === null) throw fail();
  if (kind === "event") {
    const { k, b, l, i } = body;
    if (k !== "e" || typeof b !== "string" || !INTEGER.test(b)) throw fail();
    if (typeof l !== "number" || !Number.isSafeInteger(l) || l < 0) throw fail();
    if (typeof i !== "string" || i.length > 200) throw fail();
    return { kind, block: BigInt(b), logIndex: l, id: i };
  }
  const { k, o, c, s, i } = body;
  if (k !== "a" || typeof o !== "string" || typeof c !== "string" || c.length > 100) throw fail();
  if (typeof s !== "string" || !KEY.test(s) || typeof i !== "string" || !INTEGER.test(i)) {
    throw fail();
  }
  return { kind, order: o, checkpoint: c, key: s, id: BigInt(i) };
}

/** `first` validated: an integer from 1 to `max`. */
export function pageSize(first: unknown, arg = "first", max = MAX_PAGE_SIZE): number {
  if (typeof first !== "number" || !Number.isInteger(first) || first < 1 || first > max) {
    throw badInput(arg, `an integer from 1 to ${max}`, first);
  }
  return first;
}
