// Smaller faults of issue 15 point 5 that are outside the record: each stays fixed.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createMetrics } from '../../src/api/index.js';
import { createJobCounter } from '../../src/jobs/index.js';
import { createErrorHandler } from '../../src/api/problem.js';
import { AppError } from '../../src/errors.js';
import { makeStorageDir, originalJson, REDIS_URL, removeDir, startApi, uniqueQueueName, variantJson } from '../integration/helpers.js';
import { httpRequest, postJob, readAudit, type SecureStack, startSecureStack, waitForJobAs } from './helpers.js';

describe('probes, HEAD and logs', () => {
  let stack: SecureStack;

  beforeAll(async () => {
    stack = await startSecureStack({ label: 'small-faults', access: { rateLimit: { perTokenPerMinute: 1000, anonymousPerMinute: 3 } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('/readyz does not count against the anonymous rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await stack.request('none', '/readyz');
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });

  it('a HEAD request of an artifact is no download in the audit log; a GET is', async () => {
    const res = await postJob(stack, 'editor', { dataset: originalJson() });
    const job = await waitForJobAs(stack, ((await res.json()) as { id: string }).id);
    expect(job.state).toBe('completed');
    const link = `/api/jobs/${job.id}/artifacts/publicatie.pdf`;
    const head = await stack.request('editor', link, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const downloads = async () =>
      (await readAudit(stack.api.access.audit)).lines.filter(
        (l) => l.action === 'artifact.downloaded' && l.object.name === 'publicatie.pdf',
      );
    await new Promise((r) => setTimeout(r, 300));
    expect(await downloads()).toHaveLength(0);
    const get = await stack.request('editor', link);
    await get.arrayBuffer();
    const after = await readAudit(stack.api.access.audit, (lines) => lines.some((l) => l.action === 'artifact.downloaded'));
    expect(after.lines.filter((l) => l.action === 'artifact.downloaded')).toHaveLength(1);
  });

  it('a 503 of /readyz is logged as a warning with its reason, not as an error with a stack', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const app = express();
    app.get('/readyz', () => {
      throw new AppError('NOT_READY', 'not ready: Redis cannot be reached');
    });
    app.use(createErrorHandler(pino({ level: 'info' }, sink)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(503);
    server.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'not ready', reason: 'not ready: Redis cannot be reached' });
    expect(JSON.stringify(lines[0])).not.toMatch(/stack/);
  });
});

describe('open mode trusts the socket, not the Host header', () => {
  it('a request forwarded by a local proxy is no local admin, even with Host: 127.0.0.1', async () => {
    const storageDir = await makeStorageDir();
    const api = await startApi({ queueName: uniqueQueueName('open-proxy'), storageDir });
    try {
      const direct = await httpRequest(api.baseUrl, { path: '/api/tokens', headers: { host: '127.0.0.1' } });
      expect(direct.status).toBe(200);
      for (const header of [{ 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }] as Record<string, string>[]) {
        const proxied = await httpRequest(api.baseUrl, { path: '/api/tokens', headers: { host: '127.0.0.1', ...header } });
        expect(proxied.status).toBe(403);
        const made = await httpRequest(api.baseUrl, {
          method: 'POST',
          path: '/api/tokens',
          headers: { host: '127.0.0.1', 'content-type': 'application/json', ...header },
          body: JSON.stringify({ name: 'first admin', role: 'admin' }),
        });
        expect(made.status).toBe(403);
      }
      expect(await api.access.tokens.count()).toBe(0);
      // The audit entries of the refusals are written after their answers.
      const denied = await readAudit(api.access.audit, (lines) => lines.filter((l) => l.action === 'access.denied').length >= 4);
      expect(denied.lines.filter((l) => l.action === 'access.denied').length).toBeGreaterThanOrEqual(4);
    } finally {
      await api.close();
      await removeDir(storageDir);
    }
  });
});

/** A pino logger whose lines the test reads. */
function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, sink) };
}

describe('for operators (issue 15 point 6)', () => {
  let stack: SecureStack;
  let base: string;

  beforeAll(async () => {
    base = await makeStorageDir();
    stack = await startSecureStack({ label: 'operators', storageDir: path.join(base, 'storage') });
  });
  afterAll(async () => {
    await stack?.close();
    await removeDir(base);
  });

  it('every request has an id: in X-Request-Id, in its log line and in its error answer; a plain id from a proxy is kept', async () => {
    const { lines, logger } = captureLog();
    const app = createApp({
      service: stack.api.service,
      record: stack.api.record,
      logger,
      maxBodyBytes: 1024 * 1024,
      access: stack.api.access,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/jobs/nope`, { headers: { authorization: `Bearer ${stack.tokens.reader}` } });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(((await res.json()) as { requestId: string }).requestId).toBe(id);
      const kept = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { 'x-request-id': 'lb-1234567890' } });
      expect(kept.headers.get('x-request-id')).toBe('lb-1234567890');
      const refused = await fetch(`http://127.0.0.1:${port}/healthz`, {
        headers: { 'x-request-id': '<script>alert(1)</script>' },
      });
      expect(refused.headers.get('x-request-id')).not.toContain('<');
      await new Promise((r) => setTimeout(r, 50));
      const requestLines = lines.filter((l) => l.msg === 'request');
      expect(requestLines.map((l) => l.requestId)).toContain(id);
      expect(requestLines.every((l) => typeof l.requestId === 'string')).toBe(true);
    } finally {
      server.close();
    }
  });

  it('GET /metrics is for admins and answers during a render burst: jobs by state, queue depth, latency by route', async () => {
    const counter = createJobCounter(REDIS_URL, stack.queueName);
    const metrics = createMetrics({ jobCounts: counter.counts });
    const app = createApp({
      service: stack.api.service,
      record: stack.api.record,
      logger: pino({ level: 'silent' }),
      maxBodyBytes: 1024 * 1024,
      access: stack.api.access,
      metrics,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    const as = (who: 'reader' | 'admin' | 'editor' | 'none', urlPath: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${urlPath}`, {
        ...init,
        headers: {
          ...(who === 'none' ? {} : { authorization: `Bearer ${stack.tokens[who]}` }),
          ...(init.headers as Record<string, string>),
        },
      });
    try {
      expect((await as('none', '/metrics')).status).toBe(401);
      expect((await as('reader', '/metrics')).status).toBe(403);
      expect((await as('editor', '/metrics')).status).toBe(403);
      const ids: string[] = [];
      for (const id of ['metrics-a', 'metrics-b', 'metrics-c']) {
        const res = await as('editor', '/api/jobs', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ dataset: variantJson(id) }),
        });
        expect(res.status).toBe(202);
        ids.push(((await res.json()) as { id: string }).id);
      }
      const during = await as('admin', '/metrics');
      expect(during.status).toBe(200);
      expect(during.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await during.text();
      expect(text).toMatch(/^render_queue_depth \d+$/m);
      const busy = ['waiting', 'prioritized', 'delayed', 'active', 'completed'].map((state) =>
        Number(new RegExp(`^render_jobs\\{state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN),
      );
      expect(busy.every((n) => Number.isInteger(n))).toBe(true);
      expect(busy.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3);
      expect(text).toMatch(/^http_request_duration_seconds_count\{method="POST",route="\/api\/jobs",status="202"\} 3$/m);
      expect(text).toMatch(/route="\/metrics",status="403"/);
      for (const id of ids) expect((await waitForJobAs(stack, id)).state).toBe('completed');
      // A job reads as completed once its files are stored; BullMQ moves it to "completed" a moment
      // later, so the count is read until it shows all three (or the deadline passes).
      const completed = async () =>
        Number(/^render_jobs\{state="completed"\} (\d+)$/m.exec(await (await as('admin', '/metrics')).text())?.[1]);
      const deadline = Date.now() + 10_000;
      let seen = await completed();
      while (!(seen >= 3) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await completed();
      }
      expect(seen).toBeGreaterThanOrEqual(3);
    } finally {
      server.close();
      await counter.close();
    }
  }, 120_000);

  it('a storage that cannot be written answers 503 STORAGE_FAILED with the cause and Retry-After, not 500', async () => {
    const datasets = path.join(stack.storageDir, 'datasets');
    await rm(datasets, { recursive: true, force: true });
    await writeFile(datasets, 'not a folder');
    try {
      const dataset = variantJson('storage-broken');
      const res = await stack.request('editor', '/api/jobs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataset }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      const problem = (await res.json()) as { code: string; detail: string };
      expect(problem.code).toBe('STORAGE_FAILED');
      expect(problem.detail).toMatch(/storing the dataset failed \((ENOTDIR|EEXIST)\)/);
      expect(problem.detail).not.toContain(stack.storageDir);
    } finally {
      await rm(datasets, { force: true });
    }
  });

  // Last: it wipes the storage directory, tokens included.
  it('/readyz fails with the reason when the storage directory cannot be written, and recovers', async () => {
    const ready = async () => {
      for (let i = 0; i < 50; i++) {
        const res = await fetch(`${stack.baseUrl}/readyz`);
        if (res.status === 200) return res;
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('never ready');
    };
    expect(await (await ready()).json()).toMatchObject({ status: 'ready', checks: ['storage', 'database'] });
    await rm(stack.storageDir, { recursive: true, force: true });
    const res = await fetch(`${stack.baseUrl}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/storage: the storage directory is not writable \(ENOENT\)/);
    await mkdir(stack.storageDir, { recursive: true });
    expect((await ready()).status).toBe(200);
  });
});
