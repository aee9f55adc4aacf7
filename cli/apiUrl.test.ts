import { describe, expect, it } from "vitest";
import { parseApiUrl } from "./apiUrl.js";

describe("--api", () => {
  it.each([
    "http://127.0.0.1:42069",
    "http://127.0.0.1:42069/",
    "http://127.0.0.1:42069/graphql",
    "http://127.0.0.1:42069/graphql/",
    " http://127.0.0.1:42069/graphql ",
  ])("takes %j", (value) => {
    expect(parseApiUrl(value)).toEqual({
      root: "http://127.0.0.1:42069",
      graphql: "http://127.0.0.1:42069/graphql",
    });
  });

  it("keeps https and a host name", () => {
    expect(parseApiUrl("https://perpwatch.example.org/graphql").root).toBe(
      "https://perpwatch.example.org",
    );
  });

  it.each(["localhost:42069", "http://h:1/ponder/graphql", "ftp://h/graphql", "http://h/sql"])(
    "refuses %j naming both forms",
    (value) => {
      expect(() => parseApiUrl(value)).toThrow(
        `option --api: expected the API's root URL like http://127.0.0.1:42069, or its GraphQL URL like http://127.0.0.1:42069/graphql (got ${JSON.stringify(value)})`,
      );
    },
  );
});
