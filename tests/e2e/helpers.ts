import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
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

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One violation of axe-core, as the test reports it. */
interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA) over the whole page as it is now and fails the test on any
 * violation, naming the rule, what it asks and the elements. axe is evaluated in the page through
 * the browser's debugging protocol, outside the page's content security policy.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as { violations: readonly AxeViolation[] };
  const violations = result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(violations, `axe-core finds violations on ${page.url()}`).toEqual([]);
}
