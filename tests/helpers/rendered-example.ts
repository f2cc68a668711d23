import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

// The corrected 2019 edition, rendered once per test run by the compiled render command (in
// tests/global-setup.ts, for the `process` project) and read by the tests that need that render:
// the command's own test and the workbook thread's comparison with the inline render. Rendering
// it in each of them cost a full render per file (issue 20 point 6).

/** What the render command did for the corrected 2019 edition, and the folder it wrote. */
export interface RenderedExample {
  /** The folder the command wrote: publicatie.pdf, tabellenbijlage.xlsx, erratum.pdf, sjablonen.json. */
  readonly dir: string;
  /** The files and date it was given (--dataset, --previous, --erratum-date, --erratum-text). */
  readonly inputs: { readonly dataset: string; readonly previous: string; readonly erratumDate: string; readonly erratumText: string };
  /** Its exit code and output. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    renderedExample: RenderedExample;
  }
}

/** The shared render of the corrected 2019 edition (made by tests/global-setup.ts). */
export function renderedExample(): RenderedExample {
  const rendered = inject('renderedExample');
  if (!rendered) throw new Error('the 2019 example was not rendered: run this file in the `process` project (tests/global-setup.ts)');
  return rendered;
}

/** One file of the shared render, e.g. "tabellenbijlage.xlsx". */
export function renderedExampleFile(name: string): Buffer {
  return readFileSync(path.join(renderedExample().dir, name));
}
