import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from './cli-run.js';
import { writeFileAtomic } from './atomic-write.js';
import { AppError } from './errors.js';
import { importDataset } from './import/import-dataset.js';
import { formatDatasetJson } from './model/dataset-json.js';

const USAGE = `Usage: npm run import -- <source> --out <dataset.json>
         [--mapping <mapping.json>]            (CSV only: columns, units, decimals)
         [--into <dataset.json> --as <table id>] (add or replace a table in an existing dataset)
         [--as <table id>] [--id <publication id>] [--template <name>] [--date YYYY-MM-DD]
         [--status voorlopig|"nader voorlopig"|definitief]  (for periods the source gives no status)

<source> is a folder or .zip with StatLine open data v4 files (Observations.json, MeasureCodes.json,
Dimensions.json, <Dimension>Codes.json, Properties.json) or v3 files (TableInfos.json,
DataProperties.json, <Dimension>.json, UntypedDataSet.json or TypedDataSet.json), or a .csv file.
Nothing is written unless the whole dataset is valid. See docs/import.md.`;

const STATUSES = ['voorlopig', 'nader voorlopig', 'definitief'] as const;

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      mapping: { type: 'string' },
      into: { type: 'string' },
      as: { type: 'string' },
      id: { type: 'string' },
      template: { type: 'string' },
      date: { type: 'string' },
      status: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const source = positionals[0];
  if (!source || positionals.length > 1 || !values.out) throw new AppError('USAGE', `one <source> and --out are required\n\n${USAGE}`);
  if (values.into && !values.as) throw new AppError('USAGE', '--into needs --as <table id>: the id of the table to add or replace');
  const status = values.status as (typeof STATUSES)[number] | undefined;
  if (status && !STATUSES.includes(status)) throw new AppError('USAGE', `--status must be one of ${STATUSES.join(', ')}`);
  const result = await importDataset(source, {
    ...(values.mapping ? { mapping: values.mapping } : {}),
    ...(values.into ? { into: values.into } : {}),
    ...(values.as ? { as: values.as } : {}),
    ...(values.id ? { publicationId: values.id } : {}),
    ...(values.template ? { template: values.template } : {}),
    ...(values.date ? { publicationDate: values.date } : {}),
    ...(status ? { periodStatus: status } : {}),
  });
  await mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
  await writeFileAtomic(values.out, formatDatasetJson(result.input));
  console.log(`wrote ${values.out}: table "${result.tableId}" (${result.format}), ${result.figures} figures`);
  for (const note of result.notes) console.log(`  note: ${note}`);
}

runCli(main, USAGE);
