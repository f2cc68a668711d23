import { Worker } from 'node:worker_threads';
import { fromWireError, type WireError } from '../error-wire.js';
import { AppError } from '../errors.js';
import type { Dataset } from '../model/dataset.js';
import type { WorkbookThreadReply, WorkbookThreadRequest } from './workbook-worker.js';
import type { WorkbookOptions } from './xlsx/build-workbook.js';

// The workbook thread: one persistent worker thread that renders tabellenbijlage.xlsx while the
// calling thread prints the PDFs (two cores, two renderers at the same time). It starts on first
// use and is reused by every later render in the process. It is unref'd while idle, so it never
// keeps a process alive, and ref'd while a job is out, so a process waiting for nothing but the
// workbook does not exit under it.
//
// The dataset and the WorkbookOptions cross the thread boundary by structured clone: they are
// plain data (objects, arrays, strings, numbers, booleans, a Map as the row index), no functions
// or class instances. The workbook comes back as a transferred ArrayBuffer, not copied.

/**
 * The entry of the thread. Compiled (dist/), workbook-worker.js itself; from the sources, a plain
 * .mjs file that registers tsx and loads workbook-worker.ts.
 */
const WORKER_FILE = new URL(import.meta.url.endsWith('.ts') ? './workbook-worker.mjs' : './workbook-worker.js', import.meta.url);

interface Job {
  readonly dataset: Dataset;
  readonly options: WorkbookOptions;
  readonly resolve: (bytes: Buffer) => void;
  readonly reject: (error: unknown) => void;
}

interface Thread {
  readonly worker: Worker;
  /** The jobs handed to the thread and not answered yet, by id. */
  readonly jobs: Map<number, Job>;
  /** Set once the thread has loaded the renderer. */
  ready: boolean;
  /** Set once the thread has stopped or is being closed: it takes no more jobs. */
  stopped: boolean;
}

let current: Thread | undefined;
/** Why worker threads cannot start in this process; set, workbooks are rendered inline. */
let unavailable: string | undefined;
let nextId = 1;

/** Renders the workbook in the calling thread (the inline fallback). */
export async function renderWorkbookInline(dataset: Dataset, options: WorkbookOptions): Promise<Buffer> {
  const { renderWorkbook } = await import('./xlsx/build-workbook.js');
  return renderWorkbook(dataset, options);
}

/** An error from the thread as the calling thread should see it: an AppError keeps its code. */
function fromThreadError(error: WireError): Error {
  const known = fromWireError(error);
  if (known) return known;
  const out = Object.assign(new Error(error.message), { name: error.name });
  if (error.stack) out.stack = error.stack;
  return out;
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'number' ? `exit code ${reason}` : String(reason);
}

/** Holds the process open exactly while the thread has jobs out. */
function updateRef(thread: Thread): void {
  if (thread.jobs.size > 0) thread.worker.ref();
  else thread.worker.unref();
}

/** Worker threads cannot start here: every workbook from now on is rendered inline. */
function markUnavailable(reason: unknown): void {
  if (unavailable !== undefined) return;
  unavailable = describe(reason);
  process.emitWarning(`the workbook thread could not start (${unavailable}); workbooks are rendered in the main thread`, {
    code: 'WORKBOOK_THREAD_UNAVAILABLE',
  });
}

/** The thread stopped (error, exit, unreadable message): its jobs fail, the next job starts a new thread. */
function stopped(thread: Thread, reason: unknown): void {
  if (current === thread) current = undefined;
  if (thread.stopped) return;
  thread.stopped = true;
  const jobs = [...thread.jobs.values()];
  thread.jobs.clear();
  thread.worker.unref();
  // On 'error' and 'messageerror' the thread may still be running: make sure it goes.
  void thread.worker.terminate();
  if (!thread.ready) {
    // It never loaded the renderer: worker threads do not work here. Render these jobs inline.
    markUnavailable(reason);
    for (const job of jobs) renderWorkbookInline(job.dataset, job.options).then(job.resolve, job.reject);
    return;
  }
  const error = new AppError(
    'RENDER_FAILED',
    `the workbook thread stopped in the middle of a render (${describe(reason)}); the next render starts a new one`,
    { cause: reason },
  );
  for (const job of jobs) job.reject(error);
}

function startThread(): Thread {
  // No execArgv of the process: workbook-worker.mjs registers tsx itself, and flags such as
  // `--import tsx` would load the loader twice. V8 flags (--max-old-space-size) apply anyway.
  const worker = new Worker(WORKER_FILE, { execArgv: [], name: 'workbook' });
  const thread: Thread = { worker, jobs: new Map(), ready: false, stopped: false };
  // One set of listeners per thread, for all its jobs; each job is one entry of `jobs`.
  worker.on('message', (reply: WorkbookThreadReply) => {
    if (reply.type === 'ready') {
      thread.ready = true;
      return;
    }
    const job = thread.jobs.get(reply.id);
    if (!job) return;
    thread.jobs.delete(reply.id);
    updateRef(thread);
    if (reply.type === 'done') job.resolve(Buffer.from(reply.bytes));
    else job.reject(fromThreadError(reply.error));
  });
  worker.on('error', (error) => stopped(thread, error));
  worker.on('messageerror', (error) => stopped(thread, error));
  worker.on('exit', (code) => stopped(thread, code));
  // After the listeners: adding a 'message' listener refs the worker's port again.
  worker.unref();
  return thread;
}

/**
 * Renders the workbook (renderWorkbook) in the workbook thread. An AppError thrown there arrives
 * as an AppError with the same code and message; a thread that dies fails its render with
 * RENDER_FAILED and is replaced by the next render. When worker threads cannot start at all, the
 * workbook is rendered inline instead. The job is handed over synchronously: the thread starts on
 * it before this function returns.
 */
export function renderWorkbookInThread(dataset: Dataset, options: WorkbookOptions): Promise<Buffer> {
  const thread = runningThread();
  if (!thread) return renderWorkbookInline(dataset, options);
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    const request: WorkbookThreadRequest = { type: 'render', id, dataset, options };
    try {
      thread.worker.postMessage(request);
    } catch (error) {
      // Not cloneable (a function somewhere in the options): nothing reached the thread.
      reject(new Error(`the workbook job could not be handed to its thread: ${describe(error)}`, { cause: error }));
      return;
    }
    thread.jobs.set(id, { dataset, options, resolve, reject });
    updateRef(thread);
  });
}

/**
 * Starts the workbook thread if it is not running, so that it can load while the caller does other
 * work (renderEdition calls this as a render begins). False when worker threads cannot start here.
 */
export function startWorkbookThread(): boolean {
  return runningThread() !== undefined;
}

/** The workbook thread, started if need be; undefined when worker threads cannot start. */
function runningThread(): Thread | undefined {
  if (unavailable !== undefined) return undefined;
  if (current) return current;
  try {
    current = startThread();
  } catch (error) {
    markUnavailable(error);
    return undefined;
  }
  return current;
}

/** Stops the workbook thread, failing any render still in it; the next render starts a new one. */
export async function closeWorkbookThread(): Promise<void> {
  const thread = current;
  current = undefined;
  unavailable = undefined;
  if (!thread || thread.stopped) return;
  thread.stopped = true;
  const jobs = [...thread.jobs.values()];
  thread.jobs.clear();
  const error = new AppError('RENDER_FAILED', 'the workbook thread was closed in the middle of a render');
  for (const job of jobs) job.reject(error);
  await thread.worker.terminate();
}

/** The running workbook thread, if any (for tests and diagnostics). */
export function workbookThreadState(): { readonly worker: Worker | undefined; readonly ready: boolean; readonly jobs: number } {
  return { worker: current?.worker, ready: current?.ready ?? false, jobs: current?.jobs.size ?? 0 };
}
