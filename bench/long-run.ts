import { parseArgs } from 'node:util';
import { renderEdition } from '../src/render/render-edition.js';
import { loadResources } from '../src/resources.js';
import { collectGarbage, writeResult } from './lib/child-io.js';
import { parseExampleRequest, readExample } from './lib/example.js';

// Figure 5: many renders in one process, as a render child does them (parse both datasets, render
// the full edition, drop the result). Memory is sampled after a full GC at the start (after the
// warm-up), every --every renders and at the end.
// Run: node --expose-gc --import tsx bench/long-run.ts [--renders 200] [--warmup 3] [--every 25]

const { values } = parseArgs({
  options: {
    renders: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '3' },
    every: { type: 'string', default: '25' },
  },
});
const renders = Number(values.renders);
const warmup = Number(values.warmup);
const every = Number(values.every);
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('run with node --expose-gc');

const resources = loadResources();
const texts = readExample();

interface Sample {
  readonly renders: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
}

function sample(done: number): Sample {
  collectGarbage();
  const m = process.memoryUsage();
  const mib = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return {
    renders: done,
    rssMiB: mib(m.rss),
    heapUsedMiB: mib(m.heapUsed),
    heapTotalMiB: mib(m.heapTotal),
    externalMiB: mib(m.external),
    arrayBuffersMiB: mib(m.arrayBuffers),
  };
}

async function renderOnce(): Promise<number> {
  const t0 = performance.now();
  const result = await renderEdition(parseExampleRequest(texts), resources);
  if (result.artifacts.length !== 3) throw new Error(`expected 3 artifacts, got ${result.artifacts.length}`);
  return performance.now() - t0;
}

for (let i = 0; i < warmup; i++) await renderOnce();
const samples: Sample[] = [sample(0)];
const times: number[] = [];
for (let i = 1; i <= renders; i++) {
  times.push(await renderOnce());
  if (i % every === 0 || i === renders) samples.push(sample(i));
}
writeResult({ renders, warmup, every, times, samples });
