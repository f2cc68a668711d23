import { mkdir } from 'node:fs/promises';
import { availableParallelism, userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkWithTemplates, formatReport } from './checks/index.js';
import { readDatasetFile, readInputText } from './cli-dataset.js';
import { runCli } from './cli-run.js';
import { writeFileAtomic } from './atomic-write.js';
import { AppError } from './errors.js';
import { isIsoDate } from './model/iso-date.js';
import { applyTexts, parseTextsFile } from './model/texts-file.js';
import { renderEdition, type WorkbookRenderer } from './render/render-edition.js';
import { readTemplateSnapshot, snapshotBytes, takeTemplateSnapshot, withSnapshot } from './render/template-snapshot.js';
import type { ErratumInput, RenderRequest } from './render/types.js';
import { loadResources } from './resources.js';
import { createWorkbookPool, type WorkbookPool } from './workbook-pool.js';

const USAGE = `Usage: npm run render -- --dataset <file> [--texts <teksten.md>] --out <dir>
         [--previous <as-published dataset> --erratum-date YYYY-MM-DD [--erratum-text <file.md>]]
         [--previous-period <dataset of the previous period>] [--accept-warnings]
         [--templates <sjablonen.json of the edition corrected>] [--timings]

Runs the checks before publishing first (as npm run check): an error refuses the render; warnings
refuse it too unless --accept-warnings is given, which writes <dir>/geaccepteerde-waarschuwingen.json.
Writes <dir>/publicatie.pdf and <dir>/tabellenbijlage.xlsx; with --previous also <dir>/erratum.pdf.
--texts gives the edition's period texts (docs/editors.md); they replace the dataset's texts of the same name.
Each render also writes <dir>/sjablonen.json: the templates it used. A correction renders with the
templates of the edition it corrects when given --templates <that edition's sjablonen.json>.
--timings prints on stderr when the modules were loaded, the datasets read, the checks done, each step
of the render began, the workbook came back from its thread and the files were written, in ms since
the process started: where the time of a render goes.`;

/**
 * The timeline of a render for --timings, in ms since the process started (performance.now()):
 * the modules loaded, the datasets read, the checks done, each step of the render begun (its
 * onStep), the workbook back from its thread, the files written. One line on stderr.
 */
class StepTimes {
  readonly #marks: [string, number][] = [['modules', performance.now()]];
  mark(step: string): void {
    this.#marks.push([step, performance.now()]);
  }
  toString(): string {
    return `timings (ms since start): ${this.#marks.map(([step, ms]) => `${step}=${Math.round(ms)}`).join(' ')}`;
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const times = new StepTimes();
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dataset: { type: 'string' },
      out: { type: 'string' },
      texts: { type: 'string' },
      templates: { type: 'string' },
      previous: { type: 'string' },
      'erratum-date': { type: 'string' },
      'erratum-text': { type: 'string' },
      'previous-period': { type: 'string' },
      'accept-warnings': { type: 'boolean' },
      timings: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.dataset || !values.out) throw new AppError('USAGE', `--dataset and --out are required\n\n${USAGE}`);
  // The workbook thread, with a second core to run on: it loads the workbook writer while this
  // thread reads the datasets and runs the checks, and renders the workbook while this one prints the PDFs.
  const workbookPool = availableParallelism() > 1 ? createWorkbookPool() : undefined;
  try {
    await renderToFolder(values as RenderArgs, workbookPool, times);
  } finally {
    await workbookPool?.close();
  }
  if (values.timings) console.error(String(times));
}

/** The arguments of a render, checked. */
type RenderArgs = { readonly dataset: string; readonly out: string } & Partial<
  Record<'texts' | 'templates' | 'previous' | 'erratum-date' | 'erratum-text' | 'previous-period', string>
> & {
    readonly 'accept-warnings'?: boolean;
  };

async function renderToFolder(values: RenderArgs, workbookPool: WorkbookPool | undefined, times: StepTimes): Promise<void> {
  let dataset = await readDatasetFile(values.dataset);
  if (values.texts)
    dataset = applyTexts(dataset, parseTextsFile(await readInputText(values.texts, 'TEXTS_INVALID'), values.texts), values.texts);
  const request: { -readonly [K in keyof RenderRequest]: RenderRequest[K] } = { dataset };
  if (values.previous) {
    request.previous = await readDatasetFile(values.previous);
    if (values['erratum-date'] !== undefined && !isIsoDate(values['erratum-date']))
      throw new AppError('ERRATUM_INVALID', `--erratum-date must be a date as YYYY-MM-DD, not "${values['erratum-date'].slice(0, 40)}"`);
    const erratum: ErratumInput = {
      date: values['erratum-date'] ?? '',
      text: values['erratum-text'] ? await readInputText(values['erratum-text'], 'ERRATUM_INVALID') : '',
    };
    request.erratum = erratum;
  } else if (values['erratum-date'] || values['erratum-text']) {
    throw new AppError('USAGE', '--erratum-date and --erratum-text go with --previous');
  }
  times.mark('read');
  const resources = loadResources();
  // The templates: the current ones, or those kept with the edition a correction corrects. The checks
  // read the same templates as the render.
  let snapshot = takeTemplateSnapshot(resources.templates, dataset.publication.template);
  if (values.templates) {
    snapshot = readTemplateSnapshot(await readInputText(values.templates, 'TEMPLATE_INVALID'), values.templates);
    if (snapshot.template !== dataset.publication.template)
      throw new AppError(
        'TEMPLATE_INVALID',
        `${values.templates} holds template "${snapshot.template}", the dataset asks for "${dataset.publication.template}"`,
      );
  }
  console.log(
    values.templates
      ? `templates: kept with the edition, ${snapshot.template} ${snapshot.sha256.slice(0, 12)} (from ${values.templates})`
      : `templates: current, templates/${snapshot.template} ${snapshot.sha256.slice(0, 12)}`,
  );
  const templates = withSnapshot(resources.templates, snapshot);
  const report = checkWithTemplates(dataset, templates, {
    ...(request.previous ? { compare: request.previous } : {}),
    ...(values['previous-period'] ? { previous: await readDatasetFile(values['previous-period']) } : {}),
  });
  if (report.errors > 0 || report.warnings > 0) console.error(formatReport(report));
  if (report.errors > 0) {
    throw new AppError('DATASET_IMPLAUSIBLE', `the checks found ${report.errors} error(s) in ${values.dataset}; nothing was rendered`);
  }
  const accepted = report.findings.filter((f) => f.severity === 'warning');
  if (accepted.length > 0 && !values['accept-warnings']) {
    throw new AppError(
      'WARNINGS_NOT_ACCEPTED',
      `the checks found ${accepted.length} warning(s) in ${values.dataset}; look at them and render again with --accept-warnings`,
    );
  }
  times.mark('checks');
  const workbookRenderer: WorkbookRenderer | undefined = workbookPool
    ? (...task) => workbookPool.render(...task).finally(() => times.mark('workbook'))
    : undefined;
  const result = await renderEdition(
    request,
    { ...resources, templates },
    { ...(workbookRenderer ? { workbookRenderer } : {}), onStep: (step) => times.mark(step) },
  );
  times.mark('rendered');
  await mkdir(values.out, { recursive: true });
  for (const artifact of result.artifacts) {
    const file = path.join(values.out, artifact.name);
    await writeFileAtomic(file, artifact.bytes);
    console.log(`wrote ${file} (${artifact.bytes.length} bytes)`);
  }
  if (accepted.length > 0) {
    const file = path.join(values.out, 'geaccepteerde-waarschuwingen.json');
    const acceptance = { by: userInfo().username, at: new Date().toISOString(), findings: accepted.map((f) => f.id) };
    await writeFileAtomic(file, Buffer.from(`${JSON.stringify({ acceptance, findings: accepted }, null, 2)}\n`));
    console.log(`wrote ${file} (${accepted.length} accepted warning(s))`);
  }
  const kept = path.join(values.out, 'sjablonen.json');
  await writeFileAtomic(kept, snapshotBytes(snapshot));
  times.mark('written');
  console.log(`wrote ${kept} (the templates of this edition)`);
  console.log(`${result.publicationId}, edition ${result.edition}${result.correctedOn ? `, corrected on ${result.correctedOn}` : ''}`);
}

runCli(main, USAGE);
