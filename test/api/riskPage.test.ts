/**
 * The built-in risk page (`/risk`) in headless Chromium with every other host refused, on a
 * small crash-cascade devnet indexed by a real Ponder (test/indexer/support): it renders the
 * summary, the markets, a ladder per market, the accounts closest to liquidation and the
 * alerts section from the API alone, and moves to a newly mined block by itself (the
 * `riskSummary` subscription). GraphiQL, served by the same Ponder, runs a query offline. It
 * takes the README's screenshot: written to docs/risk-page.png with
 * PERPWATCH_README_SCREENSHOT=1, to the devnet's temp dir otherwise.
 */
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningPonder } from "../../indexer/runPonder.js";
import { SimulatedDevnet } from "../indexer/support/simulatedDevnet.js";
import { launchChromium, offlinePage } from "../support/headlessChromium.js";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("the risk page", () => {
  let devnet: SimulatedDevnet;
  let ponder: RunningPonder;
  let browser: Browser;

  beforeAll(async () => {
    devnet = await SimulatedDevnet.start("perpwatch-risk-page-", {
      seed: 42,
      accounts: 60,
      ticks: 140,
    });
    ponder = await devnet.startPonder({
      database: { kind: "pglite", directory: join(devnet.dir, "pglite") },
      logLevel: "error",
    });
    await ponder.waitForBlock(devnet.head, 240_000);
    browser = await launchChromium();
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await devnet?.stop();
  });

  it("renders the risk picture offline and follows a new block", async () => {
    const { page, remote, errors } = await offlinePage(browser, 1400, 1100);
    await page.goto(`${ponder.url}/risk`);
    const head = Number(devnet.head);
    const blockText = (n: number) => `block ${n.toLocaleString("en-US")}`;
    await page.waitForFunction((t) => document.body.dataset.drawnBlock === t, blockText(head), {
      timeout: 60_000,
    });
    expect(await page.textContent("#state")).toBe("live");
    expect(await page.locator("#markets tr").count()).toBe(6); // header + BTC ETH SOL DOGE WIF
    expect(await page.locator("#ladders .ladder svg").count()).toBe(5);
    expect(await page.locator("#accounts tr").count()).toBe(11);
    expect(await page.textContent("#summary")).toMatch(/insurance fund\$?/);
    // No alert worker beside this Ponder: the section says so instead of failing the page.
    expect(await page.textContent("#alerts")).toMatch(
      /ALERTS_UNAVAILABLE|alert worker|nothing firing/i,
    );
    const screenshot =
      process.env.PERPWATCH_README_SCREENSHOT === "1"
        ? join(ROOT, "docs/risk-page.png")
        : join(devnet.dir, "risk-page.png");
    await page.screenshot({ path: screenshot, fullPage: true });

    // A new block: the page moves to it without a reload.
    await devnet.chain.producer.mine();
    await page.waitForFunction((t) => document.body.dataset.drawnBlock === t, blockText(head + 1), {
      timeout: 60_000,
    });
    expect(remote).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000);

  it("serves GraphiQL from Ponder's HTTP server, offline, and runs a query on the index", async () => {
    const { page, remote, errors } = await offlinePage(browser);
    await page.goto(`${ponder.url}/graphql?query=${encodeURIComponent("{ markets { symbol } }")}`);
    await page.click(".graphiql-execute-button", { timeout: 60_000 });
    await page.waitForFunction(
      () => document.querySelector(".graphiql-response")?.textContent?.includes("WIF"),
      null,
      { timeout: 30_000 },
    );
    expect(remote).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
