/**
 * Test support: Perpwatch's GraphQL API over HTTP, as an integrator calls it — plain POSTs
 * (with the status code and raw body kept, to check that errors never leak a stack or a 500)
 * and subscriptions read as server-sent events.
 */

export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

export interface GraphqlResponse<T> {
  status: number;
  body: string;
  data: T | null;
  errors: GraphqlError[];
  extensions?: { perpwatch?: { cost: number | null; dbQueries: number } };
}

export async function post<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphqlResponse<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.text();
  const json = JSON.parse(body) as {
    data?: T | null;
    errors?: GraphqlError[];
    extensions?: GraphqlResponse<T>["extensions"];
  };
  return {
    status: res.status,
    body,
    data: json.data ?? null,
    errors: json.errors ?? [],
    extensions: json.extensions,
  };
}

/** `post`, failing the test on any GraphQL error. */
export async function query<T = Record<string, unknown>>(
  url: string,
  q: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const r = await post<T>(url, q, variables, headers);
  if (r.errors.length > 0 || r.data === null) {
    throw new Error(`GraphQL failed (${r.status}): ${JSON.stringify(r.errors)}\n${q}`);
  }
  return r.data;
}

/** A subscription over server-sent events: its `next` payloads, in order. */
export class SseSubscription<T> {
  private readonly abort = new AbortController();
  private readonly events: T[] = [];
  private readonly waiters: (() => void)[] = [];
  private failure: Error | null = null;
  private readonly done: Promise<void>;

  constructor(url: string, q: string, variables: Record<string, unknown> = {}) {
    this.done = this.read(url, q, variables).catch((err: unknown) => {
      if (!this.abort.signal.aborted) this.failure = err as Error;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  private async read(url: string, q: string, variables: Record<string, unknown>) {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: q, variables }),
      signal: this.abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`subscription: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf("\n\n");
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = block
          .split("\n")
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).trim())
          .join("\n");
        if (event === "next" && data) {
          const payload = JSON.parse(data) as { data?: T; errors?: GraphqlError[] };
          if (payload.errors?.length)
            throw new Error(`subscription error: ${JSON.stringify(payload.errors)}`);
          this.events.push(payload.data as T);
          for (const w of this.waiters.splice(0)) w();
        }
      }
    }
  }

  /** The first event (from the start of the subscription) that matches, waiting up to `timeoutMs`. */
  async waitFor(match: (e: T) => boolean, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(match);
      if (hit) return hit;
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no matching event within ${timeoutMs} ms (got ${JSON.stringify(this.events)})`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  get received(): readonly T[] {
    return this.events;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
