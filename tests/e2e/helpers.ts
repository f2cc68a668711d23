import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { ROOT } from '../integration/helpers.js';

/** Debian's Chromium, unless CHROMIUM_PATH names another. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the screenshots of the page go (not committed), for people to look at. */
export const SCREENSHOTS = path.join(ROOT, 'tests/artifacts/screenshots');
/** The 2019 example as first published, as a file for the page's file input. */
export const ORIGINAL_FILE = path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/dataset.json');

/** A headless Chromium with one page open. */
export interface EditorBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the page's context and the browser. */
  close(): Promise<void>;
}

/** Options of {@link launchBrowser}. */
export interface LaunchOptions {
  /** Where the page's script errors and console errors go, for the test to check. */
  readonly errors: string[];
  /** Console errors the test expects (they are not recorded in `errors`). */
  readonly expected?: (message: ConsoleMessage) => boolean;
}

/** Makes the screenshot folder, launches Chromium headless and opens a Dutch page of 1280 × 800 that records its errors. */
export async function launchBrowser(options: LaunchOptions): Promise<EditorBrowser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    // Downloads are accepted (Playwright's default too): the tests read the files the page hands out.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, locale: 'nl-NL' });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !options.expected?.(message)) options.errors.push(message.text());
    });
    page.on('pageerror', (error) => options.errors.push(error.message));
    return {
      browser,
      context,
      page,
      async close() {
        await context.close();
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
