import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedEdition } from '../../src/render/types.js';
import {
  type ApiStack,
  correctedJson,
  download,
  ERRATUM,
  type JobBody,
  openQueue,
  originalJson,
  post,
  renderDirectly,
  type ServiceStack,
  startStack,
  uniqueQueueName,
  waitForJob,
} from './helpers.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('render service: trigger, follow, download', () => {
  const queueName = uniqueQueueName('render');
  let stack: ServiceStack | undefined;
  let api: ApiStack;
  let first: JobBody;
  let direct: RenderedEdition;

  beforeAll(async () => {
    stack = await startStack({ queueName, worker: true });
    api = stack.api;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('when the 2019 example is posted twice, one job renders it and its files equal a direct render', async () => {
    const res = await post(api.baseUrl, { dataset: originalJson() });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as JobBody;
    expect(queued.id).toMatch(/^r-[0-9a-f]{64}$/);
    expect(res.headers.get('location')).toBe(`/api/jobs/${queued.id}`);
    expect(queued.links.self).toBe(`/api/jobs/${queued.id}`);
    expect(['queued', 'active']).toContain(queued.state);
    expect(queued.edition).toBe(1);

    const again = await post(api.baseUrl, { dataset: originalJson() });
    expect(again.status).toBe(200);
    expect(((await again.json()) as JobBody).id).toBe(queued.id);

    [first, direct] = await Promise.all([waitForJob(api.baseUrl, queued.id), renderDirectly({ dataset: originalJson() })]);
    expect(first.state).toBe('completed');
    expect(first.error).toBeNull();
    expect(first.progress).toEqual({ step: 'store' });
    expect(first.artifacts.map((a) => a.name)).toEqual(direct.artifacts.map((a) => a.name));
    expect(first.artifacts.map((a) => a.name)).toContain('publicatie.pdf');

    for (const expected of direct.artifacts) {
      const listed = first.artifacts.find((a) => a.name === expected.name)!;
      expect(listed).toMatchObject({ contentType: expected.contentType, size: expected.bytes.length, sha256: sha256(expected.bytes) });
      const { res: file, bytes } = await download(api.baseUrl, listed.links.download);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe(expected.contentType);
      expect(file.headers.get('etag')).toBe(`"${listed.sha256}"`);
      expect(file.headers.get('content-disposition')).toBe(
        `attachment; filename="beleidsinformatie-veilig-thuis-2019-hj1-editie-1-${expected.name}"`,
      );
      expect(bytes.equals(expected.bytes)).toBe(true);
    }

    const inspect = openQueue(queueName);
    try {
      const counts = await inspect.queue.getJobCounts();
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await inspect.close();
    }
  });

  it('when the client already has the file, the download answers 304 Not Modified', async () => {
    const pdf = first.artifacts.find((a) => a.name === 'publicatie.pdf')!;
    const res = await fetch(`${api.baseUrl}${pdf.links.download}`, { headers: { 'if-none-match': `"${pdf.sha256}"` } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(`"${pdf.sha256}"`);
    const other = await fetch(`${api.baseUrl}${pdf.links.download}`, { headers: { 'if-none-match': '"something-else"' } });
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it('when only the corrected dataset and the erratum are posted, the service finds the previous edition itself', async () => {
    const res = await post(api.baseUrl, { dataset: correctedJson(), erratum: ERRATUM });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as JobBody;
    expect(queued.edition).toBe(2);
    expect(queued.id).not.toBe(first.id);

    const [job, expected] = await Promise.all([
      waitForJob(api.baseUrl, queued.id),
      renderDirectly({ dataset: correctedJson(), previous: originalJson(), erratum: ERRATUM }),
    ]);
    expect(job.state).toBe('completed');
    expect(job.edition).toBe(2);
    expect(job.correctedOn).toBe('2020-04-28');
    expect(job.artifacts.map((a) => a.name)).toEqual(expected.artifacts.map((a) => a.name));
    for (const artifact of expected.artifacts) {
      const listed = job.artifacts.find((a) => a.name === artifact.name)!;
      const { bytes } = await download(api.baseUrl, listed.links.download);
      expect(bytes.equals(artifact.bytes), artifact.name).toBe(true);
    }

    // The same correction again is the same job, although edition 2 is now the latest edition.
    const again = await post(api.baseUrl, { dataset: correctedJson(), erratum: ERRATUM });
    expect(again.status).toBe(200);
    expect(((await again.json()) as JobBody).id).toBe(queued.id);

    // A render through /api/jobs makes no edition: editions come only from approved drafts (tests/record).
    const editions = await fetch(`${api.baseUrl}${job.links.editions}`);
    expect(editions.status).toBe(404);
    await editions.body?.cancel();
  });

  it('serves an OpenAPI 3.1 document describing every route and the problem schema', async () => {
    const res = await fetch(`${api.baseUrl}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/jobs',
        '/api/jobs/{id}',
        '/api/jobs/{id}/artifacts/{name}',
        '/api/datasets/validate',
        '/api/datasets/import',
        '/api/datasets/new-period',
        '/api/publications',
        '/api/publications/{id}/editions',
        '/api/publications/{id}/editions/{edition}/withdrawal',
        '/api/drafts',
        '/api/drafts/{id}',
        '/api/drafts/{id}/artifacts/{name}',
        '/api/drafts/{id}/reviews',
        '/api/audit',
        '/api/openapi.json',
        '/api/session',
        '/api/tokens',
        '/api/tokens/{id}',
        '/healthz',
        '/readyz',
        '/',
        '/redactie',
        '/static/{name}',
        '/metrics',
      ].sort(),
    );
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it('reports health, and readiness while a worker consumes the queue', async () => {
    expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', redis: 'up' });
  });
});
