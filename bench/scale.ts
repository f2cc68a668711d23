import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDataset } from '../src/model/dataset.js';
import { renderEdition } from '../src/render/render-edition.js';
import { defaultWorkbookTables, renderWorkbook } from '../src/render/xlsx/build-workbook.js';
import { loadResources } from '../src/resources.js';
import { captureRender } from './lib/capture.js';
import { collectGarbage, peakRssMiB, resetPeakRss, rssMiB, writeResult } from './lib/child-io.js';
import { CUBE_SIZES, type CubeShape, cubeRows, generateCubeDataset, generateEditionWithCube } from './lib/cube.js';
import { writeReferenceWorkbook } from './lib/reference-workbook.js';

// Figure 3: the tabellenbijlage of a generated cube, one size and one writer per fresh process.
//   --variant ours:   parseDataset, defaultWorkbookTables, renderWorkbook (what renderEdition does for the xlsx)
//   --variant memory: plain exceljs, in-memory workbook, the same two big sheets (lib/reference-workbook.ts)
//   --variant stream: plain exceljs streaming writer (WorkbookWriter to a file), the same two sheets
//   --variant edition: the whole 2019 edition with its cube grown to the size (renderEdition as the
//                      CLI runs it): does the PDF stay the publication's, and what does the edition cost
// A 1× render of the same variant runs first as warm-up; the peak RSS is reset after it where Linux allows.
// Run: node --expose-gc --import tsx bench/scale.ts --size 1x|10x|100x --variant ours|memory|stream

const { values } = parseArgs({ options: { size: { type: 'string', default: '1x' }, variant: { type: 'string', default: 'ours' } } });
const shape = CUBE_SIZES[values.size ?? ''];
if (!shape) throw new Error(`unknown --size ${values.size}; one of ${Object.keys(CUBE_SIZES).join(', ')}`);
const variant = values.variant ?? 'ours';
const scratch = mkdtempSync(path.join(tmpdir(), 'bench-scale-'));

interface Measured {
  readonly generateMs: number;
  readonly parseMs: number;
  readonly writeMs: number;
  readonly modelsMs?: number;
  readonly bytes: number;
  readonly cells: number;
  readonly inputRssMiB: number;
  readonly peakRssMiB: number;
  /** For ours: true when no in-memory workbook was written with writeBuffer and the streaming writer wrote the rows. */
  readonly streams?: boolean;
  /** For the edition: the publication PDF's pages and bytes. */
  readonly pdfPages?: number;
  readonly pdfBytes?: number;
}

/** The number of pages of a PDF (its page objects). */
function countPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
}

const resources = variant === 'edition' ? loadResources() : undefined;

async function measureEdition(cube: CubeShape): Promise<Measured> {
  const t0 = performance.now();
  const raw = generateEditionWithCube(cube);
  const t1 = performance.now();
  const dataset = parseDataset(raw, 'edition');
  const t2 = performance.now();
  const inputRssMiB = rssMiB();
  const result = await renderEdition({ dataset }, resources as NonNullable<typeof resources>);
  const t3 = performance.now();
  const pdf = result.artifacts.find((a) => a.name === 'publicatie.pdf')?.bytes ?? Buffer.alloc(0);
  const workbook = result.artifacts.find((a) => a.name === 'tabellenbijlage.xlsx')?.bytes ?? Buffer.alloc(0);
  return {
    generateMs: t1 - t0,
    parseMs: t2 - t1,
    writeMs: t3 - t2,
    bytes: workbook.length,
    cells: 0,
    inputRssMiB,
    peakRssMiB: peakRssMiB(),
    pdfPages: countPages(pdf),
    pdfBytes: pdf.length,
  };
}

async function measure(cube: CubeShape, count: boolean): Promise<Measured> {
  if (variant === 'edition') return measureEdition(cube);
  const t0 = performance.now();
  const raw = generateCubeDataset(cube);
  const t1 = performance.now();
  const dataset = parseDataset(raw, 'cube');
  const t2 = performance.now();
  // No forced GC here: it would shrink the heap and slow the render that follows.
  const inputRssMiB = rssMiB();
  if (variant === 'ours') {
    const t3 = performance.now();
    const models = defaultWorkbookTables(dataset);
    const t4 = performance.now();
    // Counting only: the rows exceljs's streaming writer serialises are counted, not copied.
    const captured = await captureRender(() => renderWorkbook(dataset, { tables: models, edition: 1 }), { countOnly: true });
    const t5 = performance.now();
    const peak = peakRssMiB();
    const cells = count ? captured.streamedCells : 0;
    return {
      generateMs: t1 - t0,
      parseMs: t2 - t1,
      modelsMs: t4 - t3,
      writeMs: t5 - t3,
      bytes: captured.result.length,
      cells,
      inputRssMiB,
      peakRssMiB: peak,
      // Streams: nothing went through exceljs's in-memory writeBuffer, the rows through its streaming writer.
      streams: captured.workbooks.length === 0 && captured.streamedCells > 0,
    };
  }
  if (variant !== 'memory' && variant !== 'stream') throw new Error(`unknown --variant ${variant}`);
  const t3 = performance.now();
  const result = await writeReferenceWorkbook(
    dataset,
    variant === 'memory' ? { kind: 'memory' } : { kind: 'stream', file: path.join(scratch, 'reference.xlsx') },
  );
  const t4 = performance.now();
  return {
    generateMs: t1 - t0,
    parseMs: t2 - t1,
    writeMs: t4 - t3,
    bytes: result.bytes,
    cells: result.cells,
    inputRssMiB,
    peakRssMiB: peakRssMiB(),
  };
}

try {
  const warm = CUBE_SIZES['1x'] as CubeShape;
  await measure(warm, false);
  collectGarbage();
  const peakReset = resetPeakRss();
  const result = await measure(shape, true);
  writeResult({ size: values.size, variant, rows: cubeRows(shape), shape, peakReset, ...result });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
