import { describe, expect, it } from "vitest";
import { parseWithTokenLimit } from "./tokenLimit.js";

describe("token limit", () => {
  it("parses documents within the limit", () => {
    expect(parseWithTokenLimit("{ markets { id } }", 10).definitions).toHaveLength(1);
  });
  it("stops at the limit with TOO_MANY_TOKENS", () => {
    try {
      parseWithTokenLimit(`{ markets { ${"id ".repeat(50)} } }`, 20);
      expect.unreachable();
    } catch (err) {
      const e = err as { message: string; extensions: { code: string } };
      expect(e.extensions.code).toBe("TOO_MANY_TOKENS");
      expect(e.message).toBe("query has more than 20 tokens, the limit");
    }
  });
  it("leaves other syntax errors to the parser's own message", () => {
    expect(() => parseWithTokenLimit("{ markets {", 100)).toThrow(/Syntax Error/);
  });
});
