/**
 * GraphiQL is served from the package's own assets: the page a browser gets at `/graphql`
 * loads nothing from another host (it works air-gapped), and it is rendered once.
 * (test/api/graphiqlBrowser.test.ts runs it in headless Chromium.)
 */
import { describe, expect, it } from "vitest";
import { dbLessApi } from "../test/dbLessApi.js";
import { renderOfflineGraphiQL } from "./graphiqlPage.js";

const api = dbLessApi();

/** Every URL the page would fetch: `src` and `href` attributes, CSS `url()`s, `import`s. */
function remoteReferences(html: string): string[] {
  const refs = html.matchAll(/(?:src|href)\s*=\s*["']?(https?:\/\/[^"'\s>]+)/gi);
  return [...refs].map((m) => m[1]!);
}

describe("GraphiQL", () => {
  it("is one self-contained page: no script, style, worker or icon from another host", async () => {
    const res = await api.yoga.fetch("http://localhost/graphql", {
      headers: { accept: "text/html" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("<title>Perpwatch GraphQL</title>");
    expect(html).toContain("renderYogaGraphiQL");
    expect(remoteReferences(html)).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\./);
    // The icon is inline too.
    expect(html).toMatch(/rel="icon" href="data:/);
  });

  it("renders each page once", async () => {
    const a = renderOfflineGraphiQL({ title: "x" });
    expect(renderOfflineGraphiQL({ title: "x" })).toBe(a);
    expect(await a).toContain("<title>x</title>");
  });
});
