import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { nodeTsArgs, runMeasured } from './lib/processes.js';

// `npx tsx bench/import.ts [--observations 100000] [--runs 3]`: makes a StatLine open data v4
// download of that many observations (regions × categories × periods × 5 measures, "." and blank
// among them) in a temporary folder, and times `npm run import` on it as a fresh process each run:
// wall time and peak RSS (GNU time, else polled VmHWM). Prints one line per run and the median.

const { values } = parseArgs({ options: { observations: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } });
const wanted = Number(values.observations);
const runs = Number(values.runs);
const MEASURES = 5;
const ctx = 'https://datasets.cbs.nl/odata/v1/CBS/BENCH/$metadata#';

function write(dir: string, name: string, value: unknown): void {
  writeFileSync(path.join(dir, name), JSON.stringify(value));
}

/** A v4 download with `observations` observations, as one Observations.json (the API's form). */
function makeDownload(dir: string, observations: number): number {
  const combos = Math.ceil(observations / MEASURES);
  const regions = Array.from({ length: 50 }, (_, i) => `VT${String(i + 1).padStart(2, '0')}`);
  const periods = Array.from({ length: 20 }, (_, i) => `${2004 + i}JJ00`);
  const categories = Array.from(
    { length: Math.ceil(combos / (regions.length * periods.length)) },
    (_, i) => `A${String(i).padStart(3, '0')}`,
  );
  write(dir, 'Properties.json', {
    '@odata.context': `${ctx}Properties`,
    Identifier: 'BENCH',
    Title: 'Benchmarktabel',
    Description: 'Gemaakte cijfers.',
    Modified: '2024-04-24T02:00:00',
  });
  write(dir, 'Dimensions.json', {
    '@odata.context': `${ctx}Dimensions`,
    value: [
      { Identifier: 'Categorie', Title: 'Categorie', Kind: 'Dimension' },
      { Identifier: 'RegioS', Title: "Regio's", Kind: 'GeoDimension' },
      { Identifier: 'Perioden', Title: 'Perioden', Kind: 'TimeDimension' },
    ],
  });
  const codes = (keys: string[], extra: Record<string, unknown> = {}) => ({
    value: keys.map((k, i) => ({ Identifier: k, Index: i + 1, Title: `Code ${k}`, ...extra })),
  });
  write(dir, 'CategorieCodes.json', codes(categories));
  write(dir, 'RegioSCodes.json', codes(regions));
  write(dir, 'PeriodenCodes.json', codes(periods, { Status: 'Definitief' }));
  write(dir, 'MeasureCodes.json', {
    value: Array.from({ length: MEASURES }, (_, i) => ({
      Identifier: `M00${i}`,
      Title: `Onderwerp ${i}`,
      Unit: 'aantal',
      Decimals: 0,
      Description: '',
    })),
  });
  const lines: string[] = [];
  let id = 0;
  outer: for (const c of categories) {
    for (const r of regions) {
      for (const p of periods) {
        for (let m = 0; m < MEASURES; m++) {
          if (id >= combos * MEASURES) break outer;
          const attribute = id % 97 === 0 ? 'Missing' : id % 101 === 0 ? 'Impossible' : 'None';
          const value = attribute === 'None' ? (id * 7) % 10_000 : null;
          lines.push(
            JSON.stringify({
              Id: id++,
              Measure: `M00${m}`,
              ValueAttribute: attribute,
              Value: value,
              StringValue: null,
              Categorie: c,
              RegioS: r,
              Perioden: p,
            }),
          );
        }
      }
    }
  }
  writeFileSync(path.join(dir, 'Observations.json'), `{"@odata.context":"${ctx}Observations","value":[${lines.join(',')}]}`);
  return id;
}

const work = mkdtempSync(path.join(tmpdir(), 'bench-import-'));
try {
  const source = path.join(work, 'download');
  mkdirSync(source);
  const count = makeDownload(source, wanted);
  const size = statSync(path.join(source, 'Observations.json')).size;
  console.log(`v4 download: ${count} observations, Observations.json ${(size / 2 ** 20).toFixed(1)} MiB`);
  const results: { wallMs: number; peakRssMiB: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const out = path.join(work, `dataset-${i}.json`);
    const run = await runMeasured(process.execPath, nodeTsArgs('src/cli-import.ts', [source, '--out', out]));
    if (run.code !== 0) throw new Error(`import failed: ${run.stderr}`);
    results.push(run);
    console.log(`run ${i + 1}: ${(run.wallMs / 1000).toFixed(2)} s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `median of ${runs}: ${(median(results.map((r) => r.wallMs)) / 1000).toFixed(2)} s, peak RSS ${median(results.map((r) => r.peakRssMiB)).toFixed(0)} MiB`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
