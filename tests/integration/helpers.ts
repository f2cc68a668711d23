import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { type AccessControl, type AccessControlOptions, createAccessControl, createApp, ROUTE_ACCESS } from '../../src/api/index.js';
import {
  createFsStorage,
  createRenderService,
  type RenderService,
  type RenderWorker,
  type Storage,
  startRenderWorker,
  toRendererIdentity,
} from '../../src/jobs/index.js';
import { childRestartsKey } from '../../src/jobs/queue-counts.js';
import { parseDatasetText } from '../../src/model/dataset.js';
import type { Database, Queryable } from '../../src/db/database.js';
import { createJobGate, createRecordDeps, type RecordDeps } from '../../src/record/index.js';
import { renderEdition } from '../../src/render/render-edition.js';
import type { RenderedEdition, RenderRequest, RenderResources, TemplateFiles } from '../../src/render/types.js';
import { loadResources, loadTemplates } from '../../src/resources.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/** The project root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The Redis the tests use (the one on this machine). */
export const REDIS_URL = 'redis://127.0.0.1:6379';
/** Set TEST_LOG=debug to see the service's log. */
export const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });

/** A queue name no other test uses. */
export function uniqueQueueName(label: string): string {
  return `it-${label}-${randomUUID().slice(0, 8)}`;
}

/** A fresh temporary storage folder. */
export function makeStorageDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'render-it-'));
}

/** A BullMQ queue for inspecting a test's queue, with its own connection. */
export function openQueue(queueName: string, redisUrl = REDIS_URL): { queue: Queue; close(): Promise<void> } {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection });
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** Removes a queue with all its jobs, and the workers' count of lost render children, from Redis. */
export async function obliterateQueue(queueName: string, redisUrl = REDIS_URL): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection });
  try {
    await queue.obliterate({ force: true });
    await connection.del(childRestartsKey(queueName));
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** Reads an example file. */
export function readExample(relative: string): string {
  return readFileSync(path.join(ROOT, 'examples', relative), 'utf8');
}

/** The 2019 example as first published, as JSON. */
export const originalJson = (): Record<string, unknown> => JSON.parse(readExample('beleidsinformatie-2019-hj1/dataset.json'));
/** The corrected 2019 example, as JSON. */
export const correctedJson = (): Record<string, unknown> => JSON.parse(readExample('beleidsinformatie-2019-hj1/dataset-gecorrigeerd.json'));

/** The 2019 example under another publication id: a different valid request that renders the same way. */
export function variantJson(id: string): Record<string, unknown> {
  const dataset = originalJson() as { publication: Record<string, unknown> };
  dataset.publication.id = id;
  return dataset;
}

/** The erratum used with the corrected example. */
export const ERRATUM = { date: '2020-04-28', text: 'In de tabel Kerncijfers zijn de cijfers van enkele regio’s gecorrigeerd.' };

let resources: RenderResources | undefined;

/** Renders directly, without the service: what the service's files must equal. */
export function renderDirectly(request: {
  dataset: unknown;
  previous?: unknown;
  previousEdition?: number;
  erratum?: RenderRequest['erratum'];
}): Promise<RenderedEdition> {
  resources ??= loadResources();
  return renderEdition(
    {
      dataset: parseDatasetText(JSON.stringify(request.dataset), 'dataset'),
      previous: request.previous === undefined ? undefined : parseDatasetText(JSON.stringify(request.previous), 'previous'),
      previousEdition: request.previousEdition,
      erratum: request.erratum,
    },
    resources,
  );
}

/** Options of a test stack. */
export interface StackOptions {
  readonly queueName: string;
  readonly storageDir: string;
  readonly redisUrl?: string;
  readonly maxBodyBytes?: number;
  readonly attempts?: number;
  /** Access options (default: open when no token exists, as on 127.0.0.1; generous rate limits). */
  readonly access?: Partial<AccessControlOptions>;
  /** The clock of the embargo and the sessions. */
  readonly clock?: () => Date;
  /** The record; default a new in-memory PGlite database of this API's own. */
  readonly db?: Database;
  /** The API's current templates; default the project's templates/. */
  readonly templates?: TemplateFiles;
  /** Wraps the API's storage (e.g. to hold requests at one point and so make them meet). */
  readonly wrapStorage?: (storage: Storage) => Storage;
}

/** An API on an ephemeral port, with its service. */
export interface ApiStack {
  readonly baseUrl: string;
  readonly service: RenderService;
  readonly storage: Storage;
  readonly access: AccessControl;
  readonly db: Database;
  readonly record: RecordDeps;
  close(): Promise<void>;
}

/** The access control of a test app: open while no token exists, generous rate limits unless given. */
export function createTestAccess(db: Queryable, options: Partial<AccessControlOptions> = {}, clock?: () => Date): AccessControl {
  return createAccessControl({
    db,
    openWhenNoTokens: true,
    cookieSecure: 'auto',
    sessionTtlMs: 60 * 60_000,
    rateLimit: { perTokenPerMinute: 100_000, anonymousPerMinute: 100_000 },
    logger,
    clock,
    routes: ROUTE_ACCESS,
    ...options,
  });
}

/** Starts the API (no worker) on 127.0.0.1 and an ephemeral port. */
export async function startApi(options: StackOptions): Promise<ApiStack> {
  const own = options.db ? undefined : await openTestDatabase('pglite');
  const db = options.db ?? (own as TestDatabase).db;
  const fsStorage = createFsStorage(options.storageDir);
  const storage = options.wrapStorage?.(fsStorage) ?? fsStorage;
  const access = createTestAccess(db, options.access, options.clock);
  const templates = options.templates ?? loadTemplates();
  const identity = toRendererIdentity(templates);
  const record = createRecordDeps({
    db,
    storage,
    audit: access.audit,
    identity,
    templates,
    logger,
    clock: options.clock,
    service: () => service,
  });
  const service = createRenderService({
    redisUrl: options.redisUrl ?? REDIS_URL,
    queueName: options.queueName,
    storage,
    identity,
    templates,
    policy: { attempts: options.attempts ?? 3, retryDelayMs: 200 },
    logger,
    redisTimeoutMs: 1_000,
    clock: options.clock,
    gate: createJobGate(record),
  });
  const app = createApp({
    service,
    record,
    logger,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    access,
    storageDir: options.storageDir,
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    service,
    storage,
    access,
    db,
    record,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.close();
      await own?.drop();
    },
  };
}

/** Options of an in-process render worker, besides its queue and storage. */
export interface WorkerOptions {
  readonly concurrency?: number;
  readonly renderTimeoutMs?: number;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly name?: string;
}

/** Starts an in-process render worker. */
export function startWorker(options: StackOptions & WorkerOptions): RenderWorker {
  return startRenderWorker({
    redisUrl: options.redisUrl ?? REDIS_URL,
    queueName: options.queueName,
    storage: createFsStorage(options.storageDir),
    logger,
    concurrency: options.concurrency ?? 1,
    renderTimeoutMs: options.renderTimeoutMs ?? 60_000,
    lockDurationMs: options.lockDurationMs,
    stalledIntervalMs: options.stalledIntervalMs,
    name: options.name,
  });
}

/** A test's service: a fresh storage folder, the API on it and, when asked for, an in-process worker on its queue. */
export interface ServiceStack {
  readonly queueName: string;
  readonly storageDir: string;
  readonly api: ApiStack;
  readonly worker: RenderWorker | undefined;
  /** Stops the worker and the API, then removes the queue from Redis and the storage folder. */
  close(): Promise<void>;
}

/**
 * Makes a storage folder and starts the API on it; with `worker`, also one in-process worker (`true`: the
 * default worker). If starting fails, it cleans up what it made before it throws.
 */
export async function startStack(
  options: Omit<StackOptions, 'storageDir'> & { readonly worker?: boolean | WorkerOptions },
): Promise<ServiceStack> {
  const { worker: workerOptions, ...stackOptions } = options;
  const storageDir = await makeStorageDir();
  let api: ApiStack | undefined;
  let worker: RenderWorker | undefined;
  const close = async (): Promise<void> => {
    await worker?.close();
    await api?.close();
    await obliterateQueue(options.queueName, options.redisUrl);
    await removeDir(storageDir);
  };
  try {
    api = await startApi({ ...stackOptions, storageDir });
    if (workerOptions) worker = startWorker({ ...stackOptions, ...(workerOptions === true ? {} : workerOptions), storageDir });
  } catch (error) {
    // The error that stopped the start is the one to see, not one of the cleanup after it.
    await close().catch(() => {});
    throw error;
  }
  return { queueName: options.queueName, storageDir, api, worker, close };
}

/** POSTs a JSON body (or raw text with a content type). */
export function post(baseUrl: string, body: unknown, init: { contentType?: string; raw?: string } = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    body: init.raw ?? JSON.stringify(body),
  });
}

/** A job as the API shows it. */
export interface JobBody {
  id: string;
  state: string;
  edition: number;
  correctedOn: string | null;
  progress: { step: string } | null;
  attempts: { made: number; max: number } | null;
  error: { code: string; message: string } | null;
  artifacts: { name: string; contentType: string; size: number; sha256: string; links: { download: string } }[];
  links: { self: string; editions: string };
}

/** Polls a job until it is completed or failed. */
export async function waitForJob(baseUrl: string, id: string, timeoutMs = 60_000): Promise<JobBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/jobs/${id}`);
    if (res.status === 200) {
      const job = (await res.json()) as JobBody;
      if (job.state === 'completed' || job.state === 'failed') return job;
    } else {
      await res.body?.cancel();
    }
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Downloads one artifact. */
export async function download(baseUrl: string, link: string): Promise<{ res: Response; bytes: Buffer }> {
  const res = await fetch(`${baseUrl}${link}`);
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Removes a temp folder. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}
