import { readFile } from 'node:fs/promises';
import { AppError } from '../errors.js';
import { type Dataset, parseDataset, parseDatasetJson } from '../model/dataset.js';
import type { DatasetInput } from '../model/dataset-schema.js';
import { isIsoDate } from '../model/iso-date.js';
import { periodRange } from '../render/tables/table-model.js';
import { importCsv, parseCsvMapping } from './csv.js';
import { openSource, type SourceFiles, zipSource } from './source-files.js';
import { importStatLineV3, isStatLineV3 } from './statline-v3.js';
import { importStatLineV4, isStatLineV4, type StatLineOptions } from './statline-v4.js';
import type { ImportedTable } from './table-builder.js';

/** Everything an import may be told besides the source. */
export interface ImportOptions {
  /** The CSV mapping file (CSV only). */
  readonly mapping?: string;
  /** An existing dataset to add the table to (replacing a table of the same id). */
  readonly into?: string;
  /** The table's id in the dataset. */
  readonly as?: string;
  /** For a new dataset: the publication id (default from the table), template (default statline-tabel) and date. */
  readonly publicationId?: string;
  readonly template?: string;
  readonly publicationDate?: string;
  /** Status for periods whose code list gives none. */
  readonly periodStatus?: StatLineOptions['periodStatus'];
}

/** The result: the checked dataset, its input form to write, and what the editor should know. */
export interface ImportResult {
  readonly dataset: Dataset;
  readonly input: DatasetInput;
  readonly tableId: string;
  readonly format: 'statline-v4' | 'statline-v3' | 'csv';
  readonly notes: readonly string[];
  readonly figures: number;
}

function statlineOptions(options: ImportOptions): StatLineOptions {
  return {
    ...(options.as ? { tableId: options.as } : {}),
    ...(options.periodStatus ? { periodStatus: options.periodStatus } : {}),
  };
}

async function readTable(source: string, options: ImportOptions): Promise<{ imported: ImportedTable; format: ImportResult['format'] }> {
  const statline = statlineOptions(options);
  if (/\.(csv|txt)$/i.test(source)) {
    if (!options.mapping) throw new AppError('USAGE', `${source}: a CSV needs --mapping <mapping.json> (see docs/import.md)`);
    const mapping = parseCsvMapping(await readText(options.mapping), options.mapping);
    if (options.as) mapping.table.id = options.as;
    return { imported: importCsv(await readBytes(source), source, mapping, options.mapping), format: 'csv' };
  }
  return readStatLine(await openSource(source), source, statline);
}

async function readStatLine(
  files: SourceFiles,
  source: string,
  statline: StatLineOptions,
): Promise<{ imported: ImportedTable; format: ImportResult['format'] }> {
  if (isStatLineV4(files)) return { imported: await importStatLineV4(files, statline), format: 'statline-v4' };
  if (isStatLineV3(files)) return { imported: await importStatLineV3(files, statline), format: 'statline-v3' };
  throw new AppError(
    'IMPORT_INVALID',
    `${source}: neither StatLine open data v4 (MeasureCodes.json, Observations.json) nor v3 (TableInfos.json, DataProperties.json); found ${files.names.join(', ') || 'no files'}`,
  );
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new AppError('IMPORT_INVALID', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
}

async function readText(file: string): Promise<string> {
  return (await readBytes(file)).toString('utf8');
}

/** The publication of a new dataset: the table's title, its latest period and that period's status. */
function newPublication(imported: ImportedTable, options: ImportOptions): DatasetInput['publication'] {
  const { table, source } = imported;
  const time = table.dimensions.find((d) => d.kind === 'time');
  const latest = time?.codes[time.codes.length - 1];
  if (!latest?.status)
    throw new AppError('IMPORT_INVALID', `${table.id}: the table has no period dimension, so the publication's period cannot be known`);
  if (options.publicationDate !== undefined && !isIsoDate(options.publicationDate))
    throw new AppError(
      'IMPORT_INVALID',
      `the publication date must be a date as YYYY-MM-DD, not "${options.publicationDate.slice(0, 40)}"`,
    );
  const date = options.publicationDate ?? source.modified?.slice(0, 10);
  if (!date || !isIsoDate(date))
    throw new AppError(
      'IMPORT_INVALID',
      `${source.identifier}: the files give no modification date; give the publication date with --date YYYY-MM-DD`,
    );
  return {
    id: options.publicationId ?? `statline-${table.id}`.slice(0, 80).replace(/-+$/, ''),
    template: options.template ?? 'statline-tabel',
    title: table.title,
    // Several periods: the publication covers their range (as the table titles say); its key is the latest.
    period: { key: latest.key, title: periodRange(time?.codes[0]?.title ?? latest.title, latest.title) },
    status: latest.status,
    publicationDate: date,
    edition: 1,
  };
}

/**
 * Imports a StatLine v4 or v3 download (folder or ZIP) or a CSV with its mapping into a dataset,
 * new or an existing one, and checks it with parseDataset. Writes nothing.
 */
export async function importDataset(source: string, options: ImportOptions = {}): Promise<ImportResult> {
  return finish(await readTable(source, options), source, options);
}

/** A file uploaded through the API: a ZIP of StatLine files, or a CSV with its mapping. */
export type ImportUpload =
  | { readonly kind: 'statline'; readonly name: string; readonly bytes: Buffer }
  | { readonly kind: 'csv'; readonly name: string; readonly bytes: Buffer; readonly mapping: unknown };

/** Imports an upload into a new dataset, as `importDataset` does with files: checked, nothing stored. */
export async function importUpload(upload: ImportUpload, options: Omit<ImportOptions, 'into' | 'mapping'> = {}): Promise<ImportResult> {
  const statline = statlineOptions(options);
  if (upload.kind === 'csv') {
    const mapping = parseCsvMapping(JSON.stringify(upload.mapping ?? null), 'mapping');
    if (options.as) mapping.table.id = options.as;
    return finish({ imported: importCsv(upload.bytes, upload.name, mapping, 'mapping'), format: 'csv' }, upload.name, options);
  }
  return finish(await readStatLine(zipSource(upload.bytes, upload.name), upload.name, statline), upload.name, options);
}

async function finish(
  read: { imported: ImportedTable; format: ImportResult['format'] },
  source: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const { imported, format } = read;
  const notes = [...imported.notes];
  let input: DatasetInput;
  if (options.into) {
    const existing = parseDatasetJson((await readText(options.into)).replace(/^\ufeff/, ''), options.into) as DatasetInput;
    parseDataset(existing, options.into);
    const tables = existing.tables.filter((t) => t.id !== imported.table.id);
    if (tables.length < existing.tables.length) notes.push(`table "${imported.table.id}" of ${options.into} is replaced`);
    const at = existing.tables.findIndex((t) => t.id === imported.table.id);
    tables.splice(at < 0 ? tables.length : at, 0, imported.table);
    input = { ...existing, tables };
  } else {
    input = { formatVersion: 1, publication: newPublication(imported, options), tables: [imported.table] };
  }
  const dataset = parseDataset(input, `the imported dataset (${source})`);
  const figures = imported.table.rows.length * imported.table.measures.length;
  return { dataset, input, tableId: imported.table.id, format, notes, figures };
}
