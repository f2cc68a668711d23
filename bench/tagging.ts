import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { printPdf } from '../src/render/pdf/print-pdf.js';
import { renderEdition } from '../src/render/render-edition.js';
import { loadResources } from '../src/resources.js';
import { captureRender, cloneTree } from './lib/capture.js';
import { parseExampleRequest, readExample } from './lib/example.js';
import { ratios, summarize } from './lib/stats.js';

/*
 * What tagging (PDF/UA-1, src/render/pdf/tagging) costs in the PDF step: the two definitions of
 * the 2019 corrected edition (publicatie.pdf and erratum.pdf), printed tagged and untagged in
 * turn in one process, so both see the same load. `npx tsx bench/tagging.ts [runs]`.
 */

const runs = Number(process.argv[2] ?? 15);
const resources = loadResources();
const captured = await captureRender(() => renderEdition(parseExampleRequest(readExample()), resources));
const definitions = captured.pdfDefinitions;
if (definitions.length !== 2) throw new Error(`expected 2 PDF definitions, got ${definitions.length}`);

/** The definitions as printed before tagging: no PDF/UA options. */
const untagged = definitions.map((d) => {
  const { version: _v, subset: _s, tagged: _t, displayTitle: _d, ...rest } = d;
  return rest as TDocumentDefinitions;
});

/** Wall time and CPU time of this process (the machine is shared: CPU time varies less with its load). */
async function printAll(list: readonly TDocumentDefinitions[], tagged: boolean): Promise<{ ms: number; cpu: number; bytes: number }> {
  const copies = list.map((d) => cloneTree(d));
  const cpu = process.cpuUsage();
  const start = performance.now();
  let bytes = 0;
  for (const d of copies) bytes += (await printPdf(d, resources, { tagged })).length;
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpu: (used.user + used.system) / 1000, bytes };
}

for (let i = 0; i < 3; i++) {
  await printAll(definitions, true);
  await printAll(untagged, false);
}
const tagged: number[] = [];
const plain: number[] = [];
const taggedCpu: number[] = [];
const plainCpu: number[] = [];
let sizes = { tagged: 0, plain: 0 };
for (let i = 0; i < runs; i++) {
  // Alternate which goes first, so drift in the machine's load falls on both.
  const order = i % 2 === 0 ? [true, false] : [false, true];
  for (const t of order) {
    const r = await printAll(t ? definitions : untagged, t);
    (t ? tagged : plain).push(r.ms);
    (t ? taggedCpu : plainCpu).push(r.cpu);
    sizes = t ? { ...sizes, tagged: r.bytes } : { ...sizes, plain: r.bytes };
  }
}
const t = summarize(tagged);
const p = summarize(plain);
const r = summarize(ratios(tagged, plain));
const tc = summarize(taggedCpu);
const pc = summarize(plainCpu);
const rc = summarize(ratios(taggedCpu, plainCpu));
const ms = (x: number) => x.toFixed(0).padStart(5);
console.log(`PDF step of the 2019 corrected edition (publicatie.pdf + erratum.pdf), ${runs} runs each`);
console.log(`untagged  median ${ms(p.median)} ms (min ${ms(p.min)}, max ${ms(p.max)})  ${sizes.plain} bytes`);
console.log(`tagged    median ${ms(t.median)} ms (min ${ms(t.min)}, max ${ms(t.max)})  ${sizes.tagged} bytes`);
console.log(`tagged / untagged per run: median ${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)})`);
console.log(
  `CPU time: untagged median ${ms(pc.median)} ms, tagged ${ms(tc.median)} ms; ratio per run median ${rc.median.toFixed(3)} (min ${rc.min.toFixed(3)}, max ${rc.max.toFixed(3)})`,
);
