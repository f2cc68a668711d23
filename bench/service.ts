import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MAX_LARGE_UPLOADS } from '../src/api/json-body.js';
import { renderEdition } from '../src/render/render-edition.js';
import { loadResources, PROJECT_ROOT } from '../src/resources.js';
import { writeResult } from './lib/child-io.js';
import { ERRATUM_DATE, parseExampleRequest, readExample } from './lib/example.js';
import { freePort, stopProcess } from './lib/processes.js';
import { createServerDatabase } from '../tests/helpers/database.js';

// Figure 4: the service as a client sees it. Starts the API with its in-process worker
// (dist/main-api.js, what `npm start` runs) on 127.0.0.1 with a free port, a unique queue and a
// temporary storage folder, then a second worker process (dist/main-worker.js, `npm run worker`).
//   first job:  the first job after the start (once the service has warmed up), POST → completed
//   latency:    one job at a time, POST → completed, split with BullMQ's own timestamps, against
//               the warm render time measured in this process right before
//   throughput: batches of jobs posted at once (at most MAX_LARGE_UPLOADS uploads at a time), editions per minute with 1 and 2 worker processes
// Every job is a full corrected edition (3 files) of the 2019 example with its own publication id,
// so that its content-derived job id is new. Cleans up: processes stopped, queue obliterated, storage and database removed.
// Run: node --import tsx bench/service.ts [--latency 6] [--batch 6] [--batches 3]

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '6' },
    batch: { type: 'string', default: '6' },
    batches: { type: 'string', default: '3' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
const latencyRuns = Number(values.latency);
const batchSize = Number(values.batch);
const batches = Number(values.batches);
const redisUrl = values.redis ?? 'redis://127.0.0.1:6379';

const texts = readExample();
const published = JSON.parse(texts.published) as { publication: { id: string } };
const corrected = JSON.parse(texts.corrected) as { publication: { id: string } };
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const queueName = `bench-${runTag}`;
const storageDir = mkdtempSync(path.join(tmpdir(), 'bench-service-'));
// The record on the PostgreSQL server (TEST_PG_URL, else the local one), a database of the bench's
// own: a second worker process refuses to start without DATABASE_URL.
const database = await createServerDatabase('bench');
let jobCount = 0;
/** POSTs sent again after REDIS_UNAVAILABLE (reported with the results). */
let retriedPosts = 0;

/** Where each job's number goes in BODY_TEMPLATE (plain ASCII that the example's JSON text does not contain). */
const JOB_NUMBER = '#bench-job#';
/**
 * The request body, serialised once with a placeholder for the job number: each job's body is
 * this text with its number put in, the same bytes as a JSON.stringify of its own (~1.8 MB), which
 * the client would otherwise do for every job on the two cores the service is measured on.
 */
const BODY_TEMPLATE = (() => {
  const id = `${corrected.publication.id}-bench-${runTag}-${JOB_NUMBER}`;
  return JSON.stringify({
    dataset: { ...corrected, publication: { ...corrected.publication, id } },
    previous: { ...published, publication: { ...published.publication, id } },
    erratum: { date: ERRATUM_DATE, text: texts.erratumText },
  }).split(JOB_NUMBER);
})();
if (BODY_TEMPLATE.length !== 3) throw new Error(`the example's JSON text contains ${JOB_NUMBER}`);

/** A request body for a new corrected edition: the example with a publication id of its own. */
function nextBody(): string {
  return BODY_TEMPLATE.join(String(++jobCount));
}

const processes: ChildProcess[] = [];
const logTail: string[] = [];

function startProcess(entry: string, port: number, extraEnv: Readonly<Record<string, string>> = {}): ChildProcess {
  // The compiled service, as `npm start` and `npm run worker` run it (npm run bench builds first).
  const child = spawn(process.execPath, [entry], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      REDIS_AUTOSTART: 'off',
      HOST: '127.0.0.1',
      PORT: String(port),
      STORAGE_DIR: storageDir,
      DATABASE_URL: database.url,
      QUEUE_NAME: queueName,
      WORKER_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
      // The bench polls every 10 ms; rate limits (where the API has them) must not slow it down.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    logTail.push(`${entry}: ${chunk.toString('utf8')}`);
    if (logTail.length > 40) logTail.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  processes.push(child);
  return child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    if (processes.some((p) => p.exitCode !== null)) break;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}\n${logTail.join('')}`);
}

/** CPU time (clock ticks, 100 a second) used so far by one process, all its threads, from /proc. */
function ownTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU time (clock ticks) used so far by a process and its child processes (the render children). */
function cpuTicks(pid: number): number {
  return ownTicks(pid) + childPids(pid).reduce((sum, child) => sum + cpuTicks(child), 0);
}

/** CPU ms used so far by each service process itself and by its render children. */
function cpuByPart(): Record<string, number> {
  const out: Record<string, number> = {};
  processes.forEach((p, i) => {
    if (!p.pid) return;
    const name = i === 0 ? 'api+worker' : 'worker';
    out[name] = ownTicks(p.pid) * 10;
    out[`${name} render children`] = (cpuTicks(p.pid) - ownTicks(p.pid)) * 10;
  });
  return out;
}

/** Waits until a process tree uses (almost) no CPU for a second: its start-up work is done. */
async function waitQuiet(pid: number, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = cpuTicks(pid);
  let quietSince = Date.now();
  while (Date.now() < until) {
    await sleep(250);
    const now = cpuTicks(pid);
    // 100 ticks a second: under 5 % of one core counts as quiet (timers, Redis heartbeats).
    if (now - last > 1) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= 1_000) return;
  }
  throw new Error(`the service did not go quiet within ${timeoutMs} ms\n${logTail.join('')}`);
}

interface Submitted {
  readonly id: string;
  readonly postedAt: number;
  readonly postMs: number;
}

async function submit(base: string): Promise<Submitted> {
  const body = nextBody();
  const postedAt = Date.now();
  const t0 = performance.now();
  let response: Response;
  let json: { id?: string; code?: string };
  for (let attempt = 1; ; attempt++) {
    response = await fetch(`${base}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    json = (await response.json()) as { id?: string; code?: string };
    // On a loaded machine Redis may miss the API's 2 s limit: send again, as a client would (counted in the time).
    if (response.status !== 503 || json.code !== 'REDIS_UNAVAILABLE' || attempt >= 10) break;
    retriedPosts++;
    await sleep(100);
  }
  const postMs = performance.now() - t0;
  if (response.status !== 202 || !json.id)
    throw new Error(`POST /api/jobs answered ${response.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return { id: json.id, postedAt, postMs };
}

/**
 * Polls the job every `everyMs` until it is completed; returns when the client saw it (Date.now()).
 * One job at a time: every 10 ms. A batch: every 200 ms (adds at most 0.2 s to a batch), since 12
 * jobs polled every 10 ms are ~1 200 requests a second, whose CPU the API process takes from the
 * render children on the same two cores.
 */
async function waitCompleted(base: string, id: string, everyMs = 10, timeoutMs = 300_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const response = await fetch(`${base}/api/jobs/${id}`);
    const json = (await response.json()) as { state?: string; error?: unknown };
    if (json.state === 'completed') return Date.now();
    if (json.state === 'failed') throw new Error(`job ${id} failed: ${JSON.stringify(json.error)}`);
    await sleep(everyMs);
  }
  throw new Error(`job ${id} did not complete within ${timeoutMs} ms\n${logTail.join('')}`);
}

/**
 * The job's BullMQ timestamps. The API answers "completed" as soon as the edition is stored, which
 * is a moment before the worker has moved the job to completed in BullMQ: wait for finishedOn.
 */
async function timestamps(queue: Queue, id: string): Promise<{ added: number; processedOn: number; finishedOn: number }> {
  const until = Date.now() + 5_000;
  for (;;) {
    const job = await queue.getJob(id);
    if (job?.processedOn && job.finishedOn) return { added: job.timestamp, processedOn: job.processedOn, finishedOn: job.finishedOn };
    if (Date.now() > until) throw new Error(`job ${id} has no BullMQ timestamps`);
    await sleep(5);
  }
}

/**
 * When each render step of a job began, from the job's progress events in BullMQ's events stream
 * (a stream entry's id is the Redis time in ms). The render child reports "validate" as it starts
 * and the worker reports "store" once the child's result is back: the time between them is the
 * render itself, measured on the real job.
 */
async function stepTimes(queue: Queue): Promise<Map<string, Map<string, number>>> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const entries = await client.xrange(queue.toKey('events'), '-', '+').finally(() => client.quit());
  const byJob = new Map<string, Map<string, number>>();
  for (const [entryId, fields] of entries) {
    const get = (name: string) => fields[fields.indexOf(name) + 1];
    if (get('event') !== 'progress') continue;
    const jobId = get('jobId');
    let step: unknown;
    try {
      step = (JSON.parse(get('data') ?? 'null') as { step?: unknown } | null)?.step;
    } catch {
      continue;
    }
    if (!jobId || typeof step !== 'string') continue;
    const steps = byJob.get(jobId) ?? new Map<string, number>();
    if (!steps.has(step)) steps.set(step, Number(entryId.split('-')[0]));
    byJob.set(jobId, steps);
  }
  return byJob;
}

/**
 * Posts `count` jobs at once and waits for all: editions per minute from the first POST to the last
 * completion, and how many jobs each worker process took (BullMQ's processedBy).
 */
async function throughput(
  base: string,
  count: number,
): Promise<{ editionsPerMinute: number; wallMs: number; byWorker: Record<string, number> }> {
  const t0 = performance.now();
  // As a well-behaved client: no more uploads at once than the API reads (more get 503 UPLOADS_BUSY).
  const jobs: Submitted[] = [];
  let uploading = 0;
  const uploader = async (): Promise<void> => {
    while (jobs.length + uploading < count) {
      uploading++;
      const job = await submit(base);
      uploading--;
      jobs.push(job);
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, MAX_LARGE_UPLOADS) }, uploader));
  await Promise.all(jobs.map((j) => waitCompleted(base, j.id, 200)));
  const wallMs = performance.now() - t0;
  const byWorker: Record<string, number> = {};
  for (const j of jobs) {
    const worker = (await queue.getJob(j.id))?.processedBy ?? 'unknown';
    byWorker[worker] = (byWorker[worker] ?? 0) + 1;
  }
  return { editionsPerMinute: (count / wallMs) * 60_000, wallMs, byWorker };
}

async function readyWorkers(base: string): Promise<number> {
  const response = await fetch(`${base}/readyz`);
  if (!response.ok) return 0;
  return ((await response.json()) as { workers?: number }).workers ?? 0;
}

const queue = new Queue(queueName, { connection: { url: redisUrl, maxRetriesPerRequest: null } });
try {
  // The render time this machine needs right now, warm, in one process (what a render child does);
  // measured again before every latency job, so that each job has a reference taken next to it.
  const resources = loadResources();
  const renderOnce = async (): Promise<number> => {
    const t0 = performance.now();
    await renderEdition(parseExampleRequest(texts), resources);
    return performance.now() - t0;
  };
  for (let i = 0; i < 2; i++) await renderOnce();
  const renderMs: number[] = [];

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawnedAt = Date.now();
  startProcess('dist/main-api.js', port);
  await waitFor('the API and its worker', async () => (await readyWorkers(base)) >= 1);
  const readyAt = Date.now();

  // The first job after `npm start`: posted once the started service has gone quiet, i.e. its
  // render child has warmed up (an editor signs in and picks files meanwhile). warmMs says how long
  // after the start that was: a job posted earlier waits that long for the child.
  const api = processes[0];
  if (api?.pid) await waitQuiet(api.pid);
  const quietAt = Date.now();
  const firstJob = await submit(base);
  const first = {
    readyMs: readyAt - spawnedAt,
    warmMs: quietAt - spawnedAt,
    totalMs: (await waitCompleted(base, firstJob.id)) - firstJob.postedAt,
  };
  // Warm-up of the rest of the path (the API's and the worker's own code).
  const warmUp = await submit(base);
  await waitCompleted(base, warmUp.id);
  const runs: { job: Submitted; seenAt: number; t: Awaited<ReturnType<typeof timestamps>> }[] = [];
  for (let i = 0; i < latencyRuns; i++) {
    renderMs.push(await renderOnce());
    const job = await submit(base);
    const seenAt = await waitCompleted(base, job.id);
    runs.push({ job, seenAt, t: await timestamps(queue, job.id) });
  }
  const steps = await stepTimes(queue);
  const latency = runs.map(({ job, seenAt, t }, i) => {
    const jobSteps = steps.get(job.id);
    const started = jobSteps?.get('validate');
    const stored = jobSteps?.get('store');
    return {
      totalMs: seenAt - job.postedAt,
      postMs: job.postMs,
      waitMs: t.processedOn - t.added,
      processMs: t.finishedOn - t.processedOn,
      seenMs: seenAt - t.finishedOn,
      serverMs: t.finishedOn - job.postedAt,
      /** The in-process reference render, taken right before this job. */
      renderMs: renderMs[i] ?? Number.NaN,
      /** The job's own render in the render child (progress "validate" → "store"); NaN without progress events. */
      childRenderMs: started !== undefined && stored !== undefined ? stored - started : Number.NaN,
      /** Worker before the render: manifest check, datasets from storage, hand-over to the child. */
      beforeRenderMs: started !== undefined ? started - t.processedOn : Number.NaN,
      /** Worker after the render: artifacts and manifest written, edition recorded. */
      afterRenderMs: stored !== undefined ? t.finishedOn - stored : Number.NaN,
      steps: jobSteps ? Object.fromEntries(jobSteps) : {},
    };
  });

  const oneWorker: Awaited<ReturnType<typeof throughput>>[] = [];
  for (let i = 0; i < batches; i++) oneWorker.push(await throughput(base, batchSize));

  startProcess('dist/main-worker.js', port);
  await waitFor('the second worker', async () => (await readyWorkers(base)) >= 2);
  // Warm-up: enough jobs at once that both workers start their render child.
  await throughput(base, 4);
  const twoWorkers: Awaited<ReturnType<typeof throughput>>[] = [];
  const cpuBefore = cpuByPart();
  for (let i = 0; i < batches; i++) twoWorkers.push(await throughput(base, batchSize * 2));
  // Where the CPU went during the two-worker batches: ms per edition by process.
  const cpuAfter = cpuByPart();
  const editions = batches * batchSize * 2;
  const cpuPerEditionMs = Object.fromEntries(
    Object.entries(cpuAfter).map(([part, ms]) => [part, Math.round((ms - (cpuBefore[part] ?? 0)) / editions)]),
  );

  // The same two worker processes with render children that print the workbook on the main thread
  // (RENDER_WORKBOOK_THREAD=off): with as many render processes as cores, the thread only adds
  // work (a copy of the dataset, a second heap). Measured here, side by side with 4.10.
  await Promise.all(processes.splice(0).map((p) => stopProcess(p)));
  const portOff = await freePort();
  const baseOff = `http://127.0.0.1:${portOff}`;
  startProcess('dist/main-api.js', portOff, { RENDER_WORKBOOK_THREAD: 'off' });
  startProcess('dist/main-worker.js', portOff, { RENDER_WORKBOOK_THREAD: 'off' });
  await waitFor('the API and two workers without the workbook thread', async () => (await readyWorkers(baseOff)) >= 2);
  await throughput(baseOff, 4);
  const twoWorkersNoThread: Awaited<ReturnType<typeof throughput>>[] = [];
  for (let i = 0; i < batches; i++) twoWorkersNoThread.push(await throughput(baseOff, batchSize * 2));

  writeResult({
    twoWorkersNoThread,
    queueName,
    latencyRuns,
    batchSize,
    batches,
    renderMs,
    first,
    latency,
    oneWorker,
    twoWorkers,
    cpuPerEditionMs,
    jobs: jobCount,
    retriedPosts,
  });
} finally {
  await Promise.all(processes.map((p) => stopProcess(p)));
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  rmSync(storageDir, { recursive: true, force: true });
  await database.drop();
}
