import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { checkWithTemplates } from '../src/checks/index.js';
import { parseDataset } from '../src/model/dataset.js';
import { renderEdition } from '../src/render/render-edition.js';
import { loadResources } from '../src/resources.js';
import { collectGarbage, cpuMs, writeResult } from './lib/child-io.js';
import { CUBE_SIZES, cubeRows, generateEditionWithCube } from './lib/cube.js';
import { parseExampleRequest, readExample } from './lib/example.js';

// Figure 6: the checks before publishing (src/checks) against a render. On the 2019 example: the
// checks of the corrected edition against the first (all rules, template facts and the correction
// check with its dataset diff), and the full render of the same edition on one thread. On the 2019
// edition with its cube grown to 100× (100 800 rows × 5 measures): the checks alone.
// Run: node --import tsx bench/checks.ts [--runs 10] [--warmup 3]

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, warmup: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const warmup = Number(values.warmup);

const resources = loadResources();
const request = parseExampleRequest(readExample());
/** Wall and CPU time of one call (on a shared machine the CPU time is the steadier figure). */
const time = (f: () => unknown): { wall: number; cpu: number } => {
  const cpu = cpuMs();
  const start = performance.now();
  f();
  return { wall: performance.now() - start, cpu: cpuMs() - cpu };
};

const checkOnce = () => checkWithTemplates(request.dataset, resources.templates, request.previous ? { compare: request.previous } : {});
const first = checkOnce();
if (first.errors + first.warnings !== 0) throw new Error(`the example does not pass its checks: ${first.findings[0]?.message}`);
const items = first.rules.reduce((n, r) => n + r.items, 0);

// The checks and the renders in separate loops: a render between two checks would leave its
// garbage to be collected during the next check.
const exampleChecks: { wall: number; cpu: number }[] = [];
for (let i = 0; i < warmup + runs; i++) {
  collectGarbage();
  const ms = time(checkOnce);
  if (i >= warmup) exampleChecks.push(ms);
}
const exampleRenders: { wall: number; cpu: number }[] = [];
for (let i = 0; i < warmup + runs; i++) {
  collectGarbage();
  const cpu = cpuMs();
  const start = performance.now();
  await renderEdition(request, resources);
  if (i >= warmup) exampleRenders.push({ wall: performance.now() - start, cpu: cpuMs() - cpu });
}

const shape = CUBE_SIZES['100x'];
if (!shape) throw new Error('no 100x cube');
const cube = parseDataset(generateEditionWithCube(shape), 'kubus-100x');
const cubeFirst = time(() => checkWithTemplates(cube, resources.templates));
const cubeReport = checkWithTemplates(cube, resources.templates);
const cubeChecks: { wall: number; cpu: number }[] = [];
for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
  collectGarbage();
  cubeChecks.push(time(() => checkWithTemplates(cube, resources.templates)));
}

writeResult({
  example: { checks: exampleChecks, render: exampleRenders, items },
  cube: {
    rows: cubeRows(shape),
    first: cubeFirst,
    checks: cubeChecks,
    items: cubeReport.rules.reduce((n, r) => n + r.items, 0),
    findings: cubeReport.findings.length,
  },
});
