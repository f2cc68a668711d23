import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../../src/api/index.js';
import { correctedJson, ERRATUM, type JobBody, originalJson, variantJson } from '../integration/helpers.js';
import { type Job, publishEdition, readAudit, type SecureStack, startSecureStack, type Who } from './helpers.js';

const PUBLICATION = 'beleidsinformatie-veilig-thuis-2019-hj1';

/** The status of an answer, its body read to the end. */
async function statusOf(answer: Promise<Response>): Promise<number> {
  const res = await answer;
  await res.arrayBuffer();
  return res.status;
}

interface EditionsBody {
  editions: { edition: number; jobId: string; releaseAt: string | null; artifacts: { links: { download: string } }[] }[];
}

describe('embargo: before its release moment only editors see an approved edition, by any route', () => {
  let stack: SecureStack;
  let first: Job;
  let corrected: Job;
  let scheduled: Job;

  beforeAll(async () => {
    // A month before the example's publication date (30 January 2020).
    stack = await startSecureStack({ label: 'embargo', clock: '2020-01-01T00:00:00Z' });
    first = await publishEdition(stack, { dataset: originalJson() });
    expect(first.state).toBe('completed');
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** Every way a reader could reach an edition or its files, by the links editors get and by guessing URLs. */
  function waysTo(job: JobBody): string[] {
    const ways = [
      job.links.self,
      `/api/jobs/${job.id}`,
      `/api/jobs/${job.id}/`,
      `/API/jobs/${job.id}`,
      ...job.artifacts.map((a) => a.links.download),
      ...job.artifacts.map((a) => `/api/jobs/${job.id}/artifacts/${encodeURIComponent(a.name).replace('.', '%2E')}`),
    ];
    return [...new Set(ways)];
  }

  /** What a reader gets from every GET route of the access table, with the job's ids put in. */
  async function everyReadableRoute(who: Who, job: JobBody): Promise<{ url: string; status: number; text: string }[]> {
    const out = [];
    for (const row of ROUTE_ACCESS.filter((r) => r.method === 'GET')) {
      const names = row.path.includes('/artifacts/') ? job.artifacts.map((a) => a.name) : ['publicatie.pdf'];
      for (const name of names) {
        const url = row.path
          .replace(':id/artifacts', `${job.id}/artifacts`)
          .replace('/api/jobs/:id', `/api/jobs/${job.id}`)
          .replace('/api/publications/:id', `/api/publications/${PUBLICATION}`)
          .replace(':name', name);
        const res = await stack.request(who, url);
        out.push({ url, status: res.status, text: Buffer.from(await res.arrayBuffer()).toString('latin1') });
      }
    }
    return out;
  }

  it('gives each edition a release moment: the dataset’s publication date at 09:30 Dutch time by default', () => {
    expect(first.releaseAt).toBe('2020-01-30T08:30:00.000Z');
  });

  it('before the release moment, a reader gets 404 by every way to the job and its files; an editor gets them', async () => {
    for (const url of waysTo(first)) {
      const asReader = await stack.request('reader', url);
      const text = await asReader.text();
      expect(asReader.status, url).toBe(404);
      expect(text).not.toContain(first.artifacts[0]!.sha256);
      expect(await statusOf(stack.request('editor', url)), url).toBe(200);
    }
    // Knowing the file's ETag does not help: no 304 either.
    const pdf = first.artifacts.find((a) => a.name === 'publicatie.pdf')!;
    const revalidate = await stack.request('reader', pdf.links.download, { headers: { 'if-none-match': `"${pdf.sha256}"` } });
    expect(revalidate.status).toBe(404);
    expect((await stack.request('reader', pdf.links.download, { method: 'HEAD' })).status).toBe(404);
    // The answer is the same as for a job that does not exist.
    const unknown = await stack.request('reader', `/api/jobs/r-${'0'.repeat(64)}`);
    const hidden = await stack.request('reader', `/api/jobs/${first.id}`);
    expect(((await hidden.json()) as { title: string }).title).toBe(((await unknown.json()) as { title: string }).title);
  });

  it('before the release moment, the edition is in no list a reader gets, and no readable route names it', async () => {
    expect((await stack.request('reader', `/api/publications/${PUBLICATION}/editions`)).status).toBe(404);
    const list = (await (await stack.request('reader', '/api/publications')).json()) as { publications: { publicationId: string }[] };
    expect(list.publications.map((p) => p.publicationId)).not.toContain(PUBLICATION);
    for (const answer of await everyReadableRoute('reader', first)) {
      // A 404 may repeat the id the reader sent; nothing else may name the edition.
      if (answer.status < 300) expect(answer.text, answer.url).not.toContain(first.id);
      expect(answer.text, answer.url).not.toContain(first.artifacts[0]!.sha256);
      // 404 where a reader may look; 403 on the editors' routes of drafts.
      if (answer.url.includes(first.id) || answer.url.includes(PUBLICATION)) expect([403, 404], answer.url).toContain(answer.status);
    }
    const editorList = (await (await stack.request('editor', `/api/publications/${PUBLICATION}/editions`)).json()) as EditionsBody;
    expect(editorList.editions.map((e) => e.jobId)).toEqual([first.id]);
  });

  it('one second before the moment it stays hidden; at the moment readers get the edition by every way', async () => {
    stack.clock.set('2020-01-30T08:29:59.999Z');
    expect((await stack.request('reader', `/api/jobs/${first.id}`)).status).toBe(404);
    stack.clock.set('2020-01-30T08:30:00.000Z');
    for (const url of waysTo(first)) expect(await statusOf(stack.request('reader', url)), url).toBe(200);
    const editions = (await (await stack.request('reader', `/api/publications/${PUBLICATION}/editions`)).json()) as EditionsBody;
    expect(editions.editions.map((e) => e.jobId)).toEqual([first.id]);
    const list = (await (await stack.request('reader', '/api/publications')).json()) as { publications: { publicationId: string }[] };
    expect(list.publications.map((p) => p.publicationId)).toContain(PUBLICATION);
  });

  it('a corrected edition prepared while the first is public stays hidden from readers until the erratum date, 09:30', async () => {
    stack.clock.set('2020-04-01T12:00:00Z');
    corrected = await publishEdition(stack, { dataset: correctedJson(), erratum: ERRATUM });
    expect(corrected.state).toBe('completed');
    expect(corrected.releaseAt).toBe('2020-04-28T07:30:00.000Z'); // 09:30 summer time
    expect(corrected.artifacts.map((a) => a.name)).toContain('erratum.pdf');

    for (const url of waysTo(corrected)) expect(await statusOf(stack.request('reader', url)), url).toBe(404);
    const asReader = (await (await stack.request('reader', `/api/publications/${PUBLICATION}/editions`)).json()) as EditionsBody;
    expect(asReader.editions.map((e) => e.jobId)).toEqual([first.id]);
    const asEditor = (await (await stack.request('editor', `/api/publications/${PUBLICATION}/editions`)).json()) as EditionsBody;
    expect(asEditor.editions.map((e) => e.jobId)).toEqual([first.id, corrected.id]);
    for (const answer of await everyReadableRoute('reader', corrected)) {
      if (answer.status < 300) expect(answer.text, answer.url).not.toContain(corrected.id);
      if (answer.url.includes(corrected.id)) expect([403, 404], answer.url).toContain(answer.status);
    }

    stack.clock.set('2020-04-28T07:30:00Z');
    for (const url of waysTo(corrected)) expect(await statusOf(stack.request('reader', url)), url).toBe(200);
    const released = (await (await stack.request('reader', `/api/publications/${PUBLICATION}/editions`)).json()) as EditionsBody;
    expect(released.editions.map((e) => e.jobId)).toEqual([first.id, corrected.id]);
  });

  it('a release moment given with the request wins, is stored in the edition record and holds for readers', async () => {
    scheduled = await publishEdition(stack, { dataset: variantJson('embargo-gepland'), releaseAt: '2030-03-05T09:30:00+01:00' });
    expect(scheduled.releaseAt).toBe('2030-03-05T08:30:00.000Z');
    const manifest = await stack.api.storage.getManifest(scheduled.id);
    expect(manifest?.releaseAt).toBe('2030-03-05T08:30:00.000Z');
    for (const url of waysTo(scheduled)) expect(await statusOf(stack.request('reader', url)), url).toBe(404);
    expect((await stack.request('reader', '/api/publications/embargo-gepland/editions')).status).toBe(404);
    const bad = await stack.request('editor', '/api/drafts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: variantJson('embargo-fout'), releaseAt: 'morgen' }),
    });
    expect(bad.status).toBe(400);
  });

  it('the audit log holds the editor’s uploads, renders and downloads and the reader’s refusals, with who, when and where, and never a token', async () => {
    const { text, lines } = await readAudit(stack.api.access.audit, (l) => l.some((e) => e.reason === 'embargo'));
    for (const token of Object.values(stack.tokens)) expect(text).not.toContain(token);
    expect(text).not.toContain('rs_');
    const editorId = stack.tokenIds.editor;
    const byEditor = lines.filter((l) => l.actor?.id === editorId);
    expect(byEditor.find((l) => l.action === 'draft.created')?.object).toMatchObject({ publicationId: PUBLICATION });
    expect(lines.find((l) => l.action === 'draft.approved' && l.object.jobId === first.id)).toMatchObject({
      actor: { name: 'test reviewer', role: 'editor' },
      object: { edition: 1, releaseAt: '2020-01-30T08:30:00.000Z' },
    });
    const download = byEditor.find((l) => l.action === 'artifact.downloaded' && l.object.id === first.id);
    expect(download).toMatchObject({ actor: { name: 'test editor', role: 'editor' }, object: { name: 'publicatie.pdf' } });
    expect(download?.ip).toMatch(/127\.0\.0\.1/);
    expect(Number.isNaN(Date.parse(download?.at ?? ''))).toBe(false);
    const refused = lines.filter((l) => l.action === 'access.denied' && l.actor?.id === stack.tokenIds.reader && l.reason === 'embargo');
    expect(refused.map((l) => l.object.path)).toContain(`/api/jobs/${first.id}`);
    // Readers' downloads after the release are recorded too.
    expect(lines.some((l) => l.action === 'artifact.downloaded' && l.actor?.role === 'reader' && l.object.id === corrected.id)).toBe(true);
  });
});
