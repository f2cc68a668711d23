import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { Dataset } from '../../src/model/dataset.js';
import { fitsWorkbookThread, renderEdition, renderWorkbookHere, THREAD_MAX_CELLS } from '../../src/render/render-edition.js';
import type { TableModel } from '../../src/render/tables/table-model.js';
import type { RenderRequest, RenderStep } from '../../src/render/types.js';
import { defaultWorkbookTables, type WorkbookOptions } from '../../src/render/xlsx/build-workbook.js';
import { loadResources } from '../../src/resources.js';
import { createWorkbookPool, type WorkbookTask } from '../../src/workbook-pool.js';
import { EXAMPLES, loadExample, ROOT } from '../helpers/examples.js';

// The workbook thread of the composition roots (src/workbook-pool.ts, piscina): renderEdition
// receives its renderer as a parameter and must give the same bytes as rendering in one thread.

const resources = loadResources();
const ERRATUM_TEXT = readFileSync(path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/erratum.md'), 'utf8');
const pool = createWorkbookPool();

/** The full corrected 2019 edition: publicatie.pdf, tabellenbijlage.xlsx and erratum.pdf. */
function correctedRequest(): RenderRequest {
  return {
    dataset: loadExample(EXAMPLES.corrected),
    previous: loadExample(EXAMPLES.asPublished),
    erratum: { date: '2020-04-28', text: ERRATUM_TEXT },
  };
}

/** A small, fast workbook: the title, contents and symbols sheets only. */
function smallJob(edition = 1): { dataset: Dataset; options: WorkbookOptions } {
  return { dataset: loadExample(EXAMPLES.asPublished), options: { tables: [], edition } };
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

afterAll(async () => {
  await pool.close();
});

describe('the workbook thread', () => {
  it('renders the 2019 edition to the same bytes as one thread does, for all three artifacts', async () => {
    const steps: RenderStep[] = [];
    const threaded = await renderEdition(correctedRequest(), resources, { workbookRenderer: pool.render, onStep: (s) => steps.push(s) });
    const inline = await renderEdition(correctedRequest(), resources);
    expect(threaded.artifacts.map((a) => a.name)).toEqual(['publicatie.pdf', 'tabellenbijlage.xlsx', 'erratum.pdf']);
    expect(inline.artifacts.map((a) => a.name)).toEqual(threaded.artifacts.map((a) => a.name));
    for (const a of threaded.artifacts) {
      const b = inline.artifacts.find((x) => x.name === a.name);
      expect(a.bytes.equals(b?.bytes ?? Buffer.alloc(0)), a.name).toBe(true);
    }
    // The steps are reported in the same order as before, though pdf and xlsx now overlap.
    expect(steps).toEqual(['validate', 'tables', 'pdf', 'xlsx', 'erratum']);
    expect(pool.piscina.completed).toBeGreaterThan(0);

    const first = await renderEdition({ dataset: loadExample(EXAMPLES.asPublished) }, resources, { workbookRenderer: pool.render });
    const firstInline = await renderEdition({ dataset: loadExample(EXAMPLES.asPublished) }, resources);
    expect(first.artifacts.map((a) => a.name)).toEqual(['publicatie.pdf', 'tabellenbijlage.xlsx']);
    first.artifacts.forEach((a, i) => expect(a.bytes.equals(firstInline.artifacts[i]?.bytes ?? Buffer.alloc(0)), a.name).toBe(true));
  });

  it('hands the thread plain data only: the dataset and workbook options survive a structured clone unchanged', async () => {
    const run = vi.spyOn(pool.piscina, 'run');
    try {
      await renderEdition(correctedRequest(), resources, { workbookRenderer: pool.render });
      expect(run).toHaveBeenCalledTimes(1);
      const task = run.mock.calls[0]?.[0] as WorkbookTask;
      expect(task.options.tables.length).toBeGreaterThan(0);
      // Only the publication's own models cross; the thread builds the default views (most of the workbook).
      expect(task.options.defaultTables).toBe(true);
      expect(task.options.tables.length).toBeLessThan(defaultWorkbookTables(task.dataset).length);
      expect(task.options.erratum?.changes.cells.length).toBeGreaterThan(0);
      // toStrictEqual compares classes too: a class instance would arrive as a plain object.
      expect(structuredClone(task.dataset)).toStrictEqual(task.dataset);
      expect(structuredClone(task.options)).toStrictEqual(task.options);
    } finally {
      run.mockRestore();
    }
  });

  it('passes an AppError from the workbook on with its code and message', async () => {
    const { dataset } = smallJob();
    const cases: WorkbookOptions[] = [
      { tables: [], edition: 0 },
      { tables: [], edition: 2, correctedOn: '2020-02-30' },
    ];
    for (const options of cases) {
      const fromThread = await failure(pool.render(dataset, options));
      const inline = await failure(renderWorkbookHere(dataset, options));
      expect(inline).toBeInstanceOf(AppError);
      expect(fromThread).toBeInstanceOf(AppError);
      expect((fromThread as AppError).code).toBe((inline as AppError).code);
      expect((fromThread as AppError).message).toBe((inline as AppError).message);
      expect((fromThread as AppError).httpStatus).toBe((inline as AppError).httpStatus);
    }
    expect(((await failure(pool.render(dataset, { tables: [], edition: 0 }))) as AppError).code).toBe('USAGE');
  });

  it('passes any other error on with its message, not as an AppError', async () => {
    const { dataset, options } = smallJob();
    // A table model that is not one: the workbook writer fails on it with a TypeError.
    const broken: WorkbookOptions = { tables: [null as unknown as TableModel], edition: 1 };
    const fromThread = await failure(pool.render(dataset, broken));
    const inline = await failure(renderWorkbookHere(dataset, broken));
    expect(fromThread).toBeInstanceOf(Error);
    expect(fromThread).not.toBeInstanceOf(AppError);
    expect((fromThread as Error).message).toBe((inline as Error).message);
    expect((fromThread as Error).name).toBe((inline as Error).name);
    // The thread still works.
    expect((await pool.render(dataset, options)).equals(await renderWorkbookHere(dataset, options))).toBe(true);
  });

  it('fails the render in flight when the thread dies, and renders the next one in a fresh thread', async () => {
    const { dataset, options } = smallJob();
    const expected = await renderWorkbookHere(dataset, options);
    await pool.render(dataset, options);
    const [dying] = pool.piscina.threads;
    if (!dying) throw new Error('no workbook thread');
    const big = loadExample(EXAMPLES.corrected);
    const inFlight = pool.render(big, { tables: defaultWorkbookTables(big), edition: 1 });
    void dying.terminate();
    const error = await failure(inFlight);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('RENDER_FAILED');
    expect((error as AppError).message).toMatch(/the workbook thread stopped in the middle of a render/);

    const again = await pool.render(dataset, options);
    expect(again.equals(expected)).toBe(true);
    const [fresh] = pool.piscina.threads;
    expect(fresh).toBeDefined();
    expect(fresh?.threadId).not.toBe(dying.threadId);
  });

  it('renders several workbooks handed over at once, each to its own bytes', async () => {
    const { dataset } = smallJob();
    const editions = [1, 2, 3, 4, 5];
    const together = await Promise.all(editions.map((edition) => pool.render(dataset, { tables: [], edition })));
    const oneByOne = await Promise.all(editions.map((edition) => renderWorkbookHere(dataset, { tables: [], edition })));
    together.forEach((bytes, i) => expect(bytes.equals(oneByOne[i] ?? Buffer.alloc(0))).toBe(true));
    expect(new Set(together.map((b) => b.toString('base64'))).size).toBe(editions.length);
  });

  it('never keeps a process alive: the process ends once its renders are done, or with the thread still starting', async () => {
    const script = `
      const { createWorkbookPool } = await import('./src/workbook-pool.ts');
      const { EXAMPLES, loadExample } = await import('./tests/helpers/examples.ts');
      const pool = createWorkbookPool();
      if (process.argv[1] === 'render') {
        const bytes = await pool.render(loadExample(EXAMPLES.asPublished), { tables: [], edition: 1 });
        console.log('rendered ' + bytes.length);
      } else console.log('started');`;
    const run = (mode: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, mode], { cwd: ROOT, timeout: 60_000 });
    expect((await run('render')).stdout).toMatch(/^rendered \d+/);
    expect((await run('start')).stdout).toBe('started\n');
  });

  it('is handed the workbook of an edition of the example, not of datasets too large to copy cheaply', async () => {
    const example = loadExample(EXAMPLES.asPublished);
    expect(fitsWorkbookThread({ dataset: example, previous: example })).toBe(true);
    const table = example.tables[0] as Dataset['tables'][number];
    const rows = Math.ceil((THREAD_MAX_CELLS + 1) / table.measures.length);
    const large = { ...example, tables: [{ ...table, rows: Array.from({ length: rows }, () => table.rows[0]) }] } as Dataset;
    expect(fitsWorkbookThread({ dataset: large })).toBe(false);
    // The example's workbook goes to the renderer passed in.
    const renderer = vi.fn(pool.render);
    await renderEdition({ dataset: example }, resources, { workbookRenderer: renderer });
    expect(renderer).toHaveBeenCalledTimes(1);
  });
});
