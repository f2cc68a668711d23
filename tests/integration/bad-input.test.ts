import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../src/api/index.js';
import { createFsStorage, createRenderService, toRendererIdentity } from '../../src/jobs/index.js';
import { loadTemplates } from '../../src/resources.js';
import { createRecordDeps } from '../../src/record/index.js';
import { openTestDatabase } from '../helpers/database.js';
import {
  type ApiStack,
  ERRATUM,
  type JobBody,
  logger,
  openQueue,
  originalJson,
  post,
  createTestAccess,
  type ServiceStack,
  startStack,
  uniqueQueueName,
  variantJson,
  waitForJob,
} from './helpers.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: { path: string; message: string }[];
}

const MAX_BODY = 2 * 1024 * 1024;

describe('render service: bad input answers with a problem and the queue keeps serving', () => {
  const queueName = uniqueQueueName('bad-input');
  let stack: ServiceStack | undefined;
  let storageDir: string;
  let api: ApiStack;
  let completed: JobBody;

  async function expectProblem(res: Response, status: number, code: string): Promise<ProblemBody> {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // Never a stack trace or a path of this machine.
    expect(text).not.toMatch(/\n\s+at |node_modules|\/src\//);
    expect(text).not.toContain(storageDir);
    const problem = JSON.parse(text) as ProblemBody;
    expect(problem).toMatchObject({ status, code, type: expect.stringMatching(/^urn:problem-type:/) });
    expect(problem.title).toBeTruthy();
    expect(problem.detail).toBeTruthy();
    expect(Array.isArray(problem.errors)).toBe(true);
    return problem;
  }

  async function jobCount(): Promise<number> {
    const inspect = openQueue(queueName);
    try {
      return Object.values(await inspect.queue.getJobCounts()).reduce((a, b) => a + b, 0);
    } finally {
      await inspect.close();
    }
  }

  beforeAll(async () => {
    stack = await startStack({ queueName, maxBodyBytes: MAX_BODY, attempts: 3, worker: true });
    ({ storageDir, api } = stack);
    const res = await post(api.baseUrl, { dataset: originalJson() });
    completed = await waitForJob(api.baseUrl, ((await res.json()) as JobBody).id);
    expect(completed.state).toBe('completed');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('when the body is not JSON, answers 400 naming where it broke', async () => {
    const res = await post(api.baseUrl, undefined, { raw: '{"dataset": {"formatVersion": 1\n  "publication": {}}}' });
    const problem = await expectProblem(res, 400, 'REQUEST_INVALID');
    expect(problem.detail).toMatch(/not valid JSON/);
    expect(problem.detail).toMatch(/line 2, column 3/);
    expect(problem.errors[0]?.path).toBe('(body)');
    const truncated = await expectProblem(await post(api.baseUrl, undefined, { raw: '{"dataset": ' }), 400, 'REQUEST_INVALID');
    expect(truncated.detail).toMatch(/not valid JSON/);
  });

  it('when the body is larger than MAX_BODY_BYTES, answers 413', async () => {
    const big = JSON.stringify({ dataset: { padding: 'x'.repeat(MAX_BODY + 10) } });
    const problem = await expectProblem(await post(api.baseUrl, undefined, { raw: big }), 413, 'PAYLOAD_TOO_LARGE');
    expect(problem.detail).toContain(String(MAX_BODY));
  });

  it('when the body is not application/json, answers 415', async () => {
    const res = await post(api.baseUrl, undefined, { raw: JSON.stringify({ dataset: originalJson() }), contentType: 'text/plain' });
    const problem = await expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(problem.detail).toContain('application/json');
  });

  it('when the request lacks the dataset or has unknown fields, answers 400 naming the field', async () => {
    const missing = await expectProblem(await post(api.baseUrl, { erratum: ERRATUM }), 400, 'REQUEST_INVALID');
    expect(missing.errors.map((e) => e.path)).toContain('dataset');
    const unknown = await expectProblem(await post(api.baseUrl, { dataset: originalJson(), datset: {} }), 400, 'REQUEST_INVALID');
    expect(unknown.errors.map((e) => e.path)).toEqual(['datset']);
    const array = await expectProblem(await post(api.baseUrl, [1, 2]), 400, 'REQUEST_INVALID');
    expect(array.detail).toMatch(/JSON object/);
  });

  it('when a cell of the dataset is text, answers 422 naming the table, row and cell, and makes no job', async () => {
    const before = await jobCount();
    const dataset = originalJson() as { tables: { rows: Record<string, unknown>[] }[] };
    dataset.tables[0]!.rows[3]!.GestarteAdviezen = '1.145';
    const problem = await expectProblem(await post(api.baseUrl, { dataset }), 422, 'DATASET_INVALID');
    const error = problem.errors.find((e) => e.path === 'dataset.tables[0].rows[3].GestarteAdviezen');
    expect(error, JSON.stringify(problem.errors)).toBeDefined();
    expect(error!.message).toContain('table "kerncijfers", row 4 (Regio=VT03, Perioden=2019HJ01), cell GestarteAdviezen');
    expect(problem.detail).toContain('GestarteAdviezen');
    expect(await jobCount()).toBe(before);
  });

  it('when the erratum date is malformed, answers 422 naming erratum.date', async () => {
    const res = await post(api.baseUrl, { dataset: originalJson(), erratum: { date: '28-04-2020', text: 'x' } });
    const problem = await expectProblem(res, 422, 'ERRATUM_INVALID');
    expect(problem.errors.map((e) => e.path)).toEqual(['erratum.date']);
  });

  it('when a correction is asked for a publication the service has never rendered, answers 422', async () => {
    const res = await post(api.baseUrl, { dataset: variantJson('nooit-gepubliceerd'), erratum: ERRATUM });
    const problem = await expectProblem(res, 422, 'PREVIOUS_EDITION_UNKNOWN');
    expect(problem.detail).toContain('"nooit-gepubliceerd"');
  });

  it('when the previous edition belongs to another publication, answers 422', async () => {
    const res = await post(api.baseUrl, { dataset: originalJson(), previous: variantJson('andere-publicatie'), erratum: ERRATUM });
    await expectProblem(res, 422, 'PREVIOUS_EDITION_MISMATCH');
  });

  it('when a job id is unknown or malformed, answers 404', async () => {
    const unknown = `r-${'0'.repeat(64)}`;
    const problem = await expectProblem(await fetch(`${api.baseUrl}/api/jobs/${unknown}`), 404, 'NOT_FOUND');
    expect(problem.detail).toContain(unknown);
    await expectProblem(await fetch(`${api.baseUrl}/api/jobs/12345`), 404, 'NOT_FOUND');
    await expectProblem(await fetch(`${api.baseUrl}/api/jobs/${unknown}/artifacts/publicatie.pdf`), 404, 'NOT_FOUND');
    await expectProblem(await fetch(`${api.baseUrl}/api/publications/onbekende-publicatie/editions`), 404, 'NOT_FOUND');
    await expectProblem(await fetch(`${api.baseUrl}/api/onbekend`), 404, 'NOT_FOUND');
  });

  it('when an artifact name is unknown, answers 404 listing the artifacts the job has', async () => {
    const problem = await expectProblem(await fetch(`${api.baseUrl}/api/jobs/${completed.id}/artifacts/bijlage.pdf`), 404, 'NOT_FOUND');
    expect(problem.detail).toContain('"publicatie.pdf"');
  });

  it('when a path tries to leave the storage, answers 404 and reads nothing', async () => {
    const job = `/api/jobs/${completed.id}`;
    const attempts = [
      '/api/jobs/..%2F..%2Fetc%2Fpasswd',
      '/api/jobs/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      `${job}/artifacts/..%2F..%2F..%2F..%2Fetc%2Fpasswd`,
      `${job}/artifacts/%2e%2e%2fmanifest.json`,
      `${job}/artifacts/manifest.json`,
      `${job}/artifacts/..%252F..%252Fetc%252Fpasswd`,
      `/api/jobs/..%2Fdatasets/artifacts/publicatie.pdf`,
      '/api/publications/..%2F..%2F..%2Fetc/editions',
      '/api/publications/%2e%2e/editions',
    ];
    for (const attempt of attempts) {
      const res = await fetch(`${api.baseUrl}${attempt}`);
      const problem = await expectProblem(res, 404, 'NOT_FOUND');
      expect(JSON.stringify(problem)).not.toContain('root:');
    }
    const malformed = await fetch(`${api.baseUrl}/api/jobs/%E0%A4%A`);
    expect([400, 404]).toContain(malformed.status);
    await malformed.body?.cancel();
  });

  it('when the template of a dataset does not exist, the submission is refused with the message and no job is made', async () => {
    const dataset = variantJson('sjabloon-ontbreekt') as { publication: Record<string, unknown> };
    dataset.publication.template = 'bestaat-niet';
    const before = await jobCount();
    const res = await post(api.baseUrl, { dataset });
    const problem = await expectProblem(res, 422, 'DATASET_INVALID');
    expect(problem.errors[0]?.path).toBe('publication.template');
    expect(problem.detail).toContain('"bestaat-niet"');
    expect(await jobCount()).toBe(before);
  });

  it('after all that, the queue still renders a valid request', async () => {
    const res = await post(api.baseUrl, { dataset: variantJson('na-de-fouten') });
    expect(res.status).toBe(202);
    const job = await waitForJob(api.baseUrl, ((await res.json()) as JobBody).id);
    expect(job.state).toBe('completed');
    expect(job.artifacts.length).toBeGreaterThan(0);
  });

  it('when Redis cannot be reached, answers 503 at once, while completed jobs stay readable from storage', async () => {
    // A second API on the same storage, pointed at a port where no Redis listens.
    const storage = createFsStorage(storageDir);
    const service = createRenderService({
      redisUrl: 'redis://127.0.0.1:1',
      queueName,
      storage,
      identity: toRendererIdentity(loadTemplates()),
      policy: { attempts: 3, retryDelayMs: 200 },
      logger,
      redisTimeoutMs: 500,
    });
    const own = await openTestDatabase('pglite');
    onTestFinished(() => own.drop());
    const access = createTestAccess(own.db);
    const identity = toRendererIdentity(loadTemplates());
    const record = createRecordDeps({ db: own.db, storage, audit: access.audit, identity, logger, service: () => service });
    const app = createApp({ service, record, logger, maxBodyBytes: MAX_BODY, access });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      const problem = await expectProblem(await post(base, { dataset: variantJson('redis-weg') }), 503, 'REDIS_UNAVAILABLE');
      expect(problem.detail).toMatch(/Redis/);
      expect(Date.now() - started).toBeLessThan(1_500);
      await expectProblem(await fetch(`${base}/api/jobs/r-${'1'.repeat(64)}`), 503, 'REDIS_UNAVAILABLE');
      await expectProblem(await fetch(`${base}/readyz`), 503, 'NOT_READY');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const fromStorage = await fetch(`${base}/api/jobs/${completed.id}`);
      expect(fromStorage.status).toBe(200);
      expect(((await fromStorage.json()) as JobBody).state).toBe('completed');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await service.close();
    }
  });
});
