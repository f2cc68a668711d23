import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { createFsStorage, type RenderWorker, startRenderWorker } from '../../src/jobs/index.js';
import { STORAGE_RETRY } from '../../src/jobs/render-job.js';
import {
  type JobBody,
  logger,
  openQueue,
  originalJson,
  post,
  REDIS_URL,
  type ServiceStack,
  startStack,
  uniqueQueueName,
} from './helpers.js';

describe('a worker whose storage cannot be written', () => {
  let stack: ServiceStack;
  let worker: RenderWorker;

  beforeAll(async () => {
    stack = await startStack({ queueName: uniqueQueueName('storage-retry'), attempts: 3 });
  });
  afterAll(async () => {
    await worker?.close();
    await stack?.close();
  });

  it('puts the job back to wait 5 s before its next attempt, with the attempts of storage faults', async () => {
    const res = await post(stack.api.baseUrl, { dataset: originalJson() });
    const { id } = (await res.json()) as JobBody;
    expect(res.status).toBe(202);
    const real = createFsStorage(stack.storageDir);
    worker = startRenderWorker({
      redisUrl: REDIS_URL,
      queueName: stack.queueName,
      storage: {
        ...real,
        async putArtifact() {
          throw new AppError('STORAGE_FAILED', 'storage: the storage directory is not writable (EROFS)');
        },
      },
      logger,
      concurrency: 1,
      renderTimeoutMs: 60_000,
    });
    const inspect = openQueue(stack.queueName);
    try {
      // Wait for the first attempt to fail (a render, then the refused store).
      for (const deadline = Date.now() + 110_000; Date.now() < deadline; ) {
        if (['delayed', 'failed', 'completed'].includes(await inspect.queue.getJobState(id))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await inspect.queue.getJobState(id)).toBe('delayed');
      const job = await inspect.queue.getJob(id);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toMatch(/^STORAGE_FAILED: /);
      expect(job?.delay).toBe(STORAGE_RETRY.firstDelayMs);
    } finally {
      await inspect.close();
    }
    const status = (await (await fetch(`${stack.api.baseUrl}/api/jobs/${id}`)).json()) as JobBody;
    expect(status.state).toBe('queued');
    expect(status.error?.code).toBe('STORAGE_FAILED');
    expect(status.attempts).toEqual({ made: 1, max: STORAGE_RETRY.attempts });
  }, 120_000);
});
