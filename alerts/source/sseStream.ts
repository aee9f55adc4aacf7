/**
 * A minimal server-sent-events reader over `fetch`: yields each event's name and data as the
 * bytes arrive. GraphQL subscriptions over SSE (graphql-yoga's "distinct connections mode")
 * send `event: next` / `data: {...}` pairs, `event: complete` at the end, and `:` pings.
 */

export interface SseEvent {
  event: string;
  data: string;
}

/** Splits an SSE byte stream into events (per the EventSource parsing rules we need). */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  onBytes?: () => void,
): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "";
  let data: string[] = [];
  const reader = body.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      onBytes?.();
      buffer += decoder.decode(value, { stream: true });
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, "");
        buffer = buffer.slice(nl + 1);
        if (line === "") {
          if (data.length > 0 || event !== "") {
            yield { event: event || "message", data: data.join("\n") };
          }
          event = "";
          data = [];
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event = value;
          else if (field === "data") data.push(value);
        }
        nl = buffer.indexOf("\n");
      }
    }
  } finally {
    reader.releaseLock();
  }
}
