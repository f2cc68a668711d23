import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../security/helpers.js';
import { type ApiStack, type ServiceStack, startStack, uniqueQueueName } from '../integration/helpers.js';
import { type EditorBrowser, expectAccessible, launchBrowser, ORIGINAL_FILE, SCREENSHOTS } from './helpers.js';

// Two editors and a reader in Chromium: A makes a draft and cannot approve it, B looks at its pages
// and approves it, the reader sees edition 1 at its release moment and not before.

describe('draft, second editor, release in the page', () => {
  const queueName = uniqueQueueName('e2e-review');
  // A month before the example's release moment (30 January 2020, 09:30 Dutch time).
  const clock = createTestClock('2020-01-01T12:00:00Z');
  let stack: ServiceStack | undefined;
  let api: ApiStack;
  let browser: EditorBrowser | undefined;
  const tokens: Record<'anna' | 'bert' | 'lezer' | 'beheer', string> = { anna: '', bert: '', lezer: '', beheer: '' };
  const errors: string[] = [];

  async function open(token: string): Promise<Page> {
    const context = await browser!.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) errors.push(m.text());
    });
    await page.goto(`${api.baseUrl}/redactie`);
    await page.fill('#toegangscode', token);
    await page.press('#toegangscode', 'Enter');
    await page.waitForSelector('#werk', { state: 'visible' });
    return page;
  }
  const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    // Sessions long enough to outlast the month the clock jumps.
    stack = await startStack({ queueName, worker: true, clock: clock.now, access: { sessionTtlMs: 60 * 24 * 3600_000 } });
    api = stack.api;
    tokens.anna = (await api.access.tokens.create({ name: 'Anna de Vries', role: 'editor', createdBy: 'test' })).token;
    tokens.bert = (await api.access.tokens.create({ name: 'Bert Jansen', role: 'editor', createdBy: 'test' })).token;
    tokens.lezer = (await api.access.tokens.create({ name: 'Lies Lezer', role: 'reader', createdBy: 'test' })).token;
    tokens.beheer = (await api.access.tokens.create({ name: 'Bea Beheer', role: 'admin', createdBy: 'test' })).token;
    browser = await launchBrowser({ errors });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('A makes a draft: the page shows it as a concept, and A cannot approve it', async () => {
    const anna = await open(tokens.anna);
    await anna.setInputFiles('#dataset-bestand', ORIGINAL_FILE);
    await anna.waitForFunction(
      () => /geldig|klopt|doorstaat/i.test(document.getElementById('dataset-status')?.textContent ?? ''),
      undefined,
      {
        timeout: 30_000,
      },
    );
    await anna.click('#maak-knop');
    await anna.waitForSelector('#concept h3');
    expect(await anna.textContent('#concept h3')).toContain('Concept: publicatie');
    await anna.waitForSelector('#concept .pdf-page', { timeout: 90_000 });
    expect(await anna.textContent('#concept')).toContain('U heeft dit concept zelf gemaakt');
    expect(await anna.locator('#concept button', { hasText: 'Goedkeuren' }).count()).toBe(0);
    expect(await anna.textContent('#concepten-lijst')).toContain('gemaakt door Anna de Vries');
    await shoot(anna, '40-concept-eigen');
    await expectAccessible(anna);
  });

  it('B sees the draft waiting with who made it, looks at its pages and approves it with a comment', async () => {
    const bert = await open(tokens.bert);
    await bert.waitForSelector('#concepten-lijst .draft-pending button');
    expect(await bert.textContent('#concepten-lijst')).toContain('Wachten op beoordeling (1)');
    await bert.click('#concepten-lijst .draft-pending button');
    await bert.waitForSelector('#concept .pdf-page');
    await bert.waitForFunction(() => /bladzijden/.test(document.querySelector('#concept .pdf-viewer .meta')?.textContent ?? ''));
    const pages = Number(/(\d+) bladzijden/.exec((await bert.textContent('#concept .pdf-viewer .meta')) ?? '')?.[1]);
    expect(pages).toBeGreaterThan(5);
    expect(await bert.locator('#concept ol.sheets li').allTextContents()).toContain('Tabel 1');
    await shoot(bert, '41-concept-beoordelen');
    await expectAccessible(bert);
    // No single click makes an edition: a comment and a confirmation first.
    await bert.click('#concept button:has-text("Goedkeuren")');
    expect(await bert.textContent('#concept .review-form .status')).toContain('toelichting');
    await bert.fill('#beoordeling-toelichting', 'Kerncijfers nagelopen tegen StatLine.');
    await bert.click('#concept button:has-text("Goedkeuren")');
    expect(await bert.textContent('#concept .review-form .status')).toContain('Bevestig');
    await bert.check('#beoordeling-gezien');
    await bert.click('#concept button:has-text("Goedkeuren")');
    await bert.waitForFunction(() => document.getElementById('concept')?.textContent?.includes('Goedgekeurd: editie 1'));
    await bert.waitForFunction(() => document.getElementById('publicaties-lijst')?.textContent?.includes('1 editie'));
    await shoot(bert, '42-concept-goedgekeurd');
    await expectAccessible(bert);
  });

  it('the reader sees no edition before its release moment, and edition 1 from then on', async () => {
    const lezer = await open(tokens.lezer);
    await lezer.waitForFunction(() => (document.getElementById('publicaties-status')?.textContent ?? '').includes('publicaties'));
    expect(await lezer.textContent('#publicaties-lijst')).toContain('nog geen publicatie');
    expect(await lezer.isHidden('#concepten')).toBe(true);
    await shoot(lezer, '43-lezer-voor-publicatie');
    await expectAccessible(lezer);
    // Wait until the final files are rendered, then let the release moment pass.
    await expect
      .poll(async () => ((await api.record.db.query('SELECT job_id FROM editions')) as { job_id: string }[]).length, { timeout: 30_000 })
      .toBe(1);
    const [{ job_id: jobId }] = (await api.record.db.query('SELECT job_id FROM editions')) as [{ job_id: string }];
    await expect.poll(async () => (await api.storage.getManifest(jobId)) !== undefined, { timeout: 90_000 }).toBe(true);
    clock.set('2020-01-30T08:30:00Z');
    await lezer.click('#publicaties-vernieuwen');
    await lezer.waitForSelector('#publicaties-lijst details');
    await lezer.click('#publicaties-lijst summary');
    await lezer.waitForSelector('#publicaties-lijst .edition');
    const text = await lezer.textContent('#publicaties-lijst');
    expect(text).toContain('Editie 1');
    expect(text).toContain('Huidige editie');
    await shoot(lezer, '44-lezer-na-publicatie');
    await expectAccessible(lezer);
    expect(errors).toEqual([]);
  });

  it('an admin withdraws the edition in the page with a public reason and reads every step in the audit log; the reader sees it withdrawn', async () => {
    const beheer = await open(tokens.beheer);
    await beheer.waitForSelector('#beheer', { state: 'visible' });
    await beheer.fill('#intrek-publicatie', 'beleidsinformatie-veilig-thuis-2019-hj1');
    await beheer.fill('#intrek-editie', '1');
    await beheer.fill('#intrek-reden', 'Tabel 2 bevat een telfout; een correctie volgt.');
    await beheer.click('#intrek-formulier button[type="submit"]');
    await beheer.waitForFunction(() => document.getElementById('intrek-status')?.textContent?.includes('is ingetrokken'));
    await beheer.waitForFunction(() => document.getElementById('logboek')?.textContent?.includes('editie ingetrokken'));
    const log = (await beheer.textContent('#logboek')) ?? '';
    for (const step of ['concept gemaakt', 'concept goedgekeurd', 'editie openbaar', 'editie ingetrokken', 'aangemeld'])
      expect(log).toContain(step);
    await shoot(beheer, '45-beheer-ingetrokken');
    await expectAccessible(beheer);

    const lezer = await open(tokens.lezer);
    await lezer.waitForSelector('#publicaties-lijst details');
    await lezer.click('#publicaties-lijst summary');
    await lezer.waitForSelector('#publicaties-lijst .edition');
    expect(await lezer.textContent('#publicaties-lijst')).toContain('Ingetrokken op');
    expect(await lezer.textContent('#publicaties-lijst')).toContain('Tabel 2 bevat een telfout');
    await shoot(lezer, '46-lezer-ingetrokken');
    await expectAccessible(lezer);
    expect(errors).toEqual([]);
  });
});
