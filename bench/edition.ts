import { parseArgs } from 'node:util';
import type ExcelJS from 'exceljs';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderEdition } from '../src/render/render-edition.js';
import type { RenderStep } from '../src/render/types.js';
import { readZip } from '../src/render/xlsx/zip-package.js';
import { loadResources } from '../src/resources.js';
import {
  buildFromScript,
  captureRender,
  cloneTree,
  countCells,
  type LibraryTime,
  printWithPdfmake,
  timeLibraryCalls,
  toWorkbookScript,
} from './lib/capture.js';
import { cpuMs, writeResult } from './lib/child-io.js';
import { parseExampleRequest, readExample } from './lib/example.js';

// Figure 1: the full edition of the 2019 example, warm, in one process, against its floor measured
// side by side: pdfmake printing the very same definitions and exceljs building and writing the
// very same workbook, with nothing of ours around them.
// Run: node --import tsx bench/edition.ts [--runs 8] [--warmup 3]

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '8' }, warmup: { type: 'string', default: '3' }, only: { type: 'string', default: 'both' } },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
// --only ours: our renders alone (for a CPU profile of ours without the floor's samples in it).
const withFloor = values.only !== 'ours';

const resources = loadResources();
const texts = readExample();

// One render with the libraries' entry points wrapped gives the definitions and the workbook.
const captured = await captureRender(() => renderEdition(parseExampleRequest(texts), resources));
const [publicationDefinition, erratumDefinition] = captured.pdfDefinitions;
const written = captured.workbooks[0];
if (!publicationDefinition || !erratumDefinition || !written || captured.workbooks.length !== 1) {
  throw new Error(`expected 2 PDFs and 1 workbook, got ${captured.pdfDefinitions.length} and ${captured.workbooks.length}`);
}
const script = toWorkbookScript(written.workbook);
const artifactBytes = (name: string): Buffer => {
  const found = captured.result.artifacts.find((a) => a.name === name);
  if (!found) throw new Error(`renderEdition made no ${name}`);
  return found.bytes;
};

// The replayed workbook must hold exactly what ours held: compare every part exceljs writes.
const replayRaw = Buffer.from(await buildFromScript(cloneTree(script)).xlsx.writeBuffer(written.options as ExcelJS.XlsxWriteOptions));
const originalParts = readZip(written.bytes);
const replayParts = new Map(readZip(replayRaw).map((e) => [e.name, e.data]));
const differingParts = originalParts.filter((e) => !replayParts.get(e.name)?.equals(e.data)).map((e) => e.name);
if (replayParts.size !== originalParts.length) differingParts.push(`(part count ${replayParts.size} vs ${originalParts.length})`);

interface OursRun {
  parse: number;
  render: number;
  total: number;
  cpu: number;
  steps: Partial<Record<RenderStep, number>>;
  /** Time inside pdfmake (createPdf → getBuffer) and exceljs's writeBuffer, on instrumented runs only. */
  library?: LibraryTime;
}
interface FloorRun {
  publicationPdf: number;
  workbookBuild: number;
  workbookWrite: number;
  erratumPdf: number;
  total: number;
  cpu: number;
}

async function runOurs(instrumented = false): Promise<OursRun> {
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const request = parseExampleRequest(texts);
  const t1 = performance.now();
  const marks: [RenderStep, number][] = [];
  const render = () => renderEdition(request, resources, { onStep: (step) => marks.push([step, performance.now()]) });
  let library: LibraryTime | undefined;
  if (instrumented) library = (await timeLibraryCalls(render)).time;
  else await render();
  const t2 = performance.now();
  const steps: Partial<Record<RenderStep, number>> = {};
  marks.forEach(([step, at], i) => {
    steps[step] = (marks[i + 1]?.[1] ?? t2) - at;
  });
  return { parse: t1 - t0, render: t2 - t1, total: t2 - t0, cpu: cpuMs() - cpu0, steps, ...(library ? { library } : {}) };
}

let pdfBytesChecked: boolean | undefined;

async function runFloor(): Promise<FloorRun> {
  // Copies are made before the clock starts: pdfmake changes the definition it prints.
  const publication: TDocumentDefinitions = cloneTree(publicationDefinition as TDocumentDefinitions);
  const erratum: TDocumentDefinitions = cloneTree(erratumDefinition as TDocumentDefinitions);
  const workbookScript = cloneTree(script);
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const publicationPdf = await printWithPdfmake(publication);
  const t1 = performance.now();
  const workbook = buildFromScript(workbookScript);
  const t2 = performance.now();
  await workbook.xlsx.writeBuffer();
  const t3 = performance.now();
  const erratumPdf = await printWithPdfmake(erratum);
  const t4 = performance.now();
  const cpu = cpuMs() - cpu0;
  pdfBytesChecked ??= publicationPdf.equals(artifactBytes('publicatie.pdf')) && erratumPdf.equals(artifactBytes('erratum.pdf'));
  return { publicationPdf: t1 - t0, workbookBuild: t2 - t1, workbookWrite: t3 - t2, erratumPdf: t4 - t3, total: t4 - t0, cpu };
}

for (let i = 0; i < warmup; i++) {
  await runOurs();
  if (withFloor) await runFloor();
}
const ours: OursRun[] = [];
const floor: FloorRun[] = [];
const repack: number[] = [];
for (let i = 0; i < runs; i++) {
  // Alternate the order so that neither side always runs right after the other's garbage. No forced
  // GC before a run: a full GC shrinks the heap and the next render pays ~30% more to grow it again.
  if (!withFloor) {
    ours.push(await runOurs());
  } else if (i % 2 === 0) {
    ours.push(await runOurs());
    floor.push(await runFloor());
  } else {
    floor.push(await runFloor());
    ours.push(await runOurs());
  }
}

// A few more runs of ours with the libraries' entry points timed: how much of each step is theirs.
const instrumented: OursRun[] = [];
for (let i = 0; i < Math.min(3, runs); i++) instrumented.push(await runOurs(true));

writeResult({
  runs,
  instrumented,
  warmup,
  ours,
  floor,
  repack,
  checks: {
    pdfBytesIdentical: pdfBytesChecked === true,
    workbookReplayIdentical: differingParts.length === 0,
    workbookReplayDifferingParts: differingParts,
  },
  sizes: {
    publicationPdf: artifactBytes('publicatie.pdf').length,
    workbook: artifactBytes('tabellenbijlage.xlsx').length,
    erratumPdf: artifactBytes('erratum.pdf').length,
    workbookCells: countCells(script),
    workbookSheets: script.sheets.length,
  },
});
