import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedEdition } from '../../src/render/types.js';
import {
  type ApiStack,
  correctedJson,
  ERRATUM,
  originalJson,
  ROOT,
  renderDirectly,
  type ServiceStack,
  startStack,
  uniqueQueueName,
} from '../integration/helpers.js';
import { listDrafts } from '../../src/record/record-store.js';
import { approveDraft } from '../../src/record/review-draft.js';
import { type EditorBrowser, expectAccessible, launchBrowser, ORIGINAL_FILE, SCREENSHOTS } from './helpers.js';
import { formatDatasetJson } from '../../src/model/dataset-json.js';
import { newPeriodSkeleton } from '../../src/model/new-period.js';
import { templateSectionNames } from '../../src/render/period-sections.js';
import { loadTemplates } from '../../src/resources.js';

// The editor's page in a real browser (Debian's Chromium, driven by playwright-core) against the
// real app, a real worker and Redis: what an editor does, step by step, with screenshots of each
// state in tests/artifacts/screenshots/ (not committed) for people to look at.

const CORRECTED_FILE = path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/dataset-gecorrigeerd.json');
const PUBLICATION_ID = 'beleidsinformatie-veilig-thuis-2019-hj1';
const NBSP = '\u00a0';
const RENDER_TIMEOUT_MS = 60_000;

/** A dataset file for the file input, made in the test. */
function jsonFile(name: string, value: unknown) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value, null, 2)) };
}

describe('editor page in Chromium: check, draft, approve, download, compare editions', () => {
  const queueName = uniqueQueueName('e2e');
  let stack: ServiceStack | undefined;
  let api: ApiStack;
  let browser: EditorBrowser | undefined;
  let page: Page;
  let directFirst: Promise<RenderedEdition>;
  let directCorrected: Promise<RenderedEdition>;
  const browserErrors: string[] = [];

  /** A screenshot of the whole page, or of one part of it (`selector`) for a closer look. */
  async function shoot(name: string, selector?: string): Promise<void> {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    if (selector) await page.locator(selector).first().screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
  }

  /** Downloads a file through its link on the page and returns the bytes and the offered name. */
  async function downloadVia(selector: string): Promise<{ bytes: Buffer; name: string }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const file = await download.path();
    return { bytes: await readFile(file), name: download.suggestedFilename() };
  }

  /** The draft the page shows, once rendered; then a second editor approves it (through the use case: open mode has one actor). */
  async function approveShownDraft(): Promise<number> {
    await page.waitForSelector('#concept .pdf-page', { timeout: RENDER_TIMEOUT_MS });
    expect(await page.textContent('#concept')).toContain('U heeft dit concept zelf gemaakt');
    const [draft] = await listDrafts(api.db);
    const second = { actor: { id: 't_0000000000b2', name: 'Tweede redacteur', role: 'editor' as const }, ip: null };
    const edition = await approveDraft(api.record, draft!.id, 'Akkoord.', second);
    await expect.poll(async () => (await api.storage.getManifest(edition.jobId)) !== undefined, { timeout: RENDER_TIMEOUT_MS }).toBe(true);
    await page.click('#publicaties-vernieuwen');
    return edition.edition;
  }

  beforeAll(async () => {
    stack = await startStack({ queueName, worker: true });
    api = stack.api;
    // What the CLI renders from the same input: the files the page must hand out.
    directFirst = renderDirectly({ dataset: originalJson() });
    directCorrected = renderDirectly({ dataset: correctedJson(), previous: originalJson(), erratum: ERRATUM });
    browser = await launchBrowser({
      errors: browserErrors,
      // A service without sign-in answers GET /api/session with 404; the page then needs none.
      // The refused period texts are answered with 422 on purpose.
      expected: (message) =>
        (message.location().url.endsWith('/api/session') && /status of 404/.test(message.text())) ||
        (/\/api\/(jobs|drafts)$/.test(message.location().url) && /status of 422/.test(message.text())),
    });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('opens in Dutch under a strict content security policy, with a label on every control', async () => {
    const res = await page.goto(`${api.baseUrl}/`);
    expect(page.url()).toBe(`${api.baseUrl}/redactie`);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await page.textContent('h1')).toBe('Publicaties maken');
    await expect.poll(() => page.textContent('#publicaties-status')).toBe('0 publicaties.');

    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, textarea, button'))
        .filter((el) => {
          if (el instanceof HTMLButtonElement) return (el.textContent ?? '').trim() === '';
          return (el as HTMLInputElement).labels?.length === 0;
        })
        .map((el) => el.id || el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    // No inline script or style anywhere in the served page.
    const html = await (await fetch(`${api.baseUrl}/redactie`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|<style|\son[a-z]+=/i);
    await shoot('01-start');
    await expectAccessible(page);
  });

  it('when a dataset has a figure written as text, the page says so naming table, row and cell', async () => {
    const broken = originalJson() as { tables: { rows: Record<string, unknown>[] }[] };
    broken.tables[0]!.rows[3]!.GestarteAdviezen = '1.145';
    await page.setInputFiles('#dataset-bestand', jsonFile('dataset-met-fout.json', broken));
    await expect.poll(() => page.textContent('#dataset-status')).toMatch(/^Niet geldig: dataset-met-fout\.json heeft 1 fout\./);
    const result = (await page.textContent('#dataset-resultaat')) ?? '';
    expect(result).toContain('Deze dataset is niet geldig');
    expect(result).toContain(
      'Tabel 1 ‘Kerncijfers per Veilig Thuis-regio’ (kerncijfers), rij 4 (Regio: Drenthe (VT03), Perioden: 1e halfjaar van 2019 (2019HJ01)), cel Gestarte adviezen (GestarteAdviezen)',
    );
    expect(result).toContain('is the text "1.145"');
    await shoot('02-ongeldige-dataset');
    await expectAccessible(page);

    // Nothing can be rendered from it: the form says why, in text, and takes the focus there.
    await page.click('#maak-knop');
    expect(await page.textContent('#maak-fouten')).toContain('Er is nog geen geldige dataset');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('maak-fouten');
  });

  it('when a file is not JSON at all, the page gives the line and column', async () => {
    await page.setInputFiles('#dataset-bestand', {
      name: 'kapot.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{\n  "formatVersion": 1,\n}'),
    });
    await expect.poll(() => page.textContent('#dataset-status')).toMatch(/^Niet geldig: kapot\.json/);
    const result = (await page.textContent('#dataset-resultaat')) ?? '';
    expect(result).toContain('Dit bestand is geen leesbare JSON');
    expect(result).toMatch(/De JSON klopt niet op regel 3, kolom \d+\./);
  });

  it('when the 2019 example is rendered, the page shows the draft; once another editor approved it, it hands out the PDF the CLI makes', async () => {
    await page.setInputFiles('#dataset-bestand', ORIGINAL_FILE);
    await expect.poll(() => page.textContent('#dataset-status')).toBe('Geldig: dataset.json kan gemaakt worden.');
    expect(await page.textContent('#dataset-resultaat')).toContain('Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019');
    expect(await page.isHidden('#maak-fouten')).toBe(true);
    await shoot('03-geldige-dataset');
    await expectAccessible(page);

    // Every render is a draft: the page shows it with its pages; its maker cannot approve it.
    await page.click('#maak-knop');
    await page.waitForSelector('#concept h3');
    expect(await page.textContent('#concept h3')).toBe(`Concept: publicatie · ${PUBLICATION_ID}`);
    await shoot('04-concept');
    await expectAccessible(page);
    expect(await approveShownDraft()).toBe(1);
    const details = page.locator(`#publicaties-lijst details[data-publication="${PUBLICATION_ID}"]`);
    await details.locator('summary').click();
    await page.waitForSelector('#publicaties-lijst .edition .files a');
    const files = await page.$$eval('#publicaties-lijst .edition .files li', (items) => items.map((li) => li.textContent ?? ''));
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^publicatie\.pdf, editie 1Publicatie \(PDF\) · \d+(,\d)? kB$/);
    await shoot('05-publicatie-klaar');
    await expectAccessible(page);

    const direct = await directFirst;
    const pdf = await downloadVia('#publicaties-lijst .edition a[href$="/publicatie.pdf"]');
    expect(pdf.name).toBe(`${PUBLICATION_ID}-editie-1-publicatie.pdf`);
    expect(pdf.bytes.equals(direct.artifacts.find((a) => a.name === 'publicatie.pdf')!.bytes)).toBe(true);
    const xlsx = await downloadVia('#publicaties-lijst .edition a[href$="/tabellenbijlage.xlsx"]');
    expect(xlsx.bytes.equals(direct.artifacts.find((a) => a.name === 'tabellenbijlage.xlsx')!.bytes)).toBe(true);
  });

  it('a correction is a draft with its changed figures before and after; once approved, the page hands out the erratum', async () => {
    await page.setInputFiles('#dataset-bestand', CORRECTED_FILE);
    await expect.poll(() => page.textContent('#dataset-status')).toBe('Geldig: dataset-gecorrigeerd.json kan gemaakt worden.');
    // The publication already has an edition: the page points at the correction.
    expect(await page.textContent('#maak-dataset')).toContain('Van deze publicatie bestaat al 1 editie. Is dit een correctie?');

    await page.check('#soort-correctie');
    expect(await page.textContent('#maak-knop')).toBe('Gecorrigeerde editie maken');
    expect(await page.inputValue('#correctie-publicatie')).toBe(PUBLICATION_ID);
    expect(await page.textContent('#correctie-vorige')).toMatch(/^U corrigeert editie 1, gemaakt op .+\. De correctie wordt editie 2\.$/);
    // By default a correction prints with the templates kept with the edition it corrects.
    expect(await page.isChecked('#sjablonen-bewaard')).toBe(true);

    // Leaving the fields empty: each says what is missing, in text, and the summary links to it.
    await page.click('#maak-knop');
    expect(await page.textContent('#maak-fouten')).toContain('Vul de datum van het erratum in');
    expect(await page.textContent('#erratum-tekst-fout')).toBe('Fout: Schrijf in de tekst wat er gecorrigeerd is.');
    expect(await page.getAttribute('#erratum-datum', 'aria-invalid')).toBe('true');
    await shoot('06-correctie-formulier-fouten');
    await expectAccessible(page);
    await page.click('#maak-fouten a[data-field="erratum-datum"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erratum-datum');

    await page.fill('#erratum-datum', ERRATUM.date);
    await page.fill('#erratum-tekst', ERRATUM.text);
    await shoot('07-correctie-formulier');
    await expectAccessible(page);
    await page.click('#maak-knop');
    await page.waitForFunction(() => document.querySelector('#concept h3')?.textContent?.includes('correctie van editie 1'));
    await page.waitForSelector('#concept table.changes', { timeout: RENDER_TIMEOUT_MS });
    const changes = (await page.textContent('#concept')) ?? '';
    expect(changes).toContain('55 cijfers verschillen van de editie die dit concept corrigeert');
    expect(changes).toContain('Sjablonen: bewaard bij editie 1');
    const rows = await page.$$eval('#concept table.changes tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (cell) => cell.textContent)),
    );
    expect(rows).toContainEqual([
      'Kerncijfers per Veilig Thuis-regio',
      'Totaal',
      'Actieve casussen',
      `64${NBSP}040`,
      `73${NBSP}820`,
      'waarde',
    ]);
    await shoot('08-correctie-concept');
    await expectAccessible(page);
    expect(await approveShownDraft()).toBe(2);

    const direct = await directCorrected;
    const details = page.locator(`#publicaties-lijst details[data-publication="${PUBLICATION_ID}"]`);
    await expect.poll(() => details.locator('.edition').count()).toBe(2);
    const erratum = await downloadVia('#publicaties-lijst .edition a[href$="/erratum.pdf"]');
    expect(erratum.name).toBe(`${PUBLICATION_ID}-editie-2-erratum.pdf`);
    expect(erratum.bytes.equals(direct.artifacts.find((a) => a.name === 'erratum.pdf')!.bytes)).toBe(true);
  });

  it('lists the editions of each publication, newest first, with files and the changed cells of a correction', async () => {
    const details = page.locator(`#publicaties-lijst details[data-publication="${PUBLICATION_ID}"]`);
    await expect.poll(() => details.getAttribute('open')).toBe('');
    await page.waitForSelector(`#publicaties-lijst .edition`);
    expect(await details.locator('.edition h3').allTextContents()).toEqual(['Editie 2: correctie van 28 april 2020', 'Editie 1']);
    expect(await details.locator('.edition').first().locator('.files a').allTextContents()).toEqual([
      'publicatie.pdf, editie 2',
      'tabellenbijlage.xlsx, editie 2',
      'erratum.pdf, editie 2',
    ]);
    // Open the changed cells with the keyboard.
    const summary = details.locator('.changes-details summary');
    expect(await summary.textContent()).toBe(`Gewijzigde cellen (55) van editie 2 van ${PUBLICATION_ID}`);
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await details.locator('.changes-details table').isVisible()).toBe(true);
    expect(await details.locator('.changes-details').textContent()).toContain('Noord en Oost Gelderland');
    await details.locator('.changes-details').scrollIntoViewIfNeeded();
    await shoot('09-edities');
    await shoot('09a-edities-publicatie', `#publicaties-lijst details[data-publication="${PUBLICATION_ID}"]`);
    await expectAccessible(page);
  });

  it('when a render fails, the page shows the failure and its message', async () => {
    const orphan = originalJson() as { publication: Record<string, unknown> };
    orphan.publication.id = 'zonder-sjabloon';
    // An unknown template is refused at validation now; a directive the PDF cannot draw, in a text of the dataset, still fails the render.
    orphan.publication.texts = { ...(orphan.publication.texts as Record<string, string>), kwaliteit: '::onbekend' };
    await page.setInputFiles('#dataset-bestand', jsonFile('zonder-sjabloon.json', orphan));
    await expect.poll(() => page.textContent('#dataset-status')).toBe('Geldig: zonder-sjabloon.json kan gemaakt worden.');
    await page.check('#soort-eerste');
    await page.click('#maak-knop');
    await page.waitForFunction(() => document.querySelector('#concept h3')?.textContent?.includes('zonder-sjabloon'));
    await page.waitForFunction(() => document.getElementById('concept')?.textContent?.includes('Het maken is mislukt'), undefined, {
      timeout: RENDER_TIMEOUT_MS,
    });
    // The reason comes with the failure, never after it: the period text and its line are named.
    const failure = (await page.textContent('#concept')) ?? '';
    expect(failure).toContain('period text "kwaliteit", line 1: "::onbekend"');
    await shoot('10-mislukt');
    await expectAccessible(page);
  });

  it('starts the period texts from the dataset and shows a refused text on the field, naming section and line', async () => {
    await page.goto(`${api.baseUrl}/redactie`);
    await page.setInputFiles('#dataset-bestand', ORIGINAL_FILE);
    await expect.poll(() => page.textContent('#dataset-status')).toBe('Geldig: dataset.json kan gemaakt worden.');
    await page.click('#teksten-kop');
    await page.click('#periode-teksten-begin');
    const start = await page.inputValue('#periode-teksten');
    expect(start).toMatch(/^---\nperiode: 2019HJ01\n---\n/);
    expect(start).toContain('# kwaliteit-periode');
    await page.fill('#periode-teksten', `${start}\n# extra\n\n{{> regel}}\n`);
    await page.click('#maak-knop');
    await expect.poll(() => page.isVisible('#periode-teksten-fout')).toBe(true);
    expect(await page.textContent('#periode-teksten-fout')).toMatch(/period text "extra", line \d+: \{\{> …\}\}: partials are not allowed/);
    await shoot('teksten-fout');
    await expectAccessible(page);
  });

  it('starts a new period from the last one: the dataset and texts files as the CLI makes them, with what is left to do', async () => {
    await page.goto(`${api.baseUrl}/redactie`);
    await page.click('#nieuwe-periode-kop');
    await page.click('#periode-formulier button[type="submit"]');
    expect(await page.textContent('#nieuwe-periode .status')).toContain('Kies de dataset van de vorige periode');
    await page.setInputFiles('#periode-bron', ORIGINAL_FILE);
    await page.fill('#periode-code', '2019HJ02');
    await page.click('#periode-formulier button[type="submit"]');
    await expect.poll(() => page.textContent('#nieuwe-periode .status')).toContain('Gemaakt: beleidsinformatie-veilig-thuis-2019-hj2');
    const expected = newPeriodSkeleton(JSON.parse(await readFile(ORIGINAL_FILE, 'utf8')), {
      period: '2019HJ02',
      sections: templateSectionNames(loadTemplates(), 'beleidsinformatie'),
    });
    const dataset = await downloadVia('#nieuwe-periode a[download$=".json"]');
    expect(dataset.name).toBe('beleidsinformatie-veilig-thuis-2019-hj2.json');
    expect(dataset.bytes.toString('utf8')).toBe(formatDatasetJson(expected.dataset));
    const texts = await downloadVia('#nieuwe-periode a[download$=".md"]');
    expect(texts.bytes.toString('utf8')).toBe(expected.texts);
    expect(await page.textContent('#nieuwe-periode ul')).toContain('Vul de cijfers van 2e halfjaar van 2019 in');
    await shoot('13-nieuwe-periode');
    await expectAccessible(page);
  });

  it('can be used with the keyboard alone, in a sensible order', async () => {
    await page.goto(`${api.baseUrl}/redactie`);
    // The failed render made no edition: one publication.
    await expect.poll(() => page.textContent('#publicaties-status')).toBe('1 publicatie.');
    const order: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName.toLowerCase() || ''));
    }
    expect(order).toEqual([
      'a',
      'dataset-bestand',
      'import-kop',
      'nieuwe-periode-kop',
      'soort-eerste',
      'teksten-kop',
      'maak-knop',
      'concepten-vernieuwen',
    ]);

    // The kind of edition is chosen with the arrow keys; the correction's fields follow in order.
    await page.focus('#soort-eerste');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#soort-correctie')).toBe(true);
    expect(await page.isVisible('#correctie-velden')).toBe(true);
    const next: string[] = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id ?? '');
      if (next.at(-1) !== id) next.push(id); // a date input takes several Tabs (day, month, year)
    }
    expect(next.slice(0, 6)).toEqual([
      'correctie-publicatie',
      'erratum-datum',
      'erratum-tekst',
      'sjablonen-bewaard',
      'teksten-kop',
      'maak-knop',
    ]);
  });

  it('is usable in a narrow window (400 px): no sideways scrolling, tables stacked', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await page.goto(`${api.baseUrl}/redactie`);
    const broken = originalJson() as { tables: { rows: Record<string, unknown>[] }[] };
    broken.tables[0]!.rows[3]!.GestarteAdviezen = '1.145';
    await page.setInputFiles('#dataset-bestand', jsonFile('dataset-met-fout.json', broken));
    await expect.poll(() => page.textContent('#dataset-status')).toMatch(/^Niet geldig/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await shoot('11-smal-ongeldig');
    await expectAccessible(page);

    const details = page.locator(`#publicaties-lijst details[data-publication="${PUBLICATION_ID}"]`);
    await details.locator('summary').click();
    await details.locator('.changes-details summary').click();
    await page.waitForSelector('.changes-details table');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await details.locator('.changes-details').scrollIntoViewIfNeeded();
    await shoot('12-smal-edities');
    await shoot('12a-smal-gewijzigde-cellen', '.changes-details');
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('made no script errors and broke no content security rule on the way', () => {
    expect(browserErrors).toEqual([]);
  });
});
