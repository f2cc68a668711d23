import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A redis-server this process started, and how to stop it. */
export interface LocalRedis {
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** True when a Redis answers PING at `url` within `timeoutMs`. */
export async function pingRedis(url: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts `redis-server` for `url` (a local host and port) with its data (append-only file) in
 * `dataDir`, and waits until it answers. Resolves undefined when no redis-server program exists.
 */
export async function startLocalRedis(url: string, dataDir: string, logger: Logger): Promise<LocalRedis | undefined> {
  const { hostname, port } = new URL(url);
  await mkdir(dataDir, { recursive: true });
  const args = ['--port', port || '6379', '--bind', hostname, '--dir', path.resolve(dataDir), '--appendonly', 'yes', '--save', ''];
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const started = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false)); // ENOENT: not installed
    child.once('spawn', () => resolve(true));
  });
  if (!started) return undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited at start (exit code ${child.exitCode})`);
    if (await pingRedis(url, 200)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  logger.info(
    { pid: child.pid, dataDir: path.resolve(dataDir) },
    `no Redis answered at ${url}: started redis-server with its data in ${dataDir}`,
  );
  return {
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM'); // redis-server writes its append-only file and exits
      await exited;
    },
  };
}
