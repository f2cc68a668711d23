import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readInputText } from './cli-dataset.js';
import { runCli } from './cli-run.js';
import { AppError } from './errors.js';
import { parseDatasetJson } from './model/dataset.js';
import { formatDatasetJson } from './model/dataset-json.js';
import { newPeriodSkeleton } from './model/new-period.js';
import { parseTextsFile } from './model/texts-file.js';
import { templateSectionNames } from './render/period-sections.js';
import { loadTemplates } from './resources.js';

const USAGE = `Usage: npm run new-period -- --from <dataset of the last period> --period <code, e.g. 2019HJ02> --out <dir>
         [--title "2e halfjaar van 2019"] [--texts <texts file of the last period>]

Writes <dir>/dataset.json (the publication block with the new period, every table without figures)
and <dir>/teksten.md (each period text of the last period, marked to be reviewed). Overwrites nothing.`;

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      from: { type: 'string' },
      period: { type: 'string' },
      title: { type: 'string' },
      texts: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.from || !values.period || !values.out) throw new AppError('USAGE', `--from, --period and --out are required\n\n${USAGE}`);
  const text = await readInputText(values.from, 'DATASET_UNREADABLE');
  const raw = parseDatasetJson(text, values.from);
  const sections = templateSectionNames(loadTemplates(), (raw as { publication?: { template?: unknown } }).publication?.template);
  const skeleton = newPeriodSkeleton(
    raw,
    {
      period: values.period,
      ...(values.title ? { title: values.title } : {}),
      ...(values.texts ? { previousTexts: parseTextsFile(await readInputText(values.texts, 'TEXTS_INVALID'), values.texts) } : {}),
      sections,
    },
    values.from,
  );
  await mkdir(values.out, { recursive: true });
  const datasetFile = path.join(values.out, 'dataset.json');
  const textsFile = path.join(values.out, 'teksten.md');
  for (const [file, text] of [
    [datasetFile, formatDatasetJson(skeleton.dataset)],
    [textsFile, skeleton.texts],
  ] as const) {
    if (!(await writeFileAtomic(file, text, { once: true }))) {
      throw new AppError('USAGE', `${file} already exists: new-period overwrites nothing`);
    }
  }
  console.log(`wrote ${datasetFile}\nwrote ${textsFile}\n\nNog te doen voordat de publicatie rendert:`);
  for (const line of skeleton.todo) console.log(`- ${line}`);
}

runCli(main, USAGE);
