/**
 * GraphiQL from the package's own assets: @graphql-yoga/render-graphiql inlines GraphiQL's
 * script, styles, editor workers and icon into one page, where yoga's default page loads them
 * from a CDN (a blank "Loading…" page on a machine without internet; Perpwatch is
 * self-hosted and must work air-gapped).
 *
 * The bundle is some 9 MB of JavaScript: it is imported on the first GraphiQL request, not
 * when the API starts, and each page (per title and options) is rendered once.
 */
import type { GraphiQLOptions } from "graphql-yoga";

const pages = new Map<string, Promise<string>>();

/** The offline GraphiQL page for `opts` (yoga's `renderGraphiQL` option). */
export function renderOfflineGraphiQL(opts?: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(opts ?? {});
  let page = pages.get(key);
  if (!page) {
    page = import("@graphql-yoga/render-graphiql").then((m) => m.renderGraphiQL(opts));
    page.catch(() => pages.delete(key));
    pages.set(key, page);
  }
  return page;
}
