import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from './cli-run.js';
import { AppError } from './errors.js';
import { parseDatasetText } from './model/dataset.js';
import { applyTexts, parseTextsFile } from './model/texts-file.js';
import { renderEdition } from './render/render-edition.js';
import type { ErratumInput, RenderRequest } from './render/types.js';
import { loadResources } from './resources.js';

const USAGE = `Usage: npm run render -- --dataset <file> [--texts <teksten.md>] --out <dir>
         [--previous <as-published dataset> --erratum-date YYYY-MM-DD [--erratum-text <file.md>]]

Writes <dir>/publicatie.pdf and <dir>/tabellenbijlage.xlsx; with --previous also <dir>/erratum.pdf.
--texts gives the edition's period texts (docs/editors.md); they replace the dataset's texts of the same name.`;

async function readDataset(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('DATASET_UNREADABLE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
  return parseDatasetText(text, file);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('TEXTS_INVALID', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}

/** Writes a file atomically: a temporary file in the same folder, then a rename. */
async function writeAtomic(file: string, bytes: Buffer): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, file);
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dataset: { type: 'string' },
      out: { type: 'string' },
      texts: { type: 'string' },
      previous: { type: 'string' },
      'erratum-date': { type: 'string' },
      'erratum-text': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.dataset || !values.out) throw new AppError('USAGE', `--dataset and --out are required\n\n${USAGE}`);
  let dataset = await readDataset(values.dataset);
  if (values.texts) dataset = applyTexts(dataset, parseTextsFile(await readText(values.texts), values.texts), values.texts);
  const request: { -readonly [K in keyof RenderRequest]: RenderRequest[K] } = { dataset };
  if (values.previous) {
    request.previous = await readDataset(values.previous);
    const erratum: ErratumInput = {
      date: values['erratum-date'] ?? '',
      text: values['erratum-text'] ? await readFile(values['erratum-text'], 'utf8') : '',
    };
    request.erratum = erratum;
  } else if (values['erratum-date'] || values['erratum-text']) {
    throw new AppError('USAGE', '--erratum-date and --erratum-text go with --previous');
  }
  // One render per process: a workbook thread would first have to load tsx, exceljs and the writer
  // (+80 MiB), which costs what printing alongside saves (measured: 2.8 s either way).
  const result = await renderEdition(request, loadResources(), { workbookThread: false });
  await mkdir(values.out, { recursive: true });
  for (const artifact of result.artifacts) {
    const file = path.join(values.out, artifact.name);
    await writeAtomic(file, artifact.bytes);
    console.log(`wrote ${file} (${artifact.bytes.length} bytes)`);
  }
  console.log(`${result.publicationId}, edition ${result.edition}${result.correctedOn ? `, corrected on ${result.correctedOn}` : ''}`);
}

runCli(main, USAGE);
