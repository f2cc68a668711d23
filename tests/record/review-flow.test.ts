import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../../src/api/index.js';
import { renderEdition } from '../../src/render/render-edition.js';
import { loadResources } from '../../src/resources.js';
import { EXAMPLES, loadExample } from '../helpers/examples.js';
import { readAudit, type SecureStack, startSecureStack } from '../security/helpers.js';
import { type DraftBody, type EditionBody, getAs, makeDraft, review, sendJson, waitForDraft, waitForEditions } from './helpers.js';

const PUBLICATION = 'beleidsinformatie-veilig-thuis-2019-hj1';
const asPublished = JSON.parse(readFileSync(EXAMPLES.asPublished, 'utf8')) as unknown;
const corrected = JSON.parse(readFileSync(EXAMPLES.corrected, 'utf8')) as unknown;
const erratumText = readFileSync(EXAMPLES.corrected.replace('dataset-gecorrigeerd.json', 'erratum.md'), 'utf8');
/** Edition 1 is embargoed until then; the correction names an earlier erratum date and no release moment. */
const EMBARGO = '2027-06-01T07:00:00.000Z';

/** Every route of the access table with its parameters filled in, for probing as a reader. */
function everyRoute(ids: { draftId: string; jobIds: string[] }): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = [];
  for (const route of ROUTE_ACCESS) {
    const fills = route.path.includes(':id')
      ? route.path.startsWith('/api/drafts')
        ? [ids.draftId]
        : route.path.startsWith('/api/jobs')
          ? ids.jobIds
          : route.path.startsWith('/api/publications')
            ? [PUBLICATION]
            : ['x']
      : [''];
    for (const id of fills) {
      for (const name of route.path.includes(':name') ? ['publicatie.pdf', 'tabellenbijlage.xlsx', 'erratum.pdf'] : ['']) {
        const url = route.path
          .replace(':id', id)
          .replace(':name', name)
          .replace(':edition', '1')
          .replace('/static/', '/static/redactie.js');
        out.push({ method: route.method, url });
      }
    }
  }
  return out;
}

describe('drafts, a second editor, release: nothing reaches readers before another editor approved it', () => {
  let stack: SecureStack;
  let editorB: string;
  let d1: DraftBody;
  let d3: DraftBody;
  let edition1: EditionBody;

  beforeAll(async () => {
    stack = await startSecureStack({ label: 'review-flow', clock: '2026-11-30T10:00:00Z' });
    editorB = (await stack.api.access.tokens.create({ name: 'Bea Tweede', role: 'editor', createdBy: 'test' })).token;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a render is a draft without edition number; nobody approves their own draft, admins included', async () => {
    d1 = await makeDraft(stack, stack.tokens.editor, { dataset: asPublished, releaseAt: EMBARGO });
    expect(d1).toMatchObject({ publicationId: PUBLICATION, state: 'pending', edition: null, correctsEdition: null, review: null });
    d1 = await waitForDraft(stack, stack.tokens.editor, d1.id);
    expect(d1.artifacts?.map((a) => a.name).sort()).toEqual(['publicatie.pdf', 'tabellenbijlage.xlsx']);
    // The reviewer sees the workbook's sheets, read from the file itself.
    const sheets = (d1 as DraftBody & { sheets: string[] }).sheets;
    expect(sheets.length).toBeGreaterThan(3);
    expect(sheets).toContain('Tabel 1');
    const pdf = await getAs(stack, stack.tokens.editor, d1.artifacts?.[0]?.links.view ?? '');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toMatch(/^inline; filename=".*CONCEPT.*publicatie\.pdf"$/);

    const own = await review(stack, stack.tokens.editor, d1.id, 'approve');
    expect(own.status).toBe(409);
    expect(((await own.json()) as { detail: string }).detail).toMatch(/own draft/);
    // The admin's draft has one count that is not rounded to 5 (a warning of the checks); its maker accepts it.
    const withWarning = structuredClone(asPublished) as { tables: { rows: Record<string, unknown>[] }[] };
    const drenthe = withWarning.tables[0]?.rows.find((r) => r.Regio === 'VT03');
    if (drenthe) drenthe.Overdrachten = 1331;
    const adminDraft = await makeDraft(stack, stack.tokens.admin, { dataset: withWarning, releaseAt: EMBARGO, acceptWarnings: true });
    expect(adminDraft.acceptedWarnings).toMatchObject({ by: 'test admin', findings: [expect.stringContaining('aantallen-afgerond-op-5')] });
    await waitForDraft(stack, stack.tokens.admin, adminDraft.id);
    expect((await review(stack, stack.tokens.admin, adminDraft.id, 'approve')).status).toBe(409);
    expect((await review(stack, stack.tokens.admin, adminDraft.id, 'reject')).status).toBe(409);
    // A rejection stays, with its comment; a rejected draft cannot be approved after all.
    const rejected = await review(stack, editorB, adminDraft.id, 'reject', 'Dubbel ingediend.');
    expect(rejected.status).toBe(201);
    expect(await rejected.json()).toMatchObject({ state: 'rejected', review: { decision: 'rejected', comment: 'Dubbel ingediend.' } });
    expect((await review(stack, stack.tokens.editor, adminDraft.id, 'approve')).status).toBe(409);
  });

  it('a reader reaches no draft on any route, nor does anyone without a token', async () => {
    for (const who of [stack.tokens.reader, undefined]) {
      for (const { method, url } of everyRoute({ draftId: d1.id, jobIds: [d1.jobId as string] })) {
        const res = await fetch(`${stack.baseUrl}${url}`, {
          method,
          headers: { ...(who ? { authorization: `Bearer ${who}` } : {}), 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        const text = await res.text();
        if (url.includes(d1.id) || url.includes(d1.jobId as string)) {
          // Asked by its id: refused (the refusal may repeat the id asked for, nothing more).
          expect([401, 403, 404], `${method} ${url}`).toContain(res.status);
        } else {
          expect(text, `${method} ${url}`).not.toContain(d1.id);
          expect(text, `${method} ${url}`).not.toContain(d1.jobId as string);
        }
        if (url.startsWith('/api/')) expect(res.status, `${method} ${url}`).not.toBe(500);
      }
    }
    expect(await (await getAs(stack, stack.tokens.reader, '/api/publications')).json()).toMatchObject({ publications: [] });
  });

  it('another editor approves: edition 1, rendered without the mark, byte-identical to a render of the same input', async () => {
    const res = await review(stack, editorB, d1.id, 'approve', 'Cijfers nagelopen tegen StatLine.');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ state: 'approved', edition: 1, releaseAt: EMBARGO });
    [edition1] = (await waitForEditions(stack, editorB, PUBLICATION)) as [EditionBody];
    expect(edition1).toMatchObject({ edition: 1, state: 'scheduled', current: false });
    const pdf = Buffer.from(await (await getAs(stack, editorB, edition1.artifacts[0]?.links.download ?? '')).arrayBuffer());
    const direct = await renderEdition({ dataset: loadExample(EXAMPLES.asPublished) }, loadResources());
    expect(pdf.equals(direct.artifacts[0]?.bytes as Buffer)).toBe(true);
    expect((await review(stack, editorB, d1.id, 'approve')).status).toBe(409);
  });

  it('a correction whose figures equal the edition it corrects is refused: geen wijzigingen', async () => {
    const same = structuredClone(asPublished) as { tables: { rows: unknown[] }[] };
    same.tables[0]?.rows.reverse(); // the same figures in another order
    const res = await sendJson(stack, editorB, 'POST', '/api/drafts', {
      dataset: same,
      erratum: { date: '2026-11-29', text: 'Niets gecorrigeerd.' },
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(problem.code).toBe('DATASET_IMPLAUSIBLE');
    expect(problem.errors[0]).toMatchObject({ path: 'dataset.publication', message: expect.stringContaining('Geen wijzigingen') });
  });

  it('a correction always corrects the latest edition and never comes out before it: nothing of the embargoed edition leaks', async () => {
    d3 = await makeDraft(stack, editorB, { dataset: corrected, erratum: { date: '2026-11-29', text: erratumText } });
    expect(d3).toMatchObject({ correctsEdition: 1 });
    d3 = await waitForDraft(stack, editorB, d3.id);
    expect(d3.changedCells?.total).toBeGreaterThan(0);
    const approved = await review(stack, stack.tokens.editor, d3.id, 'approve', 'Erratum gelezen.');
    expect(await approved.json()).toMatchObject({ edition: 2, releaseAt: EMBARGO });
    const editions = await waitForEditions(stack, editorB, PUBLICATION);
    expect(editions.map((e) => e.edition)).toEqual([1, 2]);

    // The erratum date has passed, edition 1's embargo has not: readers see nothing of either.
    for (const url of [
      '/api/publications',
      `/api/publications/${PUBLICATION}/editions`,
      ...editions.flatMap((e) => [`/api/jobs/${e.jobId}`, ...e.artifacts.map((a) => a.links.download)]),
    ]) {
      const res = await getAs(stack, stack.tokens.reader, url);
      const text = await res.text();
      expect(res.status === 404 || (res.status === 200 && text.includes('"publications":[]')), `${url}: ${res.status}`).toBe(true);
      expect(text).not.toMatch(/changedCells|"latest"|"edition":/);
    }

    stack.clock.set(EMBARGO);
    const list = (await (await getAs(stack, stack.tokens.reader, `/api/publications/${PUBLICATION}/editions`)).json()) as {
      editions: EditionBody[];
    };
    expect(list.editions.map((e) => [e.edition, e.state, e.current])).toEqual([
      [1, 'released', false],
      [2, 'released', true],
    ]);
    expect(await (await getAs(stack, stack.tokens.reader, '/api/publications')).json()).toMatchObject({
      publications: [{ publicationId: PUBLICATION, editions: 2, latest: { edition: 2 } }],
    });
    const erratum = list.editions[1]?.artifacts.find((a) => a.name === 'erratum.pdf');
    expect((await getAs(stack, stack.tokens.reader, erratum?.links.download ?? '')).status).toBe(200);
  });

  it('an admin withdraws a released edition with a public reason: its files answer 410 to readers, the list shows it withdrawn', async () => {
    const path = `/api/publications/${PUBLICATION}/editions/2/withdrawal`;
    expect((await sendJson(stack, stack.tokens.editor, 'POST', path, { reason: 'x' })).status).toBe(403);
    expect((await sendJson(stack, stack.tokens.admin, 'POST', path, { reason: '' })).status).toBe(400);
    const res = await sendJson(stack, stack.tokens.admin, 'POST', path, { reason: 'Fout in tabel 3 van het erratum.' });
    expect(res.status).toBe(201);
    const list = (await (await getAs(stack, stack.tokens.reader, `/api/publications/${PUBLICATION}/editions`)).json()) as {
      editions: EditionBody[];
    };
    expect(list.editions.map((e) => [e.edition, e.state, e.current])).toEqual([
      [1, 'released', true],
      [2, 'withdrawn', false],
    ]);
    for (const a of list.editions[1]?.artifacts ?? []) {
      const file = await getAs(stack, stack.tokens.reader, a.links.download);
      expect(file.status).toBe(410);
      expect(((await file.json()) as { detail: string }).detail).toContain('Fout in tabel 3 van het erratum.');
      // The files stay for the record.
      expect((await getAs(stack, stack.tokens.editor, a.links.download)).status).toBe(200);
    }
    expect((await sendJson(stack, stack.tokens.admin, 'POST', path, { reason: 'nogmaals' })).status).toBe(409);
  });

  it('the audit log holds every step with who and when; admins read it through the API, others may not', async () => {
    expect((await getAs(stack, stack.tokens.editor, '/api/audit')).status).toBe(403);
    const res = await getAs(stack, stack.tokens.admin, '/api/audit?limit=1000');
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as {
      entries: { action: string; actor: { name: string } | null; at: string; object: Record<string, unknown> }[];
    };
    const steps = (action: string) => entries.filter((e) => e.action === action);
    expect(steps('draft.created').length).toBe(3);
    expect(steps('findings.accepted').map((e) => e.actor?.name)).toEqual(['test admin']);
    expect(steps('draft.approved').map((e) => [e.object.edition, e.actor?.name])).toEqual([
      [2, 'test editor'],
      [1, 'Bea Tweede'],
    ]);
    expect(steps('draft.rejected').map((e) => e.object.comment)).toEqual(['Dubbel ingediend.']);
    expect(
      steps('edition.released')
        .map((e) => e.object.edition)
        .sort(),
    ).toEqual([1, 2]);
    expect(steps('edition.withdrawn').map((e) => e.object.reason)).toEqual(['Fout in tabel 3 van het erratum.']);
    expect(steps('artifact.downloaded').length).toBeGreaterThan(0);
    const { text } = await readAudit(stack.api.access.audit);
    for (const token of Object.values(stack.tokens)) expect(text).not.toContain(token);
  });
});
