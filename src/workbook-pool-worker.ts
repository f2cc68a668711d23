import { Piscina } from 'piscina';
import { renderWorkbook } from './render/xlsx/build-workbook.js';
import { toWireError } from './error-wire.js';
import type { WorkbookTask, WorkbookTaskResult } from './workbook-pool.js';

// The workbook thread's task (see workbook-pool.ts): renders tabellenbijlage.xlsx with renderWorkbook
// for the thread that started it, so that it can print the PDFs at the same time.

/** The bytes as an ArrayBuffer of their own, which can be transferred instead of copied. */
function ownArrayBuffer(bytes: Buffer): ArrayBuffer {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  // A view into a larger (possibly pooled) buffer: copy out just these bytes, once.
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}

export default async function renderWorkbookTask({ dataset, options }: WorkbookTask): Promise<WorkbookTaskResult> {
  try {
    // Moved (transferred), not copied.
    return Piscina.move(ownArrayBuffer(await renderWorkbook(dataset, options))) as ArrayBuffer;
  } catch (error) {
    return { error: toWireError(error) };
  }
}
