/**
 * The risk page's HTML without a browser: one self-contained page (nothing from another host)
 * whose inline script parses. (test/api/riskPage.test.ts runs it in headless Chromium.)
 */
import { describe, expect, it } from "vitest";
import { riskPageHtml } from "./riskPage.js";

describe("the risk page", () => {
  const html = riskPageHtml();

  it("references no other host", () => {
    expect([...html.matchAll(/(?:src|href)\s*=\s*["']?https?:/gi)]).toEqual([]);
  });

  it("has one inline script that parses", () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(() => new Function(scripts[0]!)).not.toThrow();
    expect(scripts[0]).toContain("const notionalAtMark = ");
  });
});
