import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiStack, type ServiceStack, startStack, uniqueQueueName } from '../integration/helpers.js';
import { listDrafts } from '../../src/record/record-store.js';
import { approveDraft } from '../../src/record/review-draft.js';
import { type EditorBrowser, expectAccessible, launchBrowser, ORIGINAL_FILE, SCREENSHOTS } from './helpers.js';

// The editor's page once the service has access tokens: sign in with a token, every change goes
// with the session's CSRF token, a reader only looks, and a revoked token ends the session.

describe('editor page in Chromium with access tokens', () => {
  const queueName = uniqueQueueName('e2e-auth');
  let stack: ServiceStack | undefined;
  let api: ApiStack;
  let browser: EditorBrowser | undefined;
  let page: Page;
  let editor: { token: string; id: string };
  let reader: { token: string; id: string };
  const browserErrors: string[] = [];

  const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  async function signIn(token: string): Promise<void> {
    await page.fill('#toegangscode', token);
    await page.press('#toegangscode', 'Enter');
  }

  beforeAll(async () => {
    stack = await startStack({ queueName, worker: true });
    api = stack.api;
    const madeEditor = await api.access.tokens.create({ name: 'Anna de Vries', role: 'editor', createdBy: 'test' });
    editor = { token: madeEditor.token, id: madeEditor.info.id };
    const made = await api.access.tokens.create({ name: 'Bert Jansen', role: 'reader', createdBy: 'test' });
    reader = { token: made.token, id: made.info.id };
    browser = await launchBrowser({
      errors: browserErrors,
      // The 401 and 403 answers are expected here (wrong token, revoked token, no CSRF header); anything else is a fault.
      expected: (message) => /status of 40[13]/.test(message.text()),
    });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('asks for a token, and says in text when it is missing or wrong', async () => {
    await page.goto(`${api.baseUrl}/redactie`);
    await page.waitForSelector('#aanmelden', { state: 'visible' });
    expect(await page.isHidden('#werk')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('toegangscode');
    await shoot('20-aanmelden');
    await expectAccessible(page);

    await page.click('#aanmeld-knop');
    expect(await page.textContent('#toegangscode-fout')).toBe('Fout: Vul uw toegangscode in.');
    await signIn('vt_dit-is-geen-token');
    await expect.poll(() => page.textContent('#toegangscode-fout')).toContain('Deze toegangscode is onbekend of ingetrokken.');
    expect(await page.getAttribute('#toegangscode', 'aria-invalid')).toBe('true');
    await shoot('21-aanmelden-fout');
    await expectAccessible(page);
  });

  it('signs an editor in; the page sends the CSRF token with every change, and the service demands it', async () => {
    await signIn(editor.token);
    await page.waitForSelector('#werk', { state: 'visible' });
    expect(await page.textContent('#sessie-wie')).toBe('Aangemeld als Anna de Vries (redacteur)');
    expect(await page.isVisible('#afmelden')).toBe(true);
    expect(await page.inputValue('#toegangscode')).toBe('');

    // Without the header the same request is refused: the check is the service's, not the page's.
    const bare = await page.evaluate(async () => {
      const res = await fetch('/api/datasets/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return res.status;
    });
    expect(bare).toBe(403);

    await page.setInputFiles('#dataset-bestand', ORIGINAL_FILE);
    await expect.poll(() => page.textContent('#dataset-status')).toBe('Geldig: dataset.json kan gemaakt worden.');
    await page.click('#maak-knop');
    // The draft was made (with the CSRF token); its maker may not approve it.
    await page.waitForSelector('#concept .pdf-page', { timeout: 60_000 });
    expect(await page.textContent('#concept')).toContain('U heeft dit concept zelf gemaakt');
    await shoot('22-aangemeld-redacteur');
    await expectAccessible(page);
    // Another editor approves it (through the use case), so that readers get an edition below.
    const [draft] = await listDrafts(api.db);
    const second = { actor: { id: 't_0000000000b2', name: 'Tweede redacteur', role: 'editor' as const }, ip: null };
    const edition = await approveDraft(api.record, draft!.id, 'Akkoord.', second);
    await expect.poll(async () => (await api.storage.getManifest(edition.jobId)) !== undefined, { timeout: 60_000 }).toBe(true);
  });

  it('when the session ends by itself, signing in again picks up the dataset and the drafts; signing out forgets them', async () => {
    await api.access.sessions.endAllOf(editor.id);
    await page.click('#publicaties-vernieuwen');
    await page.waitForSelector('#aanmelden', { state: 'visible' });
    expect(await page.textContent('#aanmelden-melding')).toBe('Uw aanmelding is verlopen of ingetrokken. Meld u opnieuw aan.');
    // Nothing the service showed stays in the page while nobody is signed in.
    expect(await page.textContent('#werk')).not.toContain('beleidsinformatie-veilig-thuis-2019-hj1');

    await signIn(editor.token);
    await expect.poll(() => page.textContent('#dataset-status')).toBe('Geldig: dataset.json kan gemaakt worden.');
    await expect.poll(() => page.textContent('#concepten-lijst')).toContain('gemaakt door Anna de Vries');

    await page.click('#afmelden');
    await page.waitForSelector('#aanmelden', { state: 'visible' });
    expect(await page.textContent('#aanmelden-melding')).toBe('U bent afgemeld.');
    expect(await page.inputValue('#dataset-bestand')).toBe('');
  });

  it('shows a reader the editions but not the upload and render steps; a revoked token ends the session', async () => {
    await signIn(reader.token);
    await page.waitForSelector('#werk', { state: 'visible' });
    expect(await page.textContent('#sessie-wie')).toBe('Aangemeld als Bert Jansen (lezer)');
    expect(await page.isHidden('#stap-dataset')).toBe(true);
    expect(await page.isHidden('#stap-maken')).toBe(true);
    expect(await page.isVisible('#alleen-lezen')).toBe(true);
    expect(await page.isHidden('#voortgang')).toBe(true); // the editor's job is not shown to the next user
    await expect.poll(() => page.textContent('#publicaties-status')).toBe('1 publicatie.');
    await shoot('23-lezer');
    await expectAccessible(page);

    await api.access.tokens.revoke(reader.id, 'test');
    await page.click('#publicaties-vernieuwen');
    await page.waitForSelector('#aanmelden', { state: 'visible' });
    expect(await page.textContent('#aanmelden-melding')).toBe('Uw aanmelding is verlopen of ingetrokken. Meld u opnieuw aan.');
  });

  it('made no script errors and broke no content security rule on the way', () => {
    expect(browserErrors).toEqual([]);
  });
});
