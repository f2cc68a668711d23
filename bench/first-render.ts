import { parseArgs } from 'node:util';
import { writeResult } from './lib/child-io.js';

// Figure 2 (breakdown): the first render in a fresh process, where nothing is compiled or cached yet.
//   --mode ours:  import the renderer, load resources, parse and render the full edition once, as
//                 the CLI does (workbook inline: src/cli.ts).
//   --mode floor: build the definitions and the workbook with our code while keeping pdfmake cold
//                 (a dry capture), then time the first print and workbook write. exceljs's streaming
//                 writer is not cold: our render streams its rows through it during the capture, so
//                 the floor's first write is a little warm and the ratio to it errs against us.
// Run: node --import tsx bench/first-render.ts --mode ours|floor

const { values } = parseArgs({ options: { mode: { type: 'string', default: 'ours' } } });
const startedAt = performance.now(); // ms since the process started: node, tsx and this file

if (values.mode === 'ours') {
  const t0 = performance.now();
  const { renderEdition } = await import('../src/render/render-edition.js');
  const { loadResources } = await import('../src/resources.js');
  const { parseExampleRequest, readExample } = await import('./lib/example.js');
  const t1 = performance.now();
  const resources = loadResources();
  const texts = readExample();
  const t2 = performance.now();
  await renderEdition(parseExampleRequest(texts), resources);
  const t3 = performance.now();
  await renderEdition(parseExampleRequest(texts), resources);
  const t4 = performance.now();
  writeResult({ mode: 'ours', startedAt, importMs: t1 - t0, resourcesMs: t2 - t1, firstRenderMs: t3 - t2, secondRenderMs: t4 - t3 });
} else if (values.mode === 'floor') {
  const t0 = performance.now();
  await import('pdfmake');
  await import('exceljs');
  const t1 = performance.now();
  const { renderEdition } = await import('../src/render/render-edition.js');
  const { loadResources } = await import('../src/resources.js');
  const { parseExampleRequest, readExample } = await import('./lib/example.js');
  const { captureRender, cloneTree, printWithPdfmake, writeStreamingScript } = await import('./lib/capture.js');
  const resources = loadResources();
  const captured = await captureRender(() => renderEdition(parseExampleRequest(readExample()), resources), {
    dry: true,
  });
  const [publication, erratum] = captured.pdfDefinitions.map((d) => cloneTree(d));
  const workbook = captured.streamed[0];
  if (!publication || !erratum || !workbook) throw new Error('the dry capture found no definitions or workbook');
  const script = cloneTree(workbook);
  const t2 = performance.now();
  await printWithPdfmake(publication);
  await writeStreamingScript(script);
  await printWithPdfmake(erratum);
  const t3 = performance.now();
  writeResult({ mode: 'floor', startedAt, libraryImportMs: t1 - t0, firstFloorMs: t3 - t2 });
} else {
  throw new Error(`unknown --mode ${values.mode}`);
}
