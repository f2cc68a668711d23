import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStore } from '../../src/api/index.js';
import { openDatabase } from '../../src/db/open-database.js';
import { makeStorageDir, obliterateQueue, REDIS_URL, ROOT, removeDir, uniqueQueueName } from '../integration/helpers.js';

interface Started {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

/** Starts `npm start`'s program (src/main-api.ts) with the given environment. */
function startService(env: Record<string, string>): Started {
  let out = '';
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/main-api.ts'], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(started: Started, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the log:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode === null) started.child.kill('SIGTERM');
  await started.exited;
}

describe('start-up: open only on 127.0.0.1 while no token exists', () => {
  const queueName = uniqueQueueName('startup');
  let storageDir: string;

  beforeAll(async () => {
    storageDir = await makeStorageDir();
  });
  afterAll(async () => {
    await obliterateQueue(queueName);
    await removeDir(storageDir);
  });

  it('on another address with no token it refuses to start and says how to make the first admin token', async () => {
    // 127.0.0.2 is reachable only from this machine, but it is not 127.0.0.1: the service treats it as any other address.
    const started = startService({ HOST: '127.0.0.2', STORAGE_DIR: storageDir, QUEUE_NAME: queueName });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('refusing to start');
    expect(started.output()).toContain('npm run token -- create --role admin --name');
    expect(started.output()).not.toContain('render service listening');
  });

  it('on 127.0.0.1 with no token it runs open and says so in its log', async () => {
    const started = startService({ HOST: '127.0.0.1', STORAGE_DIR: storageDir, QUEUE_NAME: queueName });
    try {
      await waitFor(started, /render service listening/);
      expect(started.output()).toContain('OPEN MODE');
    } finally {
      await stop(started);
    }
  });

  it('on another address with a token it starts and requires tokens', async () => {
    // The embedded record of the storage folder, opened and closed again as `npm run token` does.
    const db = await openDatabase({ databaseUrl: undefined, storageDir });
    await createTokenStore(db).create({ name: 'first admin', role: 'admin', createdBy: 'test' });
    await db.close();
    const started = startService({ HOST: '127.0.0.2', STORAGE_DIR: storageDir, QUEUE_NAME: queueName });
    try {
      await waitFor(started, /render service listening/);
      expect(started.output()).toContain('API tokens required');
      expect(started.output()).not.toContain('OPEN MODE');
    } finally {
      await stop(started);
    }
  });
});
