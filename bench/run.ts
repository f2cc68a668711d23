import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/resources.js';
import { summarizeProfile } from './lib/cpu-profile.js';
import { CUBE_SIZES } from './lib/cube.js';
import type { EditionResult, OursRun } from './lib/edition-result.js';
import { exampleCliArgs } from './lib/example.js';
import { type ProcessRun, runChild, runMeasured } from './lib/processes.js';
import { differences, ratios, rounded, type Summary, slope, summarize, sums } from './lib/stats.js';

// `npm run bench`: every figure of bench/README.md, printed as a table and written to bench/results.json.
// Options: --quick (one run of everything, 100× and most of the long run left out: a smoke test),
//          --only edition,cold,scale,service,long,checks,profile (a subset).

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick === true;
const SECTIONS = ['edition', 'cold', 'scale', 'service', 'long', 'checks', 'profile'] as const;
type Section = (typeof SECTIONS)[number];
const selected = new Set<Section>(values.only ? (values.only.split(',') as Section[]) : SECTIONS);
for (const s of selected) if (!SECTIONS.includes(s)) throw new Error(`unknown section "${s}"; one of ${SECTIONS.join(', ')}`);

/** How many runs each figure gets; the whole full run stays under 10 minutes on 2 cores. */
const PLAN = quick
  ? {
      edition: { warmup: 1, runs: 2 },
      cold: { cli: 1, baseline: 1, first: 1 },
      scale: { '1x': [1, 1, 1], '10x': [1, 1, 1] } as Record<string, [number, number, number]>,
      scaleEdition: 1,
      service: { latency: 2, batch: 2, batches: 1 },
      long: { renders: 10, every: 5 },
      profile: { warmup: 1, runs: 2 },
      checks: { warmup: 1, runs: 2 },
    }
  : {
      edition: { warmup: 3, runs: 10 },
      cold: { cli: 5, baseline: 3, first: 3 },
      // Runs of [ours, exceljs in memory, exceljs streaming] per size, each a fresh process.
      scale: { '1x': [3, 3, 3], '10x': [3, 3, 3], '100x': [2, 1, 2] } as Record<string, [number, number, number]>,
      scaleEdition: 2,
      service: { latency: 6, batch: 6, batches: 3 },
      long: { renders: 200, every: 25 },
      profile: { warmup: 2, runs: 6 },
      checks: { warmup: 3, runs: 10 },
    };

/** One line of the printed table. */
interface Row {
  readonly id: string;
  readonly figure: string;
  readonly unit: 'ms' | 'x' | 'MiB' | '/min' | 'MiB/100' | '';
  readonly value: Summary | number | string;
  readonly note?: string;
}

const rows: Row[] = [];
const results: Record<string, unknown> = {};
const started = Date.now();
const log = (message: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}\n`);

function add(row: Row): void {
  rows.push(row);
}

const pick = <T>(list: readonly T[], f: (item: T) => number): number[] => list.map(f);
const wall = (runs: readonly ProcessRun[]) => summarize(pick(runs, (r) => r.wallMs));
const rss = (runs: readonly ProcessRun[]) => summarize(pick(runs, (r) => r.peakRssMiB));

async function repeat<T>(count: number, f: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(await f());
  return out;
}

// ---------------------------------------------------------------------------------------------
// 1. The full edition, warm, in one process, against its floor.

async function benchEdition(): Promise<void> {
  log('1. full edition, warm, against the floor');
  const { warmup, runs } = PLAN.edition;
  const { result } = await runChild<EditionResult>('edition.ts', ['--runs', String(runs), '--warmup', String(warmup)]);
  const { ours, inline, floor } = result;
  const oursTotal = pick(ours, (r) => r.total);
  const inlineTotal = pick(inline, (r) => r.total);
  const floorTotal = pick(floor, (r) => r.total);
  // The step split comes from the inline runs: with the workbook thread the steps overlap.
  const step = (name: keyof OursRun['steps']) => pick(inline, (r) => r.steps[name] ?? 0);
  // Instrumented runs (inline): the time inside pdfmake and exceljs's writer within each of our steps.
  const inst = result.instrumented;
  const med = (f: (r: OursRun) => number) => summarize(pick(inst, f)).median;
  const inside = {
    publicationPdf: med((r) => r.library?.pdfMs[0] ?? 0),
    erratumPdf: med((r) => r.library?.pdfMs[1] ?? 0),
    workbookWrite: med((r) => r.library?.workbookWriteMs[0] ?? 0),
    pdfStep: med((r) => r.steps.pdf ?? 0),
    xlsxStep: med((r) => r.steps.xlsx ?? 0),
    erratumStep: med((r) => r.steps.erratum ?? 0),
  };
  const checks = `PDF bytes identical to ours: ${result.checks.pdfBytesIdentical ? 'yes' : 'NO'}; replayed workbook parts identical: ${
    result.checks.workbookReplayIdentical ? 'yes' : `NO (${result.checks.workbookReplayDifferingParts.join(', ')})`
  }`;
  const cpuRatio = ratios(
    pick(ours, (r) => r.cpu),
    pick(floor, (r) => r.cpu),
  );
  add({
    id: '1.1',
    figure: 'Full edition, warm: parse 2 datasets + renderEdition',
    unit: 'ms',
    value: summarize(oursTotal),
    note: 'as the service runs it: the workbook in the workbook thread while the PDFs print',
  });
  add({ id: '1.2', figure: '  floor: pdfmake 2 PDFs + exceljs streaming writer', unit: 'ms', value: summarize(floorTotal), note: checks });
  add({
    id: '1.3',
    figure: '  ratio ours / floor (wall, per run)',
    unit: 'x',
    value: summarize(ratios(oursTotal, floorTotal)),
    note: 'aim < 1.15',
  });
  add({ id: '1.4', figure: '  ratio ours / floor (CPU time, all threads)', unit: 'x', value: summarize(cpuRatio) });
  add({
    id: '1.5',
    figure: '  ours on one thread (workbook inline, steps in turn)',
    unit: 'ms',
    value: summarize(inlineTotal),
    note: `ratio to the floor ${summarize(ratios(inlineTotal, floorTotal)).median.toFixed(2)}`,
  });
  add({
    id: '1.6',
    figure: '  ours: parse + validate both datasets',
    unit: 'ms',
    value: summarize(pick(inline, (r) => r.parse)),
    note: 'floor 0',
  });
  add({
    id: '1.7',
    figure: '  ours: step "tables" (models, erratum diff + texts)',
    unit: 'ms',
    value: summarize(sums(step('validate'), step('tables'))),
    note: 'floor 0',
  });
  add({
    id: '1.8',
    figure: '  ours: step "pdf" (publicatie.pdf)',
    unit: 'ms',
    value: summarize(step('pdf')),
    note: `floor pdfmake ${summarize(pick(floor, (f) => f.publicationPdf)).median.toFixed(0)} ms; within the step pdfmake ${inside.publicationPdf.toFixed(
      0,
    )}, ours ${(inside.pdfStep - inside.publicationPdf).toFixed(0)} ms`,
  });
  add({
    id: '1.9',
    figure: '  ours: step "xlsx" (tabellenbijlage.xlsx)',
    unit: 'ms',
    value: summarize(step('xlsx')),
    note: `floor exceljs streaming writer ${summarize(pick(floor, (f) => f.workbook)).median.toFixed(0)} ms; within the step exceljs serialising rows + commit (with our deflate) ${inside.workbookWrite.toFixed(0)}, the rest ${(
      inside.xlsxStep - inside.workbookWrite
    ).toFixed(0)} ms (workbook models, sheet writing with exceljs cell calls)`,
  });
  add({
    id: '1.10',
    figure: '  ours: step "erratum" (erratum.pdf)',
    unit: 'ms',
    value: summarize(step('erratum')),
    note: `floor pdfmake ${summarize(pick(floor, (f) => f.erratumPdf)).median.toFixed(0)} ms; within the step pdfmake ${inside.erratumPdf.toFixed(
      0,
    )}, ours ${(inside.erratumStep - inside.erratumPdf).toFixed(0)} ms`,
  });
  results.edition = {
    plan: PLAN.edition,
    oursTotalMs: rounded(summarize(oursTotal)),
    renderEditionMs: rounded(summarize(pick(ours, (r) => r.render))),
    oursInlineMs: rounded(summarize(inlineTotal)),
    floorMs: rounded(summarize(floorTotal)),
    ratio: rounded(summarize(ratios(oursTotal, floorTotal)), 3),
    ratioCpu: rounded(summarize(cpuRatio), 3),
    ratioInline: rounded(summarize(ratios(inlineTotal, floorTotal)), 3),
    oursInlineSteps: {
      parse: rounded(summarize(pick(inline, (r) => r.parse))),
      tables: rounded(summarize(sums(step('validate'), step('tables')))),
      pdf: rounded(summarize(step('pdf'))),
      xlsx: rounded(summarize(step('xlsx'))),
      erratum: rounded(summarize(step('erratum'))),
    },
    floorParts: {
      publicationPdf: rounded(summarize(pick(floor, (f) => f.publicationPdf))),
      workbook: rounded(summarize(pick(floor, (f) => f.workbook))),
      erratumPdf: rounded(summarize(pick(floor, (f) => f.erratumPdf))),
    },
    overheadByStepMs: {
      pdf: rounded(
        summarize(
          differences(
            step('pdf'),
            pick(floor, (f) => f.publicationPdf),
          ),
        ),
      ),
      xlsx: rounded(
        summarize(
          differences(
            step('xlsx'),
            pick(floor, (f) => f.workbook),
          ),
        ),
      ),
      erratum: rounded(
        summarize(
          differences(
            step('erratum'),
            pick(floor, (f) => f.erratumPdf),
          ),
        ),
      ),
    },
    insideOurStepsMs: Object.fromEntries(Object.entries(inside).map(([k, v]) => [k, Math.round(v)])),
    checks: result.checks,
    sizes: result.sizes,
    raw: { ours, inline, floor, instrumented: inst },
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Whole processes: the CLI from a cold start.

interface FirstOurs {
  startedAt: number;
  importMs: number;
  firstRenderMs: number;
  secondRenderMs: number;
}
interface FirstFloor {
  startedAt: number;
  libraryImportMs: number;
  firstFloorMs: number;
}

async function benchCold(): Promise<void> {
  log('2. whole processes: CLI cold start');
  const plan = PLAN.cold;
  const node = process.execPath;
  const out = mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));
  try {
    // --timings: the CLI's own timeline of each run (figure 2.10); it costs nothing measurable.
    const cli = () => runMeasured(node, ['dist/cli.js', ...exampleCliArgs(out), '--timings']);
    const warm = await cli(); // fills the OS file cache
    if (warm.code !== 0) throw new Error(`the CLI failed:\n${warm.stderr}`);
    const cliRuns = await repeat(plan.cli, cli);
    const bare = await repeat(plan.baseline, () => runMeasured(node, ['-e', '0']));
    const libs = await repeat(plan.baseline, () => runMeasured(node, ['-e', "require('pdfmake');require('exceljs')"]));
    const help = await repeat(plan.baseline, () => runMeasured(node, ['dist/cli.js', '--help']));
    const firstOurs = await repeat(plan.first, () => runChild<FirstOurs>('first-render.ts', ['--mode', 'ours']));
    const firstFloor = await repeat(plan.first, () => runChild<FirstFloor>('first-render.ts', ['--mode', 'floor']));
    const coldFloor = wall(libs).median + summarize(pick(firstFloor, (r) => r.result.firstFloorMs)).median;
    add({
      id: '2.1',
      figure: 'CLI cold start, full edition (node dist/cli.js, what npm run render runs)',
      unit: 'ms',
      value: wall(cliRuns),
    });
    add({ id: '2.2', figure: '  peak RSS of the CLI process', unit: 'MiB', value: rss(cliRuns) });
    const timeline = cliTimeline(cliRuns);
    add({
      id: '2.10',
      figure: '  CLI: where the time goes (render --timings, ms since the start)',
      unit: 'ms',
      value: summarize(timeline.map((t) => t.written ?? Number.NaN)),
      note: cliTimelineNote(timeline),
    });
    add({
      id: '2.3',
      figure: '  cold floor: plain node loading pdfmake+exceljs + their first render',
      unit: 'ms',
      value: coldFloor,
      note: 'sum of the medians of 2.6 and 2.9',
    });
    add({ id: '2.4', figure: '  ratio CLI / cold floor', unit: 'x', value: summarize(pick(cliRuns, (r) => r.wallMs / coldFloor)) });
    add({ id: '2.5', figure: '  node -e 0 (process start)', unit: 'ms', value: wall(bare) });
    add({
      id: '2.6',
      figure: '  plain node, require pdfmake + exceljs',
      unit: 'ms',
      value: wall(libs),
      note: `peak RSS ${rss(libs).median.toFixed(0)} MiB`,
    });
    add({ id: '2.7', figure: '  CLI --help (node + our compiled module graph, no render)', unit: 'ms', value: wall(help) });
    add({
      id: '2.8',
      figure: '  first render in a fresh process (ours, parse + renderEdition)',
      unit: 'ms',
      value: summarize(pick(firstOurs, (r) => r.result.firstRenderMs)),
      note: `import of the renderer ${summarize(pick(firstOurs, (r) => r.result.importMs)).median.toFixed(0)} ms; 2nd render ${summarize(
        pick(firstOurs, (r) => r.result.secondRenderMs),
      ).median.toFixed(0)} ms`,
    });
    add({
      id: '2.9',
      figure: '  first render in a fresh process (floor: pdfmake + exceljs)',
      unit: 'ms',
      value: summarize(pick(firstFloor, (r) => r.result.firstFloorMs)),
    });
    results.cold = {
      plan,
      cliMs: rounded(wall(cliRuns)),
      cliPeakRssMiB: rounded(rss(cliRuns)),
      cliTimelineMs: Object.fromEntries(
        [...new Set(timeline.flatMap((t) => Object.keys(t)))].map((step) => [
          step,
          rounded(summarize(timeline.map((t) => t[step] ?? Number.NaN).filter(Number.isFinite))),
        ]),
      ),
      coldFloorMs: Math.round(coldFloor),
      ratio: rounded(summarize(pick(cliRuns, (r) => r.wallMs / coldFloor)), 3),
      nodeStartMs: rounded(wall(bare)),
      nodeStartPeakRssMiB: rounded(rss(bare)),
      librariesPlainNodeMs: rounded(wall(libs)),
      librariesPlainNodePeakRssMiB: rounded(rss(libs)),
      cliHelpMs: rounded(wall(help)),
      cliHelpPeakRssMiB: rounded(rss(help)),
      firstRenderOurs: {
        processStartToScriptMs: rounded(summarize(pick(firstOurs, (r) => r.result.startedAt))),
        importRendererMs: rounded(summarize(pick(firstOurs, (r) => r.result.importMs))),
        firstRenderMs: rounded(summarize(pick(firstOurs, (r) => r.result.firstRenderMs))),
        secondRenderMs: rounded(summarize(pick(firstOurs, (r) => r.result.secondRenderMs))),
      },
      firstRenderFloor: {
        libraryImportUnderTsxMs: rounded(summarize(pick(firstFloor, (r) => r.result.libraryImportMs))),
        firstFloorMs: rounded(summarize(pick(firstFloor, (r) => r.result.firstFloorMs))),
      },
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The timelines the CLI printed with --timings (step → ms since its start), one per run. */
function cliTimeline(runs: readonly ProcessRun[]): Record<string, number>[] {
  return runs.map((run) => {
    const line = run.stderr.split('\n').find((l) => l.startsWith('timings (ms since start): '));
    if (!line) throw new Error(`the CLI printed no timings:\n${run.stderr.slice(-2000)}`);
    return Object.fromEntries(
      line
        .slice('timings (ms since start): '.length)
        .split(' ')
        .map((mark) => {
          const [step, ms] = mark.split('=');
          return [step as string, Number(ms)];
        }),
    );
  });
}

/**
 * Figure 2.10's note: the median time each part of a cold run took, from the CLI's timeline.
 * The render's steps mark where each begins; with the workbook thread (two cores) the workbook is
 * handed over at "xlsx" and comes back while the PDFs print, so "publicatie.pdf" runs from "xlsx"
 * to "erratum", and the main thread waits for the workbook only when it comes back after erratum.pdf.
 */
function cliTimelineNote(timeline: readonly Record<string, number>[]): string {
  const part = (from: string, to: string) =>
    summarize(timeline.map((t) => (t[to] ?? Number.NaN) - (t[from] ?? Number.NaN)).filter(Number.isFinite)).median;
  const waited = summarize(timeline.map((t) => (t.workbook ?? Number.NaN) - (t.erratum ?? Number.NaN)).filter(Number.isFinite)).median;
  const parts: [string, number][] = [
    ['node + modules', summarize(timeline.map((t) => t.modules ?? Number.NaN)).median],
    ['read + parse datasets', part('modules', 'read')],
    ['checks', part('read', 'checks')],
    ['tables + erratum text', part('tables', 'pdf')],
    ['publicatie.pdf', part('xlsx', 'erratum')],
    ['erratum.pdf + wait for the workbook', part('erratum', 'rendered')],
    ['write files', part('rendered', 'written')],
  ];
  return `${parts.map(([name, ms]) => `${name} ${Math.round(ms)}`).join(', ')}; the workbook came back from its thread ${Math.round(waited)} ms after erratum.pdf began (median; negative: before)`;
}

// ---------------------------------------------------------------------------------------------
// 3. Scale: the tabellenbijlage of a growing cube.

interface ScaleResult {
  rows: number;
  writeMs: number;
  parseMs: number;
  modelsMs?: number;
  bytes: number;
  cells: number;
  inputRssMiB: number;
  peakRssMiB: number;
  peakReset: boolean;
  streams?: boolean;
  pdfPages?: number;
  pdfBytes?: number;
}

async function benchScale(): Promise<void> {
  log('3. scale: tabellenbijlage of a generated cube');
  const variants = ['ours', 'memory', 'stream'] as const;
  const out: Record<string, Record<string, unknown>> = {};
  const medians: Record<string, Record<string, { ms: number; rss: number }>> = {};
  for (const [size, counts] of Object.entries(PLAN.scale)) {
    out[size] = {};
    medians[size] = {};
    for (const [vi, variant] of variants.entries()) {
      const runs = await repeat(counts[vi] ?? 1, () =>
        runChild<ScaleResult>('scale.ts', ['--size', size, '--variant', variant], { exposeGc: true, timeoutMs: 300_000 }),
      );
      log(`   ${size} ${variant}: ${runs.map((r) => `${r.result.writeMs.toFixed(0)} ms`).join(', ')}`);
      const ms = summarize(pick(runs, (r) => r.result.writeMs));
      const processRss = rss(runs.map((r) => r.run));
      const first = runs[0]?.result;
      (medians[size] as Record<string, { ms: number; rss: number }>)[variant] = { ms: ms.median, rss: processRss.median };
      (out[size] as Record<string, unknown>)[variant] = {
        rows: first?.rows,
        cells: first?.cells,
        bytes: first?.bytes,
        writeMs: rounded(ms),
        modelsMs: variant === 'ours' ? rounded(summarize(pick(runs, (r) => r.result.modelsMs ?? 0))) : undefined,
        parseMs: rounded(summarize(pick(runs, (r) => r.result.parseMs))),
        processWallMs: rounded(wall(runs.map((r) => r.run))),
        processPeakRssMiB: rounded(processRss),
        inputRssMiB: rounded(summarize(pick(runs, (r) => r.result.inputRssMiB))),
        peakAfterWarmupMiB: first?.peakReset ? rounded(summarize(pick(runs, (r) => r.result.peakRssMiB))) : undefined,
        streams: variant === 'ours' ? first?.streams : variant === 'stream',
      };
      const label = { ours: 'ours (renderWorkbook)', memory: 'floor: plain exceljs in memory', stream: 'floor: plain exceljs streaming' }[
        variant
      ];
      add({
        id: `3.${size}`,
        figure: `${size} cube (${first?.rows} rows × 5), ${label}`,
        unit: 'ms',
        value: ms,
        note: `peak RSS ${processRss.median.toFixed(0)} MiB (input ${first?.inputRssMiB.toFixed(0)}); ${first?.cells} cells, ${((first?.bytes ?? 0) / 1e6).toFixed(1)} MB${
          variant === 'ours' ? `; streams: ${first?.streams ? 'yes' : 'no'}` : ''
        }`,
      });
    }
    const m = medians[size] as Record<string, { ms: number; rss: number }>;
    add({
      id: `3.${size}`,
      figure: `${size}: ratio ours / streaming floor (time; peak RSS)`,
      unit: 'x',
      value: (m.ours?.ms ?? 0) / (m.stream?.ms ?? 1),
      note: `peak RSS ${((m.ours?.rss ?? 0) / (m.stream?.rss ?? 1)).toFixed(2)}x; ours / in-memory floor ${((m.ours?.ms ?? 0) / (m.memory?.ms ?? 1)).toFixed(2)}x`,
    });
  }
  const sizes = Object.keys(medians);
  for (let i = 1; i < sizes.length; i++) {
    const a = medians[sizes[i - 1] as string] as Record<string, { ms: number; rss: number }>;
    const b = medians[sizes[i] as string] as Record<string, { ms: number; rss: number }>;
    const rowsA = CUBE_SIZES[sizes[i - 1] as string];
    const rowsB = CUBE_SIZES[sizes[i] as string];
    const factor =
      rowsA && rowsB
        ? (rowsB.regions * rowsB.aard * rowsB.extra * rowsB.periods) / (rowsA.regions * rowsA.aard * rowsA.extra * rowsA.periods)
        : 0;
    add({
      id: '3.growth',
      figure: `growth ${sizes[i - 1]} → ${sizes[i]} (rows ×${factor.toFixed(0)}): ours time`,
      unit: 'x',
      value: (b.ours?.ms ?? 0) / (a.ours?.ms ?? 1),
      note: `peak RSS ×${((b.ours?.rss ?? 0) / (a.ours?.rss ?? 1)).toFixed(1)}; streaming floor time ×${((b.stream?.ms ?? 0) / (a.stream?.ms ?? 1)).toFixed(1)}, RSS ×${(
        (b.stream?.rss ?? 0) / (a.stream?.rss ?? 1)
      ).toFixed(1)}`,
    });
  }
  // The whole edition over the largest cube: the publication keeps its own tables (the cube goes
  // to the workbook only), so its PDF must stay as long as the example's.
  const largest = Object.keys(PLAN.scale).at(-1) as string;
  const editions = await repeat(PLAN.scaleEdition, () =>
    runChild<ScaleResult>('scale.ts', ['--size', largest, '--variant', 'edition'], { exposeGc: true, timeoutMs: 300_000 }),
  );
  const firstEdition = editions[0]?.result;
  const editionMs = summarize(pick(editions, (r) => r.result.writeMs));
  const editionRss = rss(editions.map((r) => r.run));
  log(`   ${largest} edition: ${editions.map((r) => `${r.result.writeMs.toFixed(0)} ms`).join(', ')}`);
  add({
    id: `3.${largest}`,
    figure: `${largest} cube in the whole 2019 edition (renderEdition, 2 files)`,
    unit: 'ms',
    value: editionMs,
    note: `peak RSS ${editionRss.median.toFixed(0)} MiB (input ${firstEdition?.inputRssMiB.toFixed(0)}); publicatie.pdf ${firstEdition?.pdfPages} pages, ${((firstEdition?.pdfBytes ?? 0) / 1e3).toFixed(0)} kB (the example's: the cube goes to the workbook only); workbook ${((firstEdition?.bytes ?? 0) / 1e6).toFixed(1)} MB`,
  });
  results.scale = {
    plan: PLAN.scale,
    shapes: CUBE_SIZES,
    sizes: out,
    edition: {
      size: largest,
      renderMs: rounded(editionMs),
      processPeakRssMiB: rounded(editionRss),
      pdfPages: firstEdition?.pdfPages,
      pdfBytes: firstEdition?.pdfBytes,
      workbookBytes: firstEdition?.bytes,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 4. The service: what the queue and the API add, and throughput.

interface LatencyRun {
  totalMs: number;
  postMs: number;
  waitMs: number;
  processMs: number;
  seenMs: number;
  serverMs: number;
  renderMs: number;
  childRenderMs: number;
  beforeRenderMs: number;
  afterRenderMs: number;
}
interface ServiceResult {
  queueName: string;
  renderMs: number[];
  first: { readyMs: number; warmMs: number; totalMs: number };
  latency: LatencyRun[];
  oneWorker: { editionsPerMinute: number; wallMs: number; byWorker: Record<string, number> }[];
  twoWorkers: { editionsPerMinute: number; wallMs: number; byWorker: Record<string, number> }[];
  twoWorkersNoThread: { editionsPerMinute: number; wallMs: number; byWorker: Record<string, number> }[];
  jobs: number;
}

async function benchService(): Promise<void> {
  log('4. service: latency and throughput');
  const p = PLAN.service;
  const { result } = await runChild<ServiceResult>(
    'service.ts',
    ['--latency', String(p.latency), '--batch', String(p.batch), '--batches', String(p.batches)],
    { timeoutMs: 900_000 },
  );
  const lat = result.latency;
  // The job's own render time where the progress events give it, else the in-process reference.
  const fromEvents = lat.every((l) => Number.isFinite(l.childRenderMs));
  const renderOf = (l: LatencyRun) => (fromEvents ? l.childRenderMs : l.renderMs);
  const overhead = pick(lat, (l) => l.serverMs - renderOf(l));
  const one = summarize(pick(result.oneWorker, (r) => r.editionsPerMinute));
  const two = summarize(pick(result.twoWorkers, (r) => r.editionsPerMinute));
  const twoNoThread = summarize(pick(result.twoWorkersNoThread, (r) => r.editionsPerMinute));
  const s = (f: (l: LatencyRun) => number) => summarize(pick(lat, f));
  add({ id: '4.1', figure: 'Service: POST → completed, as the client sees it (polling 10 ms)', unit: 'ms', value: s((l) => l.totalMs) });
  const firstRatio = result.first.totalMs / s((l) => l.totalMs).median;
  add({
    id: '4.0',
    figure: '  first job after npm start (posted once warmed up): POST → completed',
    unit: 'ms',
    value: Math.round(result.first.totalMs),
    note: `${firstRatio.toFixed(2)}x a warm job (goal ≤ 1.5x); /readyz answered ${Math.round(result.first.readyMs)} ms after the start, warm-up done after ${Math.round(result.first.warmMs)} ms`,
  });
  add({
    id: '4.2',
    figure: fromEvents ? '  render in the render child (progress validate → store)' : '  render time, warm, in one process (reference)',
    unit: 'ms',
    value: s(renderOf),
    note: `in-process reference taken before each job: ${summarize(result.renderMs).median.toFixed(0)} ms`,
  });
  add({
    id: '4.3',
    figure: '  what queue + API add: POST → finishedOn − render (per job)',
    unit: 'ms',
    value: summarize(overhead),
    note: 'server side',
  });
  add({ id: '4.4', figure: '  of which POST answered (validate, hash, store dataset, add job)', unit: 'ms', value: s((l) => l.postMs) });
  add({ id: '4.5', figure: '  of which waiting in the queue (added → processedOn)', unit: 'ms', value: s((l) => l.waitMs) });
  if (fromEvents) {
    add({ id: '4.6', figure: '  of which worker before the render (storage, hand-over)', unit: 'ms', value: s((l) => l.beforeRenderMs) });
    add({ id: '4.7', figure: '  of which worker after the render (artifacts, manifest)', unit: 'ms', value: s((l) => l.afterRenderMs) });
  } else {
    add({
      id: '4.6',
      figure: '  of which worker: processedOn → finishedOn, minus render',
      unit: 'ms',
      value: s((l) => l.processMs - l.renderMs),
    });
  }
  add({
    id: '4.8',
    figure: '  completion seen by the client after finishedOn',
    unit: 'ms',
    value: s((l) => l.seenMs),
    note: 'polling delay',
  });
  add({
    id: '4.9',
    figure: `  throughput, 1 worker process (batches of ${p.batch})`,
    unit: '/min',
    value: one,
    note: 'editions per minute; the client polls each job every 200 ms',
  });
  add({
    id: '4.10',
    figure: `  throughput, 2 worker processes (batches of ${p.batch * 2})`,
    unit: '/min',
    value: two,
    note: `×${(two.median / one.median).toFixed(2)} of 1 worker; 2 cores; jobs per worker process: ${result.twoWorkers
      .map((b) => Object.values(b.byWorker).sort().join('/'))
      .join(', ')}`,
  });
  add({
    id: '4.11',
    figure: `  throughput, 2 worker processes, RENDER_WORKBOOK_THREAD=off (batches of ${p.batch * 2})`,
    unit: '/min',
    value: twoNoThread,
    note: `×${(twoNoThread.median / two.median).toFixed(2)} of 4.10 (goal ≥ 150/min); the same processes restarted without the workbook thread`,
  });
  results.service = {
    plan: p,
    renderFromProgressEvents: fromEvents,
    renderMs: rounded(s(renderOf)),
    inProcessRenderMs: rounded(summarize(result.renderMs)),
    latencyMs: rounded(s((l) => l.totalMs)),
    firstJobAfterStart: { ...result.first, ratioToWarm: Math.round(firstRatio * 100) / 100 },
    overheadMs: rounded(summarize(overhead)),
    postMs: rounded(s((l) => l.postMs)),
    queueWaitMs: rounded(s((l) => l.waitMs)),
    workerBeforeRenderMs: fromEvents ? rounded(s((l) => l.beforeRenderMs)) : undefined,
    workerAfterRenderMs: fromEvents ? rounded(s((l) => l.afterRenderMs)) : undefined,
    seenAfterFinishMs: rounded(s((l) => l.seenMs)),
    editionsPerMinute1: rounded(one),
    editionsPerMinute2: rounded(two),
    editionsPerMinute2NoWorkbookThread: rounded(twoNoThread),
    raw: result,
  };
}

// ---------------------------------------------------------------------------------------------
// 5. The long run.

interface LongResult {
  times: number[];
  samples: { renders: number; rssMiB: number; heapUsedMiB: number; heapTotalMiB: number; externalMiB: number; arrayBuffersMiB: number }[];
}

async function benchLong(): Promise<void> {
  const p = PLAN.long;
  log(`5. long run: ${p.renders} renders in one process`);
  const { result } = await runChild<LongResult>('long-run.ts', ['--renders', String(p.renders), '--every', String(p.every)], {
    exposeGc: true,
    timeoutMs: 600_000,
  });
  const first = result.samples[0];
  const last = result.samples[result.samples.length - 1];
  if (!first || !last) throw new Error('the long run took no samples');
  // Growth per 100 renders over the second half: the first renders still fill caches and JIT code.
  const half = result.samples.filter((s) => s.renders >= p.renders / 2);
  const heapSlope =
    slope(
      pick(half, (s) => s.renders),
      pick(half, (s) => s.heapUsedMiB),
    ) * 100;
  const rssSlope =
    slope(
      pick(half, (s) => s.renders),
      pick(half, (s) => s.rssMiB),
    ) * 100;
  const n = Math.min(20, Math.floor(result.times.length / 2));
  const leaks = heapSlope > 1;
  add({
    id: '5.1',
    figure: `Long run, ${p.renders} full editions in one process: render time, first ${n}`,
    unit: 'ms',
    value: summarize(result.times.slice(0, n)),
  });
  add({ id: '5.2', figure: `  render time, last ${n}`, unit: 'ms', value: summarize(result.times.slice(-n)) });
  add({ id: '5.3', figure: '  RSS after GC: start → end', unit: 'MiB', value: `${first.rssMiB} → ${last.rssMiB}` });
  add({ id: '5.4', figure: '  heap used after GC: start → end', unit: 'MiB', value: `${first.heapUsedMiB} → ${last.heapUsedMiB}` });
  add({
    id: '5.5',
    figure: '  heap growth per 100 renders (second half, fit)',
    unit: 'MiB/100',
    value: heapSlope,
    note: `${leaks ? 'LEAKS' : 'no leak'} (threshold 1 MiB/100); RSS ${rssSlope.toFixed(1)} MiB/100`,
  });
  results.long = {
    plan: p,
    leaks,
    heapGrowthPer100MiB: Math.round(heapSlope * 100) / 100,
    rssGrowthPer100MiB: Math.round(rssSlope * 100) / 100,
    start: first,
    end: last,
    samples: result.samples,
    renderMs: rounded(summarize(result.times)),
    firstMs: rounded(summarize(result.times.slice(0, n))),
    lastMs: rounded(summarize(result.times.slice(-n))),
  };
}

// ---------------------------------------------------------------------------------------------
// 6. The checks before publishing (src/checks) against a render, and on the 100× cube.

interface ChecksResult {
  readonly example: { readonly checks: Timing[]; readonly render: Timing[]; readonly items: number };
  readonly cube: {
    readonly rows: number;
    readonly first: Timing;
    readonly checks: Timing[];
    readonly items: number;
    readonly findings: number;
  };
}
type Timing = { readonly wall: number; readonly cpu: number };

async function benchChecks(): Promise<void> {
  log('6. checks before publishing');
  const { warmup, runs } = PLAN.checks;
  const { result } = await runChild<ChecksResult>('checks.ts', ['--runs', String(runs), '--warmup', String(warmup)], { exposeGc: true });
  const { example, cube } = result;
  const cpu = (list: readonly Timing[]) => pick(list, (t) => t.cpu);
  const wallOf = (list: readonly Timing[]) => pick(list, (t) => t.wall);
  add({
    id: '6.1',
    figure: 'Checks of the 2019 edition (rules, template, correction)',
    unit: 'ms',
    value: summarize(wallOf(example.checks)),
    note: `${example.items} items; CPU ${summarize(cpu(example.checks)).median.toFixed(1)} ms`,
  });
  add({ id: '6.2', figure: '  the render of the same edition, one thread', unit: 'ms', value: summarize(wallOf(example.render)) });
  add({
    id: '6.3',
    figure: '  checks / render (CPU time, per median)',
    unit: 'x',
    value: Math.round((summarize(cpu(example.checks)).median / summarize(cpu(example.render)).median) * 1000) / 1000,
    note: 'aim < 0.05',
  });
  add({
    id: '6.4',
    figure: `Checks of the 2019 edition with the 100× cube (${cube.rows} rows)`,
    unit: 'ms',
    value: summarize(wallOf(cube.checks)),
    note: `aim < 1000; CPU ${summarize(cpu(cube.checks)).median.toFixed(0)} ms; first run ${Math.round(cube.first.wall)} ms; ${cube.items} items, ${cube.findings} findings (random figures)`,
  });
  results.checks = result;
}

// ---------------------------------------------------------------------------------------------
// Profile of our warm renders (node --cpu-prof): where the time above the floor goes.

async function benchProfile(): Promise<void> {
  log('profile: node --cpu-prof of warm renders (ours only)');
  const dir = path.join(PROJECT_ROOT, 'bench', 'profiles');
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  const p = PLAN.profile;
  await runChild('edition.ts', ['--runs', String(p.runs), '--warmup', String(p.warmup), '--only', 'ours'], { cpuProfDir: dir });
  // node --cpu-prof writes one profile per thread (CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile);
  // tsx's loader runs in a thread of its own. Keep the main thread's (thread 0), drop the others.
  const made = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  for (const f of made.filter((f) => !/\.\d+\.0\.\d+\.cpuprofile$/.test(f))) rmSync(path.join(dir, f));
  const main = made.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (!main) throw new Error('node --cpu-prof wrote no profile of the main thread');
  const summary = summarizeProfile(path.join(dir, main));
  const perRender = 1 / (p.runs + p.warmup + 1);
  results.profile = { file: `bench/profiles/${main}`, renders: p.runs + p.warmup + 1, perRenderFactor: perRender, ...summary };
}

// ---------------------------------------------------------------------------------------------

function format(value: number, unit: Row['unit']): string {
  if (!Number.isFinite(value)) return '-';
  if (unit === 'x') return value.toFixed(2);
  if (unit === '/min' || unit === 'MiB/100') return value.toFixed(1);
  return value.toFixed(0);
}

function printTable(): void {
  const lines = rows.map((r) => {
    const v = r.value;
    const cells =
      typeof v === 'string'
        ? [v, '', '', '']
        : typeof v === 'number'
          ? [format(v, r.unit), '', '', '1']
          : [format(v.median, r.unit), format(v.min, r.unit), format(v.max, r.unit), String(v.runs)];
    return [r.id, r.figure, r.unit, ...cells, r.note ?? ''];
  });
  const header = ['#', 'figure', 'unit', 'median', 'min', 'max', 'n', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (i === 7 ? 0 : (l[i] ?? '').length))));
  const pad = (cells: string[]) =>
    cells
      .map((c, i) => (i === 7 ? c : i >= 3 && i <= 6 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(pad(header));
  console.log(widths.map((w, i) => '-'.repeat(i === 7 ? 4 : w)).join('  '));
  for (const l of lines) console.log(pad(l));
  const profile = results.profile as
    | {
        totalMs: number;
        renders: number;
        byOwner: { owner: string; ms: number; share: number }[];
        oursInclusive: { fn: string; ms: number; share: number }[];
        oursSelf: { fn: string; ms: number; share: number }[];
      }
    | undefined;
  if (profile) {
    console.log(`\nProfile of ${profile.renders} warm renders (${profile.totalMs} ms sampled): self time by owner`);
    for (const o of profile.byOwner.slice(0, 12))
      console.log(`  ${o.owner.padEnd(40)} ${String(o.ms).padStart(6)} ms  ${(o.share * 100).toFixed(1)}%`);
    console.log('Our functions by inclusive time (with the library calls they make; synchronous stacks only), per render:');
    for (const f of profile.oursInclusive.slice(0, 12))
      console.log(`  ${f.fn.padEnd(70)} ${(f.ms / profile.renders).toFixed(0).padStart(5)} ms`);
    console.log('Our functions by self time (our own code only), per render:');
    for (const f of profile.oursSelf.slice(0, 10))
      console.log(`  ${f.fn.padEnd(70)} ${(f.ms / profile.renders).toFixed(1).padStart(5)} ms`);
  }
}

function gitDescribe(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'templates', 'package.json'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

const loadBefore = os.loadavg();
const steps: Record<Section, () => Promise<void>> = {
  edition: benchEdition,
  cold: benchCold,
  scale: benchScale,
  service: benchService,
  long: benchLong,
  checks: benchChecks,
  profile: benchProfile,
};
for (const section of SECTIONS) if (selected.has(section)) await steps[section]();

const durationS = Math.round((Date.now() - started) / 100) / 10;
const report = {
  generatedAt: new Date().toISOString(),
  durationS,
  quick,
  sections: [...selected],
  machine: {
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageBefore: loadBefore.map((l) => Math.round(l * 100) / 100),
    loadAverageAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
  },
  git: gitDescribe(),
  table: rows,
  ...results,
};
// A partial run (--quick, --only) must not overwrite the figures of the last full run.
const resultsFile = quick || values.only ? 'results.partial.json' : 'results.json';
writeFileSync(path.join(PROJECT_ROOT, 'bench', resultsFile), `${JSON.stringify(report, null, 2)}\n`);
printTable();
console.log(
  `\n${durationS} s in all; load average before ${report.machine.loadAverageBefore.join(' ')}, after ${report.machine.loadAverageAfter.join(' ')}; written to bench/${resultsFile}`,
);
