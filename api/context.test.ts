import { describe, expect, it } from "vitest";
import { type ApiServices, servicesOf } from "./context.js";

const services = (id: string) => ({ exchange: { id } }) as unknown as ApiServices;

describe("servicesOf", () => {
  it("takes the only exchange when none is named, and the named one otherwise", () => {
    const one = new Map([["a", services("a")]]);
    expect(servicesOf(one, undefined).exchange.id).toBe("a");
    expect(servicesOf(one, null).exchange.id).toBe("a");
    expect(servicesOf(one, "a").exchange.id).toBe("a");
    const two = new Map([
      ["a", services("a")],
      ["b", services("b")],
    ]);
    expect(servicesOf(two, "b").exchange.id).toBe("b");
  });

  it("says which ids there are when none is named among several, or an unknown one", () => {
    const two = new Map([
      ["a", services("a")],
      ["b", services("b")],
    ]);
    expect(() => servicesOf(two, undefined)).toThrow(
      'exchange: expected one of "a", "b" (several exchanges are indexed)',
    );
    expect(() => servicesOf(two, "c")).toThrow('exchange: expected one of "a", "b" (got "c")');
    try {
      servicesOf(two, "c");
    } catch (e) {
      expect((e as { extensions: { code: string } }).extensions.code).toBe("BAD_USER_INPUT");
    }
  });
});
