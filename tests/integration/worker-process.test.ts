import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderWorker } from '../../src/jobs/index.js';
import {
  type ApiStack,
  type JobBody,
  openQueue,
  post,
  REDIS_URL,
  ROOT,
  type ServiceStack,
  startStack,
  startWorker,
  uniqueQueueName,
  variantJson,
  waitForJob,
} from './helpers.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

const LOCK_MS = 1_500;
const STALLED_MS = 500;

/** Starts `main-worker.ts` as its own process, as `npm run worker` does. */
function spawnWorkerProcess(
  queueName: string,
  storageDir: string,
  databaseUrl: string | undefined,
): { child: ChildProcess; log: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main-worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL,
      QUEUE_NAME: queueName,
      STORAGE_DIR: storageDir,
      LOCK_DURATION_MS: String(LOCK_MS),
      STALLED_INTERVAL_MS: String(STALLED_MS),
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, log: () => output };
}

/** Polls the API until the job is active and has reported a render step (its child is rendering). */
async function waitUntilRendering(baseUrl: string, id: string, log: () => string): Promise<JobBody> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = (await (await fetch(`${baseUrl}/api/jobs/${id}`)).json()) as JobBody;
    if (job.state === 'active' && job.progress) return job;
    if (job.state === 'completed' || job.state === 'failed') throw new Error(`job ended before it could be interrupted: ${job.state}`);
    if (Date.now() > deadline) throw new Error(`job never started rendering; worker log:\n${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const exited = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

describe('worker processes need the shared record', () => {
  it('`npm run worker` without DATABASE_URL refuses to start and says why', async () => {
    const { child, log } = spawnWorkerProcess(uniqueQueueName('no-db'), '/tmp', undefined);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(log()).toContain('refusing to start');
    expect(log()).toContain('needs DATABASE_URL');
  });
});

describe('worker processes: killed and stopped in the middle of a render', () => {
  const queueName = uniqueQueueName('process');
  let stack: ServiceStack | undefined;
  let storageDir: string;
  let api: ApiStack;
  const spawned: ChildProcess[] = [];
  let rescuer: RenderWorker | undefined;
  let record: TestDatabase | undefined;

  beforeAll(async () => {
    record = await openTestDatabase('postgres', 'worker_process');
    stack = await startStack({ queueName, db: record.db });
    ({ storageDir, api } = stack);
  });

  afterAll(async () => {
    for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rescuer?.close();
    await stack?.close();
    await record?.drop();
  });

  it('when a worker process is killed with SIGKILL mid-render, another worker finishes the job', async () => {
    const { child, log } = spawnWorkerProcess(queueName, storageDir, record?.url);
    spawned.push(child);
    const res = await post(api.baseUrl, { dataset: variantJson('sigkill-midden-in') });
    const { id } = (await res.json()) as JobBody;

    await waitUntilRendering(api.baseUrl, id, log);
    const renderChildren = childPids(child.pid!).filter((pid) => {
      try {
        return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('render-child');
      } catch {
        return false;
      }
    });
    expect(renderChildren).toHaveLength(1);
    child.kill('SIGKILL');
    expect((await exited(child)).signal).toBe('SIGKILL');

    // The orphaned render child notices its parent is gone and exits.
    const deadline = Date.now() + 15_000;
    while (renderChildren.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(renderChildren.filter(isAlive)).toEqual([]);

    const stuck = (await (await fetch(`${api.baseUrl}/api/jobs/${id}`)).json()) as JobBody;
    expect(stuck.state).toBe('active');

    rescuer = startWorker({ queueName, storageDir, lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS, name: 'rescuer' });
    const job = await waitForJob(api.baseUrl, id, 60_000);
    expect(job.state).toBe('completed');

    const inspect = openQueue(queueName);
    try {
      const stored = await inspect.queue.getJob(id);
      expect(stored?.stalledCounter).toBeGreaterThanOrEqual(1);
      expect(stored?.processedBy).toBe('rescuer');
    } finally {
      await inspect.close();
    }
    for (const artifact of job.artifacts) {
      const bytes = await readFile(path.join(storageDir, 'jobs', id, artifact.name));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(artifact.sha256);
    }
    await rescuer.close();
    rescuer = undefined;
  });

  it('when a worker process gets SIGTERM mid-render, it finishes and stores the job before it exits', async () => {
    const { child, log } = spawnWorkerProcess(queueName, storageDir, record?.url);
    spawned.push(child);
    const res = await post(api.baseUrl, { dataset: variantJson('sigterm-midden-in') });
    const { id } = (await res.json()) as JobBody;
    await waitUntilRendering(api.baseUrl, id, log);
    child.kill('SIGTERM');
    const { code } = await exited(child);
    expect(code, log()).toBe(0);
    const job = (await (await fetch(`${api.baseUrl}/api/jobs/${id}`)).json()) as JobBody;
    expect(job.state).toBe('completed');
    expect(log()).toContain('render worker stopped');
  });

  it('when a worker process gets a second SIGTERM mid-render, it exits at once and its render child leaves quietly', async () => {
    const { child, log } = spawnWorkerProcess(queueName, storageDir, record?.url);
    spawned.push(child);
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const res = await post(api.baseUrl, { dataset: variantJson('twee-keer-sigterm') });
    const { id } = (await res.json()) as JobBody;
    await waitUntilRendering(api.baseUrl, id, log);
    const renderChildren = childPids(child.pid!);
    expect(renderChildren.length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    // Two signals sent at once may arrive as one: the second goes once the first has been taken.
    while (!log().includes('stopping render worker')) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    expect((await exited(child)).code, log()).toBe(1);
    // The render child shares the worker's stderr: the pipe closes once it too has exited.
    await closed;
    const deadline = Date.now() + 15_000;
    while (renderChildren.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(renderChildren.filter(isAlive)).toEqual([]);
    expect(log()).toContain('second signal: exiting now');
    expect(log()).not.toMatch(/EPIPE|ERR_IPC_CHANNEL_CLOSED|Unhandled|\n\s+at /);
  });
});
