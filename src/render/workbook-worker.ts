import { parentPort } from 'node:worker_threads';
import { toWireError, type WireError } from '../error-wire.js';
import type { Dataset } from '../model/dataset.js';
import { renderWorkbook, type WorkbookOptions } from './xlsx/build-workbook.js';

// The workbook thread: renders tabellenbijlage.xlsx with renderWorkbook for the thread that started
// it (workbook-thread.ts), so that the main thread can print the PDFs at the same time. Loaded
// through workbook-worker.mjs, which registers tsx first.

/** A job for the workbook thread. The dataset and options arrive by structured clone. */
export interface WorkbookThreadRequest {
  readonly type: 'render';
  readonly id: number;
  readonly dataset: Dataset;
  readonly options: WorkbookOptions;
}

/** Messages from the workbook thread: `ready` once when loaded, then one `done` or `failed` per job. */
export type WorkbookThreadReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly bytes: ArrayBuffer }
  | { readonly type: 'failed'; readonly id: number; readonly error: WireError };

/** The bytes as an ArrayBuffer of their own, which can be transferred instead of copied. */
function ownArrayBuffer(bytes: Buffer): ArrayBuffer {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  // A view into a larger (possibly pooled) buffer: copy out just these bytes, once.
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}

const port = parentPort;
if (!port) throw new Error('workbook-worker.ts runs in a worker thread (see workbook-thread.ts)');

async function renderJob({ id, dataset, options }: WorkbookThreadRequest): Promise<void> {
  let reply: WorkbookThreadReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const bytes = ownArrayBuffer(await renderWorkbook(dataset, options));
    reply = { type: 'done', id, bytes };
    transfer = [bytes];
  } catch (error) {
    reply = { type: 'failed', id, error: toWireError(error) };
  }
  port?.postMessage(reply, transfer);
}

port.on('message', (message: WorkbookThreadRequest) => {
  if (message?.type === 'render') void renderJob(message);
});
port.postMessage({ type: 'ready' } satisfies WorkbookThreadReply);
