import { execFileSync } from 'node:child_process';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createMetrics } from '../../src/api/index.js';
import { createJobCounter, type JobCounter } from '../../src/jobs/queue-counts.js';
import {
  correctedJson,
  ERRATUM,
  type JobBody,
  originalJson,
  REDIS_URL,
  type ServiceStack,
  startStack,
  uniqueQueueName,
  variantJson,
  waitForJob,
} from './helpers.js';

// Issue 15: render duration per step and render child restarts in /metrics. Renders happen in a
// worker (here one in the test's process, as `npm run worker` would be another); the API hears
// their step durations from BullMQ's completed events and reads the restarts the workers count in Redis.

/** The render children this process (the in-process worker) has started. */
function renderChildren(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('render-child'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

describe('render metrics', () => {
  const queueName = uniqueQueueName('render-metrics');
  let stack: ServiceStack | undefined;
  let counter: JobCounter | undefined;
  let server: ReturnType<ReturnType<typeof createApp>['listen']> | undefined;
  let baseUrl = '';

  beforeAll(async () => {
    stack = await startStack({ queueName, worker: true });
    counter = createJobCounter(REDIS_URL, queueName);
    const metrics = createMetrics({ processMetrics: false, jobCounts: counter.counts, childRestarts: counter.childRestarts });
    counter.onCompleted((result) => metrics.observeRenderSteps(result));
    const app = createApp({
      service: stack.api.service,
      record: stack.api.record,
      logger: pino({ level: 'silent' }),
      maxBodyBytes: 16 * 1024 * 1024,
      access: stack.api.access,
      metrics,
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server?.once('listening', r));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    server?.close();
    await counter?.close();
    await stack?.close();
  });

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${baseUrl}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };
  const value = (text: string, series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
  };
  /** Scrapes until `ok` holds for the text (events and counts arrive a moment after the job). */
  const scrapeUntil = async (ok: (text: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 30_000;
    let text = await scrape();
    while (!ok(text) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      text = await scrape();
    }
    return text;
  };

  it('shows the duration of each step of the renders as a histogram', async () => {
    const submit = async (body: unknown): Promise<JobBody> => {
      const res = await fetch(`${baseUrl}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
      return (await res.json()) as JobBody;
    };
    const first = await submit({ dataset: variantJson('stappen-meten') });
    const correction = await submit({ dataset: correctedJson(), previous: originalJson(), erratum: ERRATUM });
    for (const job of [first, correction]) expect((await waitForJob(baseUrl, job.id, 90_000)).state).toBe('completed');

    const steps = ['validate', 'tables', 'pdf', 'xlsx', 'erratum', 'store'];
    const text = await scrapeUntil((t) => value(t, 'render_step_duration_seconds_count{step="validate"}') >= 2);
    for (const step of steps) {
      const count = value(text, `render_step_duration_seconds_count{step="${step}"}`);
      expect(count, step).toBe(step === 'erratum' ? 1 : 2);
      expect(value(text, `render_step_duration_seconds_bucket{le="+Inf",step="${step}"}`), step).toBe(count);
      expect(value(text, `render_step_duration_seconds_bucket{le="0.05",step="${step}"}`), step).toBeLessThanOrEqual(count);
      expect(value(text, `render_step_duration_seconds_sum{step="${step}"}`), step).toBeGreaterThan(0);
    }
  }, 180_000);

  it('counts a render child that is killed, and the next render runs in a new one', async () => {
    const before = value(await scrape(), 'render_child_restarts_total');
    expect(before).toBe(0);
    const children = renderChildren();
    expect(children.length).toBeGreaterThan(0);
    for (const pid of children) process.kill(pid, 'SIGKILL');
    const text = await scrapeUntil((t) => value(t, 'render_child_restarts_total') >= children.length);
    expect(value(text, 'render_child_restarts_total')).toBe(children.length);

    const res = await fetch(`${baseUrl}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: variantJson('na-herstart') }),
    });
    const { id } = (await res.json()) as JobBody;
    expect((await waitForJob(baseUrl, id, 90_000)).state).toBe('completed');
    expect(renderChildren().some((pid) => !children.includes(pid))).toBe(true);
  }, 180_000);
});
