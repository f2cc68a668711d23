import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { Dataset } from '../../src/model/dataset.js';
import { renderEdition, THREAD_MAX_CELLS, usesWorkbookThread } from '../../src/render/render-edition.js';
import type { TableModel } from '../../src/render/tables/table-model.js';
import type { RenderRequest, RenderStep } from '../../src/render/types.js';
import {
  closeWorkbookThread,
  renderWorkbookInline,
  renderWorkbookInThread,
  workbookThreadState,
} from '../../src/render/workbook-thread.js';
import type { WorkbookThreadRequest } from '../../src/render/workbook-worker.js';
import { defaultWorkbookTables, type WorkbookOptions } from '../../src/render/xlsx/build-workbook.js';
import { loadResources } from '../../src/resources.js';
import { EXAMPLES, loadExample, ROOT } from '../helpers/examples.js';
import { renderedExample, renderedExampleFile } from '../helpers/rendered-example.js';

const resources = loadResources();
/**
 * The full corrected 2019 edition: publicatie.pdf, tabellenbijlage.xlsx and erratum.pdf, from the
 * inputs of the shared render (tests/helpers/rendered-example.ts).
 */
function correctedRequest(): RenderRequest {
  const { inputs } = renderedExample();
  return {
    dataset: loadExample(inputs.dataset),
    previous: loadExample(inputs.previous),
    erratum: { date: inputs.erratumDate, text: readFileSync(inputs.erratumText, 'utf8') },
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
  await closeWorkbookThread();
});

describe('the workbook thread', () => {
  it('renders the 2019 edition to the same bytes as the inline render, for all three artifacts', async () => {
    const steps: RenderStep[] = [];
    const threaded = await renderEdition(correctedRequest(), resources, { workbookThread: true, onStep: (s) => steps.push(s) });
    // The inline render: the render command renders inline, and rendered this edition once for the run.
    expect(threaded.artifacts.map((a) => a.name)).toEqual(['publicatie.pdf', 'tabellenbijlage.xlsx', 'erratum.pdf']);
    for (const a of threaded.artifacts) expect(a.bytes.equals(renderedExampleFile(a.name)), a.name).toBe(true);
    // The steps are reported in the same order as before, though pdf and xlsx now overlap.
    expect(steps).toEqual(['validate', 'tables', 'pdf', 'xlsx', 'erratum']);
    expect(workbookThreadState().worker).toBeDefined();

    const first = await renderEdition({ dataset: loadExample(EXAMPLES.asPublished) }, resources, { workbookThread: true });
    const firstInline = await renderEdition({ dataset: loadExample(EXAMPLES.asPublished) }, resources, { workbookThread: false });
    expect(first.artifacts.map((a) => a.name)).toEqual(['publicatie.pdf', 'tabellenbijlage.xlsx']);
    first.artifacts.forEach((a, i) => expect(a.bytes.equals(firstInline.artifacts[i]?.bytes ?? Buffer.alloc(0)), a.name).toBe(true));
  });

  it('hands the thread plain data only: the dataset and workbook options survive a structured clone unchanged', async () => {
    await renderWorkbookInThread(smallJob().dataset, smallJob().options); // the thread is running
    const worker = workbookThreadState().worker;
    if (!worker) throw new Error('no workbook thread');
    const post = vi.spyOn(worker, 'postMessage');
    try {
      await renderEdition(correctedRequest(), resources, { workbookThread: true });
      expect(post).toHaveBeenCalledTimes(1);
      const request = post.mock.calls[0]?.[0] as WorkbookThreadRequest;
      expect(request.options.tables.length).toBeGreaterThan(0);
      expect(request.options.erratum?.changes.cells.length).toBeGreaterThan(0);
      // toStrictEqual compares classes too: a class instance would arrive as a plain object.
      expect(structuredClone(request.dataset)).toStrictEqual(request.dataset);
      expect(structuredClone(request.options)).toStrictEqual(request.options);
    } finally {
      post.mockRestore();
    }
  });

  it('passes an AppError from the workbook on with its code and message', async () => {
    const { dataset } = smallJob();
    const cases: WorkbookOptions[] = [
      { tables: [], edition: 0 },
      { tables: [], edition: 2, correctedOn: '2020-02-30' },
    ];
    for (const options of cases) {
      const fromThread = await failure(renderWorkbookInThread(dataset, options));
      const inline = await failure(renderWorkbookInline(dataset, options));
      expect(inline).toBeInstanceOf(AppError);
      expect(fromThread).toBeInstanceOf(AppError);
      expect((fromThread as AppError).code).toBe((inline as AppError).code);
      expect((fromThread as AppError).message).toBe((inline as AppError).message);
      expect((fromThread as AppError).httpStatus).toBe((inline as AppError).httpStatus);
    }
    expect(((await failure(renderWorkbookInThread(dataset, { tables: [], edition: 0 }))) as AppError).code).toBe('USAGE');
  });

  it('passes any other error on with its message, not as an AppError', async () => {
    const { dataset, options } = smallJob();
    // A table model that is not one: the workbook writer fails on it with a TypeError.
    const broken: WorkbookOptions = { tables: [null as unknown as TableModel], edition: 1 };
    const fromThread = await failure(renderWorkbookInThread(dataset, broken));
    const inline = await failure(renderWorkbookInline(dataset, broken));
    expect(fromThread).toBeInstanceOf(Error);
    expect(fromThread).not.toBeInstanceOf(AppError);
    expect((fromThread as Error).message).toBe((inline as Error).message);
    expect((fromThread as Error).name).toBe((inline as Error).name);
    // The thread is still the same and still works.
    expect((await renderWorkbookInThread(dataset, options)).equals(await renderWorkbookInline(dataset, options))).toBe(true);
  });

  it('fails the render in flight when the thread dies, and starts a fresh thread for the next one', async () => {
    const { dataset, options } = smallJob();
    const expected = await renderWorkbookInline(dataset, options);
    await renderWorkbookInThread(dataset, options);
    const dying = workbookThreadState().worker;
    if (!dying) throw new Error('no workbook thread');
    const big = loadExample(EXAMPLES.corrected);
    const inFlight = renderWorkbookInThread(big, { tables: defaultWorkbookTables(big), edition: 1 });
    void dying.terminate();
    const error = await failure(inFlight);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('RENDER_FAILED');
    expect((error as AppError).message).toMatch(/the workbook thread stopped in the middle of a render/);
    expect(workbookThreadState().worker).toBeUndefined();

    const again = await renderWorkbookInThread(dataset, options);
    expect(again.equals(expected)).toBe(true);
    const fresh = workbookThreadState().worker;
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(dying);
    expect(fresh?.threadId).not.toBe(dying.threadId);
  });

  it('keeps one set of listeners over many renders, also when several are out at once', async () => {
    const { dataset, options } = smallJob();
    const expected = await renderWorkbookInline(dataset, options);
    await renderWorkbookInThread(dataset, options);
    const worker = workbookThreadState().worker;
    if (!worker) throw new Error('no workbook thread');
    const events = ['message', 'error', 'exit', 'messageerror'] as const;
    const before = events.map((e) => worker.listenerCount(e));
    for (let i = 0; i < 25; i++) expect((await renderWorkbookInThread(dataset, options)).equals(expected)).toBe(true);
    const together = await Promise.all([1, 2, 3, 4, 5].map((edition) => renderWorkbookInThread(dataset, { tables: [], edition })));
    const together0 = await Promise.all([1, 2, 3, 4, 5].map((edition) => renderWorkbookInline(dataset, { tables: [], edition })));
    together.forEach((bytes, i) => expect(bytes.equals(together0[i] ?? Buffer.alloc(0))).toBe(true));
    expect(workbookThreadState().worker).toBe(worker);
    expect(events.map((e) => worker.listenerCount(e))).toEqual(before);
    expect(workbookThreadState().jobs).toBe(0);
  });

  it('never keeps a process alive: the process ends once its renders are done, or with the thread still starting', async () => {
    const script = `
      const thread = await import('./src/render/workbook-thread.ts');
      const { EXAMPLES, loadExample } = await import('./tests/helpers/examples.ts');
      thread.startWorkbookThread();
      if (process.argv[1] === 'render') {
        const bytes = await thread.renderWorkbookInThread(loadExample(EXAMPLES.asPublished), { tables: [], edition: 1 });
        console.log('rendered ' + bytes.length);
      } else console.log('started');`;
    const run = (mode: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, mode], { cwd: ROOT, timeout: 30_000 });
    expect((await run('render')).stdout).toMatch(/^rendered \d+/);
    expect((await run('start')).stdout).toBe('started\n');
  });

  it('is used for an edition of the example, not for datasets too large to copy cheaply, unless asked', () => {
    const example = loadExample(EXAMPLES.asPublished);
    expect(usesWorkbookThread({ dataset: example, previous: example }, undefined)).toBe(true);
    const table = example.tables[0] as Dataset['tables'][number];
    const rows = Math.ceil((THREAD_MAX_CELLS + 1) / table.measures.length);
    const large = { ...example, tables: [{ ...table, rows: Array.from({ length: rows }, () => table.rows[0]) }] } as Dataset;
    expect(usesWorkbookThread({ dataset: large }, undefined)).toBe(false);
    expect(usesWorkbookThread({ dataset: large }, true)).toBe(true);
    expect(usesWorkbookThread({ dataset: example }, false)).toBe(false);
  });
});

describe('without worker threads', () => {
  it('renders the workbook inline when the thread cannot start', async () => {
    vi.resetModules();
    vi.doMock('node:worker_threads', () => ({
      Worker: class {
        constructor() {
          throw new Error('worker threads are not available here');
        }
      },
    }));
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const isolated = await import('../../src/render/workbook-thread.js');
      const { dataset, options } = smallJob();
      const bytes = await isolated.renderWorkbookInThread(dataset, options);
      expect(bytes.equals(await renderWorkbookInline(dataset, options))).toBe(true);
      expect(isolated.workbookThreadState().worker).toBeUndefined();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/worker threads are not available here/);
      await isolated.closeWorkbookThread();
    } finally {
      warn.mockRestore();
      vi.doUnmock('node:worker_threads');
      vi.resetModules();
    }
  });
});
