import { describe, expect, it } from "vitest";
import { logger } from "../logger.js";
import { errorCode, makeMaskError } from "./errorHandling.js";
import { gql } from "./graphqlRealm.js";

describe("errorCode", () => {
  it("keeps the API's own codes", () => {
    expect(errorCode({ message: "x", extensions: { code: "NOT_FOUND" } })).toBe("NOT_FOUND");
    expect(errorCode({ message: "x", extensions: { code: "QUERY_TOO_DEEP" } })).toBe(
      "QUERY_TOO_DEEP",
    );
  });
  it("calls bad values BAD_USER_INPUT, wherever graphql-js found them", () => {
    for (const message of [
      'Variable "$n" got invalid value "x"; Int cannot represent non-integer value: "x"',
      'Variable "$id" of required type "ID!" was not provided.',
      'Expected value of type "Int", found "x".',
      'Value "FOO" does not exist in "AccountOrder" enum.',
      "Int cannot represent non 32-bit signed integer value: 99999999999",
    ]) {
      expect(errorCode({ message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })).toBe(
        "BAD_USER_INPUT",
      );
      expect(errorCode({ message })).toBe("BAD_USER_INPUT");
    }
  });
  it("leaves other validation failures, maps malformed requests and unknowns", () => {
    expect(
      errorCode({
        message: 'Cannot query field "x"',
        extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
      }),
    ).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(
      errorCode({ message: "POST body sent invalid JSON.", extensions: { http: { status: 400 } } }),
    ).toBe("BAD_REQUEST");
    expect(errorCode({ message: "Cannot return null for non-nullable field" })).toBe(
      "INTERNAL_SERVER_ERROR",
    );
    expect(errorCode({ message: "x", extensions: { code: "SOMETHING_ELSE" } })).toBe(
      "INTERNAL_SERVER_ERROR",
    );
  });
});

describe("maskError", () => {
  const mask = makeMaskError(logger.child({}, { level: "silent" }));
  it("passes errors the API raised on purpose", () => {
    const e = new gql.GraphQLError('market "9" does not exist', {
      extensions: { code: "NOT_FOUND" },
    });
    expect(mask(e)).toBe(e);
  });
  it("masks anything wrapping a plain Error, keeping only the path", () => {
    const inner = new Error('relation "secret_table" does not exist\n    at Object.<anonymous>');
    const wrapped = new gql.GraphQLError(inner.message, {
      originalError: inner,
      path: ["accounts"],
    });
    const masked = mask(wrapped) as InstanceType<typeof gql.GraphQLError>;
    expect(masked.message).toBe("internal server error (the details are in the server log)");
    expect(masked.extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(masked.path).toEqual(["accounts"]);
    expect(JSON.stringify(masked.toJSON())).not.toContain("secret_table");
    expect((mask(new TypeError("boom")) as Error).message).not.toContain("boom");
  });
});
