import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type ServiceStack, startStack, uniqueQueueName } from '../integration/helpers.js';
import { type EditorBrowser, expectAccessible, launchBrowser, SCREENSHOTS } from './helpers.js';

// Importing on the editor's page, in Chromium against the real app: a StatLine download (ZIP) and
// a CSV with its mapping become a dataset that step 1 then checks; a bad CSV is shown with its line.

const FIXTURES = path.join(ROOT, 'tests/fixtures/import');

describe('editor page: import a StatLine table or CSV', () => {
  const queueName = uniqueQueueName('e2e-import');
  let stack: ServiceStack | undefined;
  let browser: EditorBrowser | undefined;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ queueName });
    browser = await launchBrowser({
      errors,
      expected: (message) => message.location().url.endsWith('/api/session') && /status of 404/.test(message.text()),
    });
    page = browser.page;
    await page.goto(`${stack.api.baseUrl}/redactie`);
    await page.click('#import summary');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('imports a StatLine v4 download (ZIP) and puts the dataset into step 1, where it is valid', async () => {
    await page.setInputFiles('#import-bron', path.join(FIXTURES, 'statline-v4-halfjaren.zip'));
    await page.fill('#import-datum', '2021-10-28');
    await page.click('#import-formulier button[type="submit"]');
    await expect.poll(() => page.textContent('#import .status')).toBe('Geïmporteerd: tabel 99999ned, 18 cijfers.');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-01-statline.png'), fullPage: true });
    await expectAccessible(page);
    await page.click('text=Deze dataset gebruiken');
    await expect.poll(() => page.textContent('#dataset-status')).toBe('Geldig: statline-99999ned.json kan gemaakt worden.');
    expect(await page.textContent('#dataset-status')).not.toMatch(/Niet geldig/);
    expect(errors).toEqual([]);
  }, 60_000);

  it('imports a CSV with its mapping, and names the line of a bad figure', async () => {
    await page.setInputFiles('#import-bron', path.join(FIXTURES, 'csv-long-percentages.csv'));
    await page.setInputFiles('#import-koppeling', path.join(FIXTURES, 'csv-long-percentages.mapping.json'));
    await page.fill('#import-datum', '2024-05-01');
    await page.click('#import-formulier button[type="submit"]');
    await expect.poll(() => page.textContent('#import .status')).toBe('Geïmporteerd: tabel veiligheid-2023, 6 cijfers.');
    expect(await page.textContent('#import')).toContain('Regio: 3 codes taken from the file in order of appearance');

    await page.setInputFiles('#import-bron', {
      name: 'fout.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Regio,RegioNaam,Perioden,Onderwerp,Waarde\nNL01,Nederland,2023JJ00,Aandeel acute onveiligheid,twaalf\n'),
    });
    await page.click('#import-formulier button[type="submit"]');
    await expect.poll(() => page.textContent('#import .status')).toBe('De bestanden kunnen niet worden geïmporteerd.');
    expect(await page.textContent('#import')).toContain('fout.csv, line 2, field "Waarde": "twaalf" is not a figure');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'import-02-fout.png'), fullPage: true });
    await expectAccessible(page);
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  }, 60_000);
});
