import type { RenderStep } from '../../src/render/types.js';
import type { LibraryTime } from './capture.js';

/** What figure 1 (bench/edition.ts) measures and bench/run.ts reports. */

/** One edition of ours. */
export interface OursRun {
  parse: number;
  render: number;
  total: number;
  cpu: number;
  steps: Partial<Record<RenderStep, number>>;
  /** Time inside pdfmake (createPdf → getBuffer) and exceljs's writer, on instrumented runs only. */
  library?: LibraryTime;
}

/** One run of the floor: the libraries alone making the same files. */
export interface FloorRun {
  publicationPdf: number;
  /** exceljs's streaming writer making the same workbook: cells, rows, commit (build and write interleave). */
  workbook: number;
  erratumPdf: number;
  total: number;
  cpu: number;
}

/** The result bench/edition.ts writes. */
export interface EditionResult {
  runs: number;
  warmup: number;
  /** As the service runs it: the workbook in the workbook thread. */
  ours: OursRun[];
  /** Everything on one thread, one step after the other. */
  inline: OursRun[];
  instrumented: OursRun[];
  floor: FloorRun[];
  checks: { pdfBytesIdentical: boolean; workbookReplayIdentical: boolean; workbookReplayDifferingParts: string[] };
  sizes: Record<string, number>;
}
