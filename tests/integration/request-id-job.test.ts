import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsStorage, type RenderWorker, startRenderWorker } from '../../src/jobs/index.js';
import { type JobBody, REDIS_URL, type ServiceStack, startStack, uniqueQueueName, variantJson, waitForJob } from './helpers.js';

// Issue 15: the request id of the request that queued a render is in the worker's log lines of
// that job, so an operator finds the render of an editor's request by the id in its answer.

describe('request id passed to the job', () => {
  const queueName = uniqueQueueName('request-id');
  let stack: ServiceStack | undefined;
  let worker: RenderWorker | undefined;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    stack = await startStack({ queueName });
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    worker = startRenderWorker({
      redisUrl: REDIS_URL,
      queueName,
      storage: createFsStorage(stack.storageDir),
      logger,
      concurrency: 1,
      renderTimeoutMs: 60_000,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await stack?.close();
  });

  it("is in every worker log line of the job queued by the request, as the answer's X-Request-Id", async () => {
    const sent = 'proxy-req-7f3a9c21';
    const res = await fetch(`${stack?.api.baseUrl}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': sent },
      body: JSON.stringify({ dataset: variantJson('verzoek-id') }),
    });
    expect(res.headers.get('x-request-id')).toBe(sent);
    const { id } = (await res.json()) as JobBody;
    expect((await waitForJob(stack?.api.baseUrl ?? '', id, 90_000)).state).toBe('completed');
    // The worker logs the completion after it returns the result: wait for that line.
    while (!lines.some((l) => l.jobId === id && l.msg === 'render completed')) await new Promise((r) => setTimeout(r, 50));

    const ofJob = lines.filter((l) => l.jobId === id);
    expect(ofJob.map((l) => l.msg)).toEqual(['render started', 'render completed']);
    for (const line of ofJob) expect(line.requestId).toBe(sent);
  }, 120_000);
});
