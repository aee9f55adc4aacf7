/**
 * GraphiQL in headless Chromium with every other host refused: the page renders from the
 * package's own assets and a query typed into it runs against the API (no database: the query
 * reads the configuration only).
 */
import { createServer, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbLessApi } from "../../api/test/dbLessApi.js";
import { launchChromium, offlinePage } from "../support/headlessChromium.js";

describe("GraphiQL, offline", () => {
  let server: Server;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const api = dbLessApi();
    server = createServer(api.yoga);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it("renders and runs a query", async () => {
    const { page, remote, errors } = await offlinePage(browser);
    const query = "{ exchanges { id protocol } }";
    await page.goto(`${url}?query=${encodeURIComponent(query)}`);
    await page.click(".graphiql-execute-button", { timeout: 60_000 });
    await page.waitForFunction(
      () => document.querySelector(".graphiql-response")?.textContent?.includes("reference-31337"),
      null,
      { timeout: 30_000 },
    );
    expect(await page.title()).toBe("Perpwatch GraphQL");
    expect(remote).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
