import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originalJson, type ServiceStack, startStack, uniqueQueueName } from '../integration/helpers.js';
import { type EditorBrowser, expectAccessible, launchBrowser, ORIGINAL_FILE, SCREENSHOTS } from './helpers.js';

// The checks before publishing on the editor's page: a dataset with wrong figures shows per rule
// a grid of the table with the cells marked; a dataset with warnings renders only when the editor
// accepts them. Screenshots go to tests/artifacts/screenshots/ (not committed).

type Raw = { tables: { id: string; rows: Record<string, unknown>[] }[] };

function jsonFile(name: string, value: unknown) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value, null, 2)) };
}

function kerncijfer(raw: Raw, regio: string): Record<string, unknown> {
  const row = raw.tables[0]?.rows.find((r) => r.Regio === regio);
  if (!row) throw new Error(regio);
  return row;
}

describe('editor page in Chromium: the findings of the checks', () => {
  let stack: ServiceStack | undefined;
  let browser: EditorBrowser | undefined;
  let page: Page;
  const browserErrors: string[] = [];

  async function shoot(name: string, selector?: string): Promise<void> {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    if (selector) await page.locator(selector).first().screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
  }

  beforeAll(async () => {
    stack = await startStack({ queueName: uniqueQueueName('e2e-checks'), worker: true });
    browser = await launchBrowser({
      errors: browserErrors,
      // No session: GET /api/session answers 404. The refused submissions answer 422, as this test wants.
      expected: (message) =>
        (message.location().url.endsWith('/api/session') && /status of 404/.test(message.text())) ||
        (/\/api\/(jobs|drafts)$/.test(message.location().url) && /status of 422/.test(message.text())),
    });
    page = browser.page;
    await page.goto(`${stack.api.baseUrl}/`);
    await page.waitForSelector('#dataset-bestand', { state: 'visible' });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('says that the example passes every check', async () => {
    await page.setInputFiles('#dataset-bestand', ORIGINAL_FILE);
    await expect.poll(() => page.textContent('#dataset-status')).toBe('Geldig: dataset.json kan gemaakt worden.');
    expect(await page.textContent('.findings .notice-ok h3')).toContain('De cijfers doorstaan alle controles');
    await shoot('controles-geslaagd', '.findings');
    await expectAccessible(page);
  });

  it('shows errors per rule as a grid of the table with the cells marked, and offers the report', async () => {
    const raw = originalJson() as unknown as Raw;
    kerncijfer(raw, 'VT05').GestarteAdviezen = 3_000; // the national total no longer sums
    kerncijfer(raw, 'VT09').GestarteCasussen = 99_995; // a "waarvan" part above its parent
    kerncijfer(raw, 'VT11').Overdrachten = 1; // "1.000" became 1: not rounded to 5
    await page.setInputFiles('#dataset-bestand', jsonFile('dataset-met-fouten.json', raw));
    await expect.poll(() => page.textContent('#dataset-status')).toMatch(/^Niet te publiceren: \d+ fouten in de cijfers\./);
    const groups = page.locator('.finding-group');
    const headings = await groups.locator('h4').allTextContents();
    expect(headings.some((t) => t.startsWith('Fout') && t.includes('Nederland de som van de 26 Veilig Thuis-regio'))).toBe(true);
    expect(headings.some((t) => t.startsWith('Fout') && t.includes('"waarvan"-deel'))).toBe(true);
    expect(headings.some((t) => t.startsWith('Waarschuwing') && t.includes('vijftallen'))).toBe(true);
    // The sum's group: the national total marked as the finding, the regions as the cells that count.
    const sum = page.locator('.finding-group', { hasText: 'kerncijfers-nederland-som-regios' });
    const marked = sum.locator('td.cell-error');
    expect(await marked.count()).toBeGreaterThanOrEqual(1);
    expect(await marked.first().textContent()).toMatch(/^1.*53[\s\u00a0.]080/);
    expect(await sum.locator('td.cell-related').count()).toBeGreaterThanOrEqual(26);
    expect(await sum.locator('.finding-list li').first().textContent()).toContain('wijkt');
    // The waarvan group marks VT09's cell.
    const parent = page.locator('.finding-group', { hasText: 'waarvan-hoogstens-geheel' });
    const parentRow = parent.locator('tr', { has: page.locator('td.cell-error') });
    expect(await parentRow.locator('th').textContent()).toBe('Groningen');
    await shoot('controles-fouten');
    await shoot('controles-fouten-som', '.finding-group >> nth=0');
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Rapport downloaden (CSV)')]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toBe('beleidsinformatie-veilig-thuis-2019-hj1-controles.csv');
    expect(csv.split('\r\n')[0]).toBe('\ufeffernst;regel;tabel;rij;maat;cijfers;verwacht;melding');
    expect(csv).toContain('fout;kerncijfers-nederland-som-regios;Kerncijfers per Veilig Thuis-regio;');

    // A submission is refused by the service as well.
    await page.click('#maak-knop');
    await expect.poll(() => page.locator('body').textContent()).toContain('De controles vóór publicatie vinden fouten (in de cijfers');
  });

  it('renders a dataset with warnings only after the editor accepts them', async () => {
    const raw = originalJson() as unknown as Raw;
    kerncijfer(raw, 'VT03').Overdrachten = 1_331;
    await page.setInputFiles('#dataset-bestand', jsonFile('dataset-met-waarschuwing.json', raw));
    await expect.poll(() => page.textContent('#dataset-status')).toMatch(/^Geldig, met 1 waarschuwing/);
    await shoot('controles-waarschuwing', '#dataset-resultaat');
    await expectAccessible(page);
    await page.click('#maak-knop');
    await expect.poll(() => page.locator('body').textContent()).toContain('vink aan dat u ze accepteert');
    await page.check('#waarschuwingen-accepteren');
    await page.click('#maak-knop');
    // Every render is a draft: its view says who accepted which warnings, for the second editor to see.
    await page.waitForFunction(() => document.querySelector('#concept h3')?.textContent?.includes('beleidsinformatie'), undefined, {
      timeout: 60_000,
    });
    await expect
      .poll(() => page.locator('#concept .acceptance-note').first().textContent())
      .toMatch(/^1 waarschuwing van de controles geaccepteerd door .+ op .+ \(aantallen-afgerond-op-5\)\.$/);
    expect(await page.textContent('#concept')).toContain('Waarschuwing:');
    await shoot('controles-geaccepteerd', '#concept');
    await expectAccessible(page);
    expect(browserErrors).toEqual([]);
  });
});
