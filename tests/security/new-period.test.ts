import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDatasetJson } from '../../src/model/dataset-json.js';
import { newPeriodSkeleton } from '../../src/model/new-period.js';
import { templateSectionNames } from '../../src/render/period-sections.js';
import { loadTemplates } from '../../src/resources.js';
import { originalJson } from '../integration/helpers.js';
import { type SecureStack, startSecureStack } from './helpers.js';

// Issue 16 point 4 on the editors' page: POST /api/datasets/new-period makes what `npm run new-period` writes.

interface Skeleton {
  publicationId: string;
  fileName: string;
  dataset: string;
  textsFileName: string;
  texts: string;
  todo: string[];
}

const post = (stack: SecureStack, who: 'reader' | 'editor' | 'none', body: unknown) =>
  stack.request(who, '/api/datasets/new-period', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('a new period from the last one, through the API', () => {
  let stack: SecureStack;
  beforeAll(async () => {
    stack = await startSecureStack({ label: 'new-period', worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('gives an editor the skeleton and texts file the CLI writes, and stores nothing', async () => {
    // The 1e halfjaar's period texts are in its dataset (publication.texts).
    const res = await post(stack, 'editor', { dataset: originalJson(), period: '2019HJ02' });
    const body = (await res.json()) as Skeleton;
    expect(res.status, JSON.stringify(body)).toBe(200);
    const templates = loadTemplates();
    const cli = newPeriodSkeleton(originalJson(), {
      period: '2019HJ02',
      sections: templateSectionNames(templates, 'beleidsinformatie'),
    });
    expect(body.dataset).toBe(formatDatasetJson(cli.dataset));
    expect(body.texts).toBe(cli.texts);
    expect(body.publicationId).toBe('beleidsinformatie-veilig-thuis-2019-hj2');
    expect(body.fileName).toBe('beleidsinformatie-veilig-thuis-2019-hj2.json');
    const dataset = JSON.parse(body.dataset) as { publication: { period: { key: string; title: string }; unconfirmed: string[] } };
    expect(dataset.publication.period).toEqual({ key: '2019HJ02', title: '2e halfjaar van 2019' });
    expect(dataset.publication.unconfirmed).toContain('status');
    expect(body.texts).toContain('overgenomen uit 2019HJ01: nakijken');
    expect(body.todo.length).toBeGreaterThan(0);
  });

  it('refuses a reader and a caller without token; names the field of a wrong period code', async () => {
    expect((await post(stack, 'none', { dataset: originalJson(), period: '2019HJ02' })).status).toBe(401);
    expect((await post(stack, 'reader', { dataset: originalJson(), period: '2019HJ02' })).status).toBe(403);
    const bad = await post(stack, 'editor', { dataset: originalJson(), period: '2019 HJ2' });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { code: string; errors?: { path: string; message: string }[]; detail: string };
    expect(problem.detail).toContain('period "2019 HJ2" is not a period code');
    expect(problem.detail).not.toContain('--');
    const same = await post(stack, 'editor', { dataset: originalJson(), period: '2019HJ01' });
    expect(same.status).toBe(400);
    const missing = await post(stack, 'editor', { period: '2019HJ02' });
    expect(missing.status).toBe(400);
  });
});
