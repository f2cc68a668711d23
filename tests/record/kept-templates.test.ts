import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEdition } from '../../src/render/render-edition.js';
import type { RenderedEdition, RenderRequest, TemplateFiles } from '../../src/render/types.js';
import { loadResources, loadTemplates } from '../../src/resources.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { EXAMPLES, loadExample } from '../helpers/examples.js';
import { makeStorageDir, removeDir } from '../integration/helpers.js';
import { type SecureStack, startSecureStack } from '../security/helpers.js';
import { type DraftBody, getAs, makeDraft, review, sendJson, waitForDraft, waitForEditions } from './helpers.js';

// Issue 16 point 3 and 7: a correction of 2019-HJ1 made after the templates changed renders with
// the templates kept with the edition it corrects (the same bytes as before the change), unless the
// editor asks for the current ones.

const PUBLICATION = 'beleidsinformatie-veilig-thuis-2019-hj1';
const asPublished = JSON.parse(readFileSync(EXAMPLES.asPublished, 'utf8')) as unknown;
const corrected = JSON.parse(readFileSync(EXAMPLES.corrected, 'utf8')) as unknown;
const erratum = {
  date: '2020-04-28',
  text: readFileSync(EXAMPLES.corrected.replace('dataset-gecorrigeerd.json', 'erratum.md'), 'utf8'),
};
const CHANGED_FILE = 'beleidsinformatie/01-werkwijze.hbs';
const NEW_SENTENCE = 'Deze zin is na de eerste editie aan het sjabloon toegevoegd.';

/** The project's templates with one chapter changed, as after an edit for a later period. */
function changedTemplates(): TemplateFiles {
  const current = loadTemplates();
  expect(current[CHANGED_FILE]).toBeDefined();
  return Object.freeze({ ...current, [CHANGED_FILE]: `${current[CHANGED_FILE]}\n${NEW_SENTENCE}\n` });
}

/** The correction rendered in this process with `templates`, as the service renders it (draft or final edition 2). */
function renderCorrection(templates: TemplateFiles, extra: Pick<RenderRequest, 'draft' | 'edition'>): Promise<RenderedEdition> {
  return renderEdition(
    {
      dataset: loadExample(EXAMPLES.corrected),
      previous: loadExample(EXAMPLES.asPublished),
      previousEdition: 1,
      erratum,
      ...extra,
    },
    { ...loadResources(), templates },
    {},
  );
}

async function download(stack: SecureStack, token: string, link: string | undefined): Promise<Buffer> {
  const res = await getAs(stack, token, link ?? '(no link)');
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** The files of a rendered draft, by name. */
async function draftFiles(stack: SecureStack, draft: DraftBody): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const a of draft.artifacts ?? []) files.set(a.name, await download(stack, stack.tokens.editor, a.links.view));
  return files;
}

function expectSameFiles(actual: Map<string, Buffer>, expected: RenderedEdition): void {
  expect([...actual.keys()].sort()).toEqual(expected.artifacts.map((a) => a.name).sort());
  for (const a of expected.artifacts) expect(actual.get(a.name)?.equals(a.bytes), a.name).toBe(true);
}

describe('templates kept per edition: a correction renders with the templates of the edition it corrects', () => {
  let database: TestDatabase;
  let storageDir: string;
  let before: SecureStack | undefined;
  let after: SecureStack | undefined;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    storageDir = await makeStorageDir();
  });
  afterAll(async () => {
    await before?.close();
    await after?.close();
    await database?.drop();
    if (storageDir) await removeDir(storageDir);
  });

  it('edition 1 is approved with the templates of that day; after a template change its correction prints as before', async () => {
    // Edition 1, made and approved with the project's templates.
    before = await startSecureStack({ label: 'kept-templates-1', clock: '2026-11-30T10:00:00Z', db: database.db, storageDir });
    const d1 = await makeDraft(before, before.tokens.editor, { dataset: asPublished });
    expect(d1.templates).toMatchObject({ source: 'current', edition: null, label: 'huidige' });
    await waitForDraft(before, before.tokens.editor, d1.id);
    expect((await review(before, before.reviewerToken, d1.id, 'approve')).status).toBe(201);
    expect((await waitForEditions(before, before.tokens.editor, PUBLICATION)).map((e) => e.edition)).toEqual([1]);
    await before.close();
    before = undefined;

    // The templates change (an edit for a later period); the service restarts with them.
    const changed = changedTemplates();
    after = await startSecureStack({
      label: 'kept-templates-2',
      clock: '2026-11-30T11:00:00Z',
      db: database.db,
      storageDir,
      templates: changed,
    });
    const stack = after;

    // The correction, by default, renders with the templates kept with edition 1: the same bytes as
    // rendering it with the templates before the change.
    const kept = await makeDraft(stack, stack.tokens.editor, { dataset: corrected, erratum });
    expect(kept.correctsEdition).toBe(1);
    expect(kept.templates).toMatchObject({ source: 'kept', edition: 1, label: 'bewaard bij editie 1' });
    const keptFiles = await draftFiles(stack, await waitForDraft(stack, stack.tokens.editor, kept.id));
    const original = loadTemplates();
    expectSameFiles(keptFiles, await renderCorrection(original, { draft: true }));

    // Asked for the current templates, it prints the changed chapter: other bytes.
    const current = await makeDraft(stack, stack.tokens.editor, { dataset: corrected, erratum, templates: 'current' });
    expect(current.templates).toMatchObject({ source: 'current', edition: null });
    expect(current.templates?.hash).not.toBe(kept.templates?.hash);
    const currentFiles = await draftFiles(stack, await waitForDraft(stack, stack.tokens.editor, current.id));
    expect(currentFiles.get('publicatie.pdf')?.equals(keptFiles.get('publicatie.pdf') as Buffer)).toBe(false);
    expectSameFiles(currentFiles, await renderCorrection(changed, { draft: true }));

    // Approved, the correction's final files use the kept templates too: as edition 2 rendered before the change.
    expect((await review(stack, stack.reviewerToken, kept.id, 'approve')).status).toBe(201);
    const editions = await waitForEditions(stack, stack.tokens.editor, PUBLICATION);
    const edition2 = editions.find((e) => e.edition === 2);
    const finalFiles = new Map<string, Buffer>();
    for (const a of edition2?.artifacts ?? []) finalFiles.set(a.name, await download(stack, stack.tokens.editor, a.links.download));
    expectSameFiles(finalFiles, await renderCorrection(original, { edition: 2 }));

    // Another choice than "kept" or "current" is refused, naming the field.
    const res = await sendJson(stack, stack.tokens.editor, 'POST', '/api/drafts', { dataset: corrected, erratum, templates: 'oud' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('templates must be "kept" or "current"');
  });
});
