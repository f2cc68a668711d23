import { parseArgs } from 'node:util';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderEdition } from '../src/render/render-edition.js';
import type { RenderStep } from '../src/render/types.js';
import { readZip } from '../src/render/xlsx/zip-package.js';
import { loadResources } from '../src/resources.js';
import { createWorkbookPool } from '../src/workbook-pool.js';
import {
  captureRender,
  cloneTree,
  countCells,
  type LibraryTime,
  printWithPdfmake,
  timeLibraryCalls,
  withoutPackageAdditions,
  writeStreamingScript,
} from './lib/capture.js';
import { cpuMs, writeResult } from './lib/child-io.js';
import type { EditionResult, FloorRun, OursRun } from './lib/edition-result.js';
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
// --only ours: our renders alone, all on this thread (for a CPU profile of ours: without the floor's
// samples, and with the workbook's, which the workbook thread would keep out of this profile).
const withFloor = values.only !== 'ours';

const resources = loadResources();
const texts = readExample();
// The workbook thread, as a render child starts it (src/jobs/render-child.ts).
const workbookPool = createWorkbookPool();

// One render with the libraries' entry points wrapped gives the definitions and the workbook (with
// the workbook rendered in this thread, where the hooks are).
const captured = await captureRender(() => renderEdition(parseExampleRequest(texts), resources));
const [publicationDefinition, erratumDefinition] = captured.pdfDefinitions;
const script = captured.streamed[0];
if (!publicationDefinition || !erratumDefinition || !script || captured.streamed.length !== 1) {
  throw new Error(`expected 2 PDFs and 1 streamed workbook, got ${captured.pdfDefinitions.length} and ${captured.streamed.length}`);
}
const artifactBytes = (name: string): Buffer => {
  const found = captured.result.artifacts.find((a) => a.name === name);
  if (!found) throw new Error(`renderEdition made no ${name}`);
  return found.bytes;
};

// The replayed workbook must hold exactly what ours held: compare every part exceljs writes, with
// what our package adds (links, Excel tables, company) taken out of ours.
const oursParts = withoutPackageAdditions(new Map(readZip(artifactBytes('tabellenbijlage.xlsx')).map((e) => [e.name, e.data])));
const replayParts = new Map(readZip(await writeStreamingScript(cloneTree(script))).map((e) => [e.name, e.data.toString('utf8')]));
const differingParts = [...oursParts].filter(([name, text]) => replayParts.get(name) !== text).map(([name]) => name);
if (replayParts.size !== oursParts.size) differingParts.push(`(part count ${replayParts.size} vs ${oursParts.size})`);

/**
 * One edition of ours. 'thread': as it runs in the CLI and the service, the workbook in the
 * workbook thread while this thread prints the PDFs; 'inline': all on this thread, one step after
 * the other (the step split is only meaningful here); 'instrumented': inline with the libraries'
 * entry points timed.
 */
async function runOurs(mode: 'thread' | 'inline' | 'instrumented'): Promise<OursRun> {
  const instrumented = mode === 'instrumented';
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const request = parseExampleRequest(texts);
  const t1 = performance.now();
  const marks: [RenderStep, number][] = [];
  const render = () =>
    renderEdition(request, resources, {
      onStep: (step) => marks.push([step, performance.now()]),
      ...(mode === 'thread' ? { workbookRenderer: workbookPool.render } : {}),
    });
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
  const workbookScript = cloneTree(script as NonNullable<typeof script>);
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const publicationPdf = await printWithPdfmake(publication);
  const t1 = performance.now();
  await writeStreamingScript(workbookScript);
  const t3 = performance.now();
  const erratumPdf = await printWithPdfmake(erratum);
  const t4 = performance.now();
  const cpu = cpuMs() - cpu0;
  pdfBytesChecked ??= publicationPdf.equals(artifactBytes('publicatie.pdf')) && erratumPdf.equals(artifactBytes('erratum.pdf'));
  return { publicationPdf: t1 - t0, workbook: t3 - t1, erratumPdf: t4 - t3, total: t4 - t0, cpu };
}

for (let i = 0; i < warmup; i++) {
  if (withFloor) await runOurs('thread');
  await runOurs('inline');
  if (withFloor) await runFloor();
}
const ours: OursRun[] = [];
const inline: OursRun[] = [];
const floor: FloorRun[] = [];
for (let i = 0; i < runs; i++) {
  // Rotate the order so that no side always runs right after another's garbage. No forced GC
  // before a run: a full GC shrinks the heap and the next render pays ~30% more to grow it again.
  const order = withFloor
    ? [
        async () => ours.push(await runOurs('thread')),
        async () => inline.push(await runOurs('inline')),
        async () => floor.push(await runFloor()),
      ]
    : [async () => inline.push(await runOurs('inline'))];
  for (let k = 0; k < order.length; k++) await order[(i + k) % order.length]?.();
}

// A few more runs of ours with the libraries' entry points timed: how much of each step is theirs.
const instrumented: OursRun[] = [];
if (withFloor) for (let i = 0; i < Math.min(3, runs); i++) instrumented.push(await runOurs('instrumented'));

const result: EditionResult = {
  runs,
  instrumented,
  warmup,
  ours,
  inline,
  floor,
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
};
writeResult(result);
await workbookPool.close();
