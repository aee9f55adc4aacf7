import { describe, expect, it } from "vitest";
import { MAX_NESTING, parseWithTokenLimit } from "./tokenLimit.js";

function refusal(source: string, maxTokens: number): [string, string] {
  try {
    parseWithTokenLimit(source, maxTokens);
  } catch (err) {
    const e = err as { message: string; extensions: { code: string } };
    return [e.extensions.code, e.message];
  }
  throw new Error("parsed");
}

describe("token limit", () => {
  it("parses documents within the limit", () => {
    expect(parseWithTokenLimit("{ markets { id } }", 10).definitions).toHaveLength(1);
  });
  it("stops at the limit with TOO_MANY_TOKENS", () => {
    expect(refusal(`{ markets { ${"id ".repeat(50)} } }`, 20)).toEqual([
      "TOO_MANY_TOKENS",
      "query has more than 20 tokens, the limit",
    ]);
  });
  it("counts tokens before parsing: comments are free, a document past the limit never parses", () => {
    expect(parseWithTokenLimit(`# ${"x ".repeat(500)}\n{ markets { id } }`, 10)).toBeDefined();
    expect(refusal(`{ ${"a ".repeat(100)}`, 50)[0]).toBe("TOO_MANY_TOKENS");
  });
  it("refuses deep bracket nesting before the recursive parser sees it", () => {
    const nested = (n: number) => `{ stress(shocks: ${"[".repeat(n)}${"]".repeat(n)}) { block } }`;
    expect(refusal(nested(2000), 100_000)).toEqual([
      "QUERY_TOO_DEEP",
      `query nests brackets more than ${MAX_NESTING} levels deep; the limit is ${MAX_NESTING}`,
    ]);
    expect(parseWithTokenLimit(nested(MAX_NESTING - 3), 100_000)).toBeDefined();
  });
  it("leaves other syntax errors to the parser's own message", () => {
    expect(() => parseWithTokenLimit("{ markets {", 100)).toThrow(/Syntax Error/);
    expect(() => parseWithTokenLimit('{ markets(x: "unterminated) }', 100)).toThrow(/Syntax Error/);
  });
});
