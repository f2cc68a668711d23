import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingRedis, type RenderWorker } from '../../src/jobs/index.js';
import {
  type ApiStack,
  correctedJson,
  type JobBody,
  makeStorageDir,
  obliterateQueue,
  post,
  removeDir,
  startApi,
  startWorker,
  uniqueQueueName,
  variantJson,
  waitForJob,
} from './helpers.js';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server with an append-only file in `dir`. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await pingRedis(url, 200)); i++) await new Promise((r) => setTimeout(r, 50));
  return child;
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const title = hasRedisServer
  ? 'Redis restarted while jobs wait (private redis-server with AOF)'
  : 'Redis restarted while jobs wait: SKIPPED, redis-server is not installed on this machine';

describe.skipIf(!hasRedisServer)(title, () => {
  const queueName = uniqueQueueName('aof');
  let storageDir: string;
  let redisDir: string;
  let redisUrl: string;
  let port: number;
  let redis: ChildProcess;
  let api: ApiStack;
  let worker: RenderWorker | undefined;

  beforeAll(async () => {
    storageDir = await makeStorageDir();
    redisDir = await makeStorageDir();
    port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    redis = await startRedis(port, redisDir);
    api = await startApi({ queueName, storageDir, redisUrl });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    if (redis) {
      await obliterateQueue(queueName, redisUrl).catch(() => {});
      await stopRedis(redis);
    }
    await removeDir(storageDir);
    await removeDir(redisDir);
  });

  it('loses no waiting job, answers 503 while Redis is down, and recovers by itself', async () => {
    const requests = [{ dataset: variantJson('aof-een') }, { dataset: variantJson('aof-twee') }, { dataset: correctedJson() }];
    const ids: string[] = [];
    for (const request of requests) {
      const res = await post(api.baseUrl, request);
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as JobBody).id);
    }

    await stopRedis(redis);
    const started = Date.now();
    const down = await fetch(`${api.baseUrl}/api/jobs/${ids[0]}`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { code: string }).code).toBe('REDIS_UNAVAILABLE');
    const postDown = await post(api.baseUrl, { dataset: variantJson('aof-vier') });
    expect(postDown.status).toBe(503);
    await postDown.body?.cancel();
    expect(Date.now() - started).toBeLessThan(2_000);

    redis = await startRedis(port, redisDir);
    // The API reconnects by itself.
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      const res = await fetch(`${api.baseUrl}/api/jobs/${ids[0]}`);
      status = res.status;
      await res.body?.cancel();
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);

    worker = startWorker({ queueName, storageDir, redisUrl, concurrency: 2 });
    const jobs = await Promise.all(ids.map((id) => waitForJob(api.baseUrl, id, 90_000)));
    expect(jobs.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
    expect(jobs.every((j) => j.artifacts.length > 0)).toBe(true);
  });
});
