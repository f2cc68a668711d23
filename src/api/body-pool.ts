import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { DatasetReport } from '../jobs/dataset-report.js';
import type { BodyOutcome, BodyTask, ValidateTask } from './body-worker.js';

/** A body above this many bytes is decoded, parsed and checked in the body thread pool, not on the event loop. */
export const OFF_LOOP_BODY_BYTES = 256 * 1024;

/** Compiled (dist/), body-worker.js itself; from the sources, a plain .mjs that registers tsx first. */
const WORKER_FILE = new URL(import.meta.url.endsWith('.ts') ? './body-worker.mjs' : './body-worker.js', import.meta.url);

let pool: Piscina | undefined;

function bodyPool(): Piscina {
  pool ??= new Piscina({
    filename: WORKER_FILE.href,
    // One thread stays, loaded, so that a large body never waits for a thread to start.
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(2, availableParallelism() - 1)),
    idleTimeout: 60_000,
  });
  return pool;
}

/**
 * Reads one body in the pool. The pool starts on first use (or warmBodyPool) with at most two
 * threads (the large upload gate bounds how many bodies wait for it); a second thread ends after a
 * minute idle; idle threads never keep the process alive.
 */
export function readBodyOffLoop(task: BodyTask): Promise<BodyOutcome> {
  return bodyPool().run(task) as Promise<BodyOutcome>;
}

/** Validates a dataset file and runs its checks in the pool (a large file: seconds that would stall every request). */
export function validateOffLoop(task: ValidateTask): Promise<DatasetReport> {
  return bodyPool().run(task, { name: 'validateDataset' }) as Promise<DatasetReport>;
}

/** Starts the pool and loads its thread's code (the API calls it at start, so the first large body is quick). */
export async function warmBodyPool(): Promise<void> {
  await readBodyOffLoop({ bytes: new TextEncoder().encode('{}'), maxDepth: 1 });
}

/** Stops the pool's threads (at shutdown). */
export async function closeBodyPool(): Promise<void> {
  const running = pool;
  pool = undefined;
  await running?.destroy();
}
