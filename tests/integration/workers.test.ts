import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { createFsStorage, type RenderWorker, type Storage, startRenderWorker } from '../../src/jobs/index.js';
import { createRenderSandbox } from '../../src/jobs/render-sandbox.js';
import { runRenderJob } from '../../src/jobs/run-render-job.js';
import { toJobId, type RenderJobData } from '../../src/jobs/render-job.js';
import { toRendererIdentity } from '../../src/jobs/renderer-identity.js';
import { loadTemplates } from '../../src/resources.js';
import {
  type ApiStack,
  correctedJson,
  ERRATUM,
  type JobBody,
  logger,
  makeStorageDir,
  openQueue,
  originalJson,
  post,
  REDIS_URL,
  removeDir,
  type ServiceStack,
  startStack,
  startWorker,
  uniqueQueueName,
  variantJson,
  waitForJob,
} from './helpers.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Checks a job folder: exactly the manifest and its artifacts, no temporary files, each file whole. */
async function expectIntactJobDir(storageDir: string, jobId: string): Promise<void> {
  const dir = path.join(storageDir, 'jobs', jobId);
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as {
    artifacts: { name: string; size: number; sha256: string }[];
  };
  expect((await readdir(dir)).sort()).toEqual(['manifest.json', ...manifest.artifacts.map((a) => a.name)].sort());
  for (const artifact of manifest.artifacts) {
    const bytes = await readFile(path.join(dir, artifact.name));
    expect(bytes.length).toBe(artifact.size);
    expect(sha256(bytes)).toBe(artifact.sha256);
  }
}

describe('render workers: several at once, at-least-once, time limit', () => {
  const queueName = uniqueQueueName('workers');
  let stack: ServiceStack | undefined;
  let storageDir: string;
  let api: ApiStack;
  const workers: RenderWorker[] = [];

  beforeAll(async () => {
    stack = await startStack({ queueName });
    ({ storageDir, api } = stack);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await stack?.close();
  });

  it('when two workers take jobs at once, each job runs once and every file is whole and written once', async () => {
    workers.push(
      startWorker({ queueName, storageDir, concurrency: 1, name: 'werker-a' }),
      startWorker({ queueName, storageDir, concurrency: 1, name: 'werker-b' }),
    );
    await Promise.all(workers.map((w) => w.worker.waitUntilReady()));
    const requests = [
      { dataset: originalJson() },
      { dataset: variantJson('twee-werkers-a') },
      { dataset: correctedJson(), previous: originalJson(), erratum: ERRATUM },
    ];
    // Every request twice, all at once.
    const answers = await Promise.all([...requests, ...requests].map((r) => post(api.baseUrl, r)));
    const ids = await Promise.all(answers.map(async (res) => ((await res.json()) as JobBody).id));
    expect(answers.every((res) => res.status === 200 || res.status === 202)).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(ids.slice(0, 3)).toEqual(ids.slice(3));

    const jobs = await Promise.all(ids.slice(0, 3).map((id) => waitForJob(api.baseUrl, id, 90_000)));
    expect(jobs.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
    for (const job of jobs) await expectIntactJobDir(storageDir, job.id);

    const inspect = openQueue(queueName);
    try {
      const completed = await inspect.queue.getJobs(['completed']);
      expect(completed.length).toBe(3);
      expect(completed.every((j) => j.attemptsMade === 1)).toBe(true);
      // Both workers took part.
      expect(new Set(completed.map((j) => j.processedBy))).toEqual(new Set(['werker-a', 'werker-b']));
    } finally {
      await inspect.close();
    }
  });

  it('when the same job runs twice at the same time (at-least-once delivery), the files are written once and whole', async () => {
    const dir = await makeStorageDir();
    const storage = createFsStorage(dir);
    const sandboxes = [createRenderSandbox({ timeoutMs: 60_000 }), createRenderSandbox({ timeoutMs: 60_000 })];
    try {
      const bytes = Buffer.from(JSON.stringify(variantJson('dubbel-gedraaid')));
      const datasetHash = await storage.putDataset(bytes);
      const data: RenderJobData = {
        publicationId: 'dubbel-gedraaid',
        edition: 1,
        datasetHash,
        previous: null,
        erratum: null,
        ...toRendererIdentity(loadTemplates()),
      };
      const jobId = toJobId(data);
      const [a, b] = await Promise.all(sandboxes.map((sandbox) => runRenderJob(jobId, data, { storage, sandbox })));
      expect(a).toEqual(b);
      await expectIntactJobDir(dir, jobId);
      expect(await readdir(path.join(dir, 'publications', 'dubbel-gedraaid'))).toEqual([`${jobId}.json`]);
      // A third run finds the manifest and renders nothing.
      const started = Date.now();
      expect(await runRenderJob(jobId, data, { storage, sandbox: sandboxes[0]! })).toEqual(a);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await Promise.all(sandboxes.map((s) => s.close()));
      await removeDir(dir);
    }
  });

  it('when storage fails once (a transient fault), the job is retried with backoff and completes', async () => {
    const flakyQueue = uniqueQueueName('flaky');
    const flakyStack = await startStack({ queueName: flakyQueue, attempts: 3 });
    const { storageDir: dir, api: flakyApi } = flakyStack;
    const real = createFsStorage(dir);
    let failures = 0;
    const flaky: Storage = {
      ...real,
      async putArtifact(jobId, artifact) {
        if (failures === 0) {
          failures++;
          throw new AppError('STORAGE_FAILED', 'storage: storing artifact failed (EIO)');
        }
        return real.putArtifact(jobId, artifact);
      },
    };
    const flakyWorker = startRenderWorker({
      redisUrl: REDIS_URL,
      queueName: flakyQueue,
      storage: flaky,
      logger,
      concurrency: 1,
      renderTimeoutMs: 60_000,
    });
    try {
      const res = await post(flakyApi.baseUrl, { dataset: variantJson('eenmaal-mislukt') });
      const job = await waitForJob(flakyApi.baseUrl, ((await res.json()) as JobBody).id);
      expect(job.state).toBe('completed');
      expect(failures).toBe(1);
      const inspect = openQueue(flakyQueue);
      try {
        // The service answers "completed" as soon as the files are stored; BullMQ records the
        // finished attempt a moment later, so wait for its own state before counting attempts.
        const deadline = Date.now() + 10_000;
        while ((await inspect.queue.getJobState(job.id)) !== 'completed' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect((await inspect.queue.getJob(job.id))?.attemptsMade).toBe(2);
      } finally {
        await inspect.close();
      }
      await expectIntactJobDir(dir, job.id);
    } finally {
      await flakyWorker.close();
      await flakyStack.close();
    }
  });

  it('when a render takes longer than the time limit, its process is killed and the job fails at once as JOB_TIMEOUT', async () => {
    const slowStack = await startStack({ queueName: uniqueQueueName('timeout'), attempts: 3, worker: { renderTimeoutMs: 150 } });
    const slowApi = slowStack.api;
    try {
      const res = await post(slowApi.baseUrl, { dataset: variantJson('te-traag') });
      const job = await waitForJob(slowApi.baseUrl, ((await res.json()) as JobBody).id);
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('JOB_TIMEOUT');
      expect(job.error?.message).toContain('150 ms');
      expect(job.attempts).toEqual({ made: 1, max: 3 });
      expect(job.artifacts).toEqual([]);
    } finally {
      await slowStack.close();
    }
  });
});
