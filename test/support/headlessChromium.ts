/**
 * Test support: Debian's Chromium, headless, driven by playwright-core (no browser download:
 * `.ci/run` installs the `chromium` package), with every request to another host refused and
 * recorded — so a page that works here works air-gapped.
 *
 * The flags are those this machine needs: no sandbox (root), no GPU, and none of Chromium's
 * background connections (the closed network refuses them, many at a time).
 */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.PERPWATCH_CHROMIUM ?? "/usr/bin/chromium";

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface OfflinePage {
  page: Page;
  /** Requests the page tried to send to another host (refused). */
  remote: string[];
  /** Uncaught errors and console errors of the page. */
  errors: string[];
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium) or set PERPWATCH_CHROMIUM`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** A new page of `browser` that may reach only 127.0.0.1/localhost (and data:/blob: URLs). */
export async function offlinePage(
  browser: Browser,
  width = 1400,
  height = 1000,
): Promise<OfflinePage> {
  const context = await browser.newContext({ viewport: { width, height } });
  const remote: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    remote.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return { page, remote, errors };
}
