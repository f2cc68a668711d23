import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { fromWireError, type WireError } from './error-wire.js';
import { AppError } from './errors.js';
import type { Dataset } from './model/dataset.js';
import type { WorkbookRenderer } from './render/render-edition.js';
import type { WorkbookOptions } from './render/xlsx/build-workbook.js';

// The workbook thread of a composition root (the CLI, a render child): a piscina pool of one worker
// thread that renders tabellenbijlage.xlsx while the calling thread prints the PDFs (two cores, two
// renderers at the same time). renderEdition receives its `render` as the workbook renderer; the
// render code itself owns no thread. The thread starts with the pool, so it loads the workbook
// writer while the caller does other work, and is reused by every later render; piscina keeps it
// unref'd while idle and starts a new one when it dies.
//
// The dataset and the WorkbookOptions cross the thread boundary by structured clone: they are plain
// data (objects, arrays, strings, numbers, booleans, a Map as the row index), no functions or class
// instances. renderEdition hands over only the publication's own table models (defaultTables): the
// thread builds the default views, most of the workbook, rather than receive a copy of them. The
// workbook comes back as a transferred ArrayBuffer, not copied.

/** One workbook to render in the thread. */
export interface WorkbookTask {
  readonly dataset: Dataset;
  readonly options: WorkbookOptions;
}

/** What the thread answers: the workbook, or the error of the render in its wire form (structured clone would lose an AppError's code). */
export type WorkbookTaskResult = ArrayBuffer | { readonly error: WireError };

/** An error from the thread as the calling thread should see it: an AppError keeps its code. */
function fromThreadError(error: WireError): Error {
  const known = fromWireError(error);
  if (known) return known;
  const out = Object.assign(new Error(error.message), { name: error.name });
  if (error.stack) out.stack = error.stack;
  return out;
}

/**
 * The entry of the thread. Compiled (dist/), workbook-pool-worker.js itself; from the sources, a
 * plain .mjs file that registers tsx and loads workbook-pool-worker.ts.
 */
const WORKER_FILE = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './workbook-pool-worker.mjs' : './workbook-pool-worker.js', import.meta.url),
);

/** A workbook thread and the renderer that hands workbooks to it. */
export interface WorkbookPool {
  /**
   * Renders the workbook (renderWorkbook) in the thread. An AppError thrown there arrives as an
   * AppError with the same code and message; a thread that dies fails its render with RENDER_FAILED,
   * and piscina starts a new one for the next.
   */
  readonly render: WorkbookRenderer;
  /** The pool itself (for tests and diagnostics). */
  readonly piscina: Piscina<WorkbookTask, WorkbookTaskResult>;
  /** Stops the thread; a render still in it fails. */
  close(): Promise<void>;
}

/** Starts the workbook thread. */
export function createWorkbookPool(): WorkbookPool {
  // No execArgv of the process: workbook-pool-worker.mjs registers tsx itself, and flags such as
  // `--import tsx` would load the loader twice. V8 flags (--max-old-space-size) apply anyway.
  // 'async' atomics: the thread's event loop is never blocked waiting for the next task.
  const piscina = new Piscina<WorkbookTask, WorkbookTaskResult>({
    filename: WORKER_FILE,
    minThreads: 1,
    maxThreads: 1,
    execArgv: [],
    atomics: 'async',
  });
  const render: WorkbookRenderer = async (dataset, options) => {
    let result: WorkbookTaskResult;
    try {
      result = await piscina.run({ dataset, options });
    } catch (error) {
      throw new AppError(
        'RENDER_FAILED',
        `the workbook thread stopped in the middle of a render (${error instanceof Error ? error.message : String(error)}); the next render starts a new one`,
        { cause: error },
      );
    }
    if (result instanceof ArrayBuffer) return Buffer.from(result);
    throw fromThreadError(result.error);
  };
  return { render, piscina, close: () => piscina.destroy() };
}
