/**
 * Answers to repeated identical queries at the same indexed block, kept as the bytes sent.
 *
 * Why: integrators and dashboards poll — the same account, the same market, the same risk
 * summary — many times per block, and at one block the answer to one request body is fixed:
 * every figure is computed from the block's snapshot. Re-running parse, validation, limits,
 * execution and serialisation for it is most of the API's CPU under load. An answer is kept
 * only if it is a plain 200 with no `errors`, and only if nothing it read depends on the
 * wall clock or the chain head (`indexingStatus` marks its request uncacheable); all of it is
 * dropped as soon as a newer block is served. A hit is byte-identical to the first answer,
 * including its `extensions` (which then describe the request that computed it).
 */

export interface CachedResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** A response's headers as a record, without `skip`. */
export function headersRecord(headers: Headers, skip?: string): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key !== skip) out[key] = value;
  });
  return out;
}

/**
 * A WHATWG response read into the form the route sends and the cache keeps, without its
 * `content-length` (the server sets the length of the body it writes).
 */
export async function cachedResponseOf(res: Response): Promise<CachedResponse> {
  return {
    status: res.status,
    headers: headersRecord(res.headers, "content-length"),
    body: await res.text(),
  };
}

/** Bodies larger than this are not kept (one answer must not crowd out the others). */
const MAX_BODY_CHARS = 256 * 1024;

export class ResponseCache {
  private generation: string | null = null;
  private readonly entries = new Map<string, CachedResponse>();

  /** @param maxEntries answers kept per block (0 keeps nothing). */
  constructor(private readonly maxEntries: number) {}

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  /** The answer kept for `requestBody` at `generation` (the snapshot's checkpoint). */
  get(generation: string, requestBody: string): CachedResponse | undefined {
    if (generation !== this.generation) return undefined;
    return this.entries.get(requestBody);
  }

  /** Keeps an answer if it may be replayed (see the module comment); true if kept. */
  put(generation: string, requestBody: string, res: CachedResponse): boolean {
    if (!this.enabled || !isReplayable(res)) return false;
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    if (this.entries.size >= this.maxEntries) return false;
    this.entries.set(requestBody, res);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A 200 JSON answer without a top-level `errors` member, small enough to keep. */
export function isReplayable(res: CachedResponse): boolean {
  return (
    res.status === 200 &&
    res.body.length <= MAX_BODY_CHARS &&
    res.body.startsWith('{"data":') &&
    // A string value holding `"errors":` is escaped (`\"errors\":`), so this finds only the
    // member itself; at worst an answer is not kept.
    !res.body.includes('"errors":')
  );
}
