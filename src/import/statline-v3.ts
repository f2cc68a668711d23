import { AppError } from '../errors.js';
import { valueObjects } from './json-objects.js';
import { measureDecimals, paragraphs, readDimension, readList, text } from './statline-common.js';
import type { SourceFiles } from './source-files.js';
import type { StatLineOptions } from './statline-v4.js';
import {
  type ImportCell,
  type ImportDimension,
  type ImportedTable,
  type ImportMeasure,
  Problems,
  TableBuilder,
  tableIdFrom,
} from './table-builder.js';

const KINDS: Readonly<Record<string, ImportDimension['kind']>> = {
  Dimension: 'category',
  TimeDimension: 'time',
  GeoDimension: 'geo',
  GeoDetail: 'geo',
};

/** True when the files are a v3 download: TableInfos and DataProperties. */
export function isStatLineV3(files: SourceFiles): boolean {
  return files.names.includes('TableInfos.json') && files.names.includes('DataProperties.json');
}

/** A figure of UntypedDataSet: text such as "       590", "       ." or "" (the blank). */
function untypedCell(raw: unknown): ImportCell | { error: string } {
  if (raw === null || raw === undefined) return '';
  const t = String(raw).trim();
  if (t === '') return '';
  if (t === '.') return '.';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return { error: `the figure is text (${JSON.stringify(t)}), not a number or "."` };
}

/**
 * Imports a StatLine table from CBS open data v3 (OData 3) files as the API returns them:
 * TableInfos.json, DataProperties.json, one code list per dimension (<Key>.json), and
 * UntypedDataSet.json (keeps "." and the blank apart) or, without it, TypedDataSet.json (writes
 * null for both: each null is taken as "." and counted in the notes).
 */
export async function importStatLineV3(files: SourceFiles, options: StatLineOptions = {}): Promise<ImportedTable> {
  const problems = new Problems(files.label);
  const notes: string[] = [];
  const info = (await readList(files, 'TableInfos.json'))[0] ?? {};
  const identifier = text(info.Identifier) || 'statline';
  const title = text(info.Title);
  if (!title) problems.add('TableInfos.json', 'field "Title" is missing: the table needs its title');

  const dimensions: ImportDimension[] = [];
  const measures: ImportMeasure[] = [];
  for (const [i, p] of (await readList(files, 'DataProperties.json')).entries()) {
    const type = text(p.Type);
    const key = text(p.Key);
    const where = `DataProperties.json, entity ${i + 1} (${key || type || '?'})`;
    if (type === 'Topic') {
      const decimals = measureDecimals(p, where, problems);
      if (decimals === undefined) continue;
      const description = text(p.Description);
      measures.push({ key, title: text(p.Title) || key, unit: text(p.Unit) || '?', decimals, ...(description ? { description } : {}) });
      continue;
    }
    const kind = KINDS[type];
    if (!kind) continue; // TopicGroup, DimensionGroup: headings only.
    dimensions.push(
      await readDimension(
        files,
        { key, title: text(p.Title), kind, file: `${key}.json`, keyField: 'Key' },
        options.periodStatus,
        problems,
        notes,
      ),
    );
  }
  if (measures.length === 0) problems.add('DataProperties.json', 'no Topic: the table has no measures');
  problems.check();

  const builder = new TableBuilder(dimensions, measures, problems);
  const untyped = files.names.includes('UntypedDataSet.json');
  const file = untyped ? 'UntypedDataSet.json' : 'TypedDataSet.json';
  if (!files.names.includes(file))
    throw new AppError('IMPORT_INVALID', `${files.label}: UntypedDataSet.json or TypedDataSet.json is missing`);
  let nulls = 0;
  for await (const { value: row, line } of valueObjects(files.chunks(file), file)) {
    const where = `${file}, line ${line} (ID ${JSON.stringify(row.ID ?? null)})`;
    for (const m of measures) {
      const raw = row[m.key];
      let cell: ImportCell;
      if (untyped) {
        const read = untypedCell(raw);
        if (typeof read === 'object') {
          problems.add(where, `${m.key}: ${read.error}`);
          continue;
        }
        cell = read;
      } else if (raw === null || raw === undefined) {
        nulls++;
        cell = '.';
      } else if (typeof raw === 'number' && Number.isFinite(raw)) cell = raw;
      else {
        problems.add(where, `${m.key}: the figure is text (${JSON.stringify(raw)}), not a number`);
        continue;
      }
      builder.add(row, m.key, cell, where);
    }
  }
  if (nulls > 0)
    notes.push(
      `TypedDataSet.json writes null for both "." and the blank: ${nulls} null figure(s) taken as "." (unknown); give UntypedDataSet.json to keep them apart`,
    );
  if (builder.observations === 0) problems.add(file, 'no rows');
  problems.check();
  const id = options.tableId ?? tableIdFrom(identifier);
  const description = paragraphs(info.Description) || paragraphs(info.ShortDescription) || text(info.Summary);
  const table = builder.build({ id, title, ...(description ? { description } : {}) }, notes);
  const modified = text(info.Modified) || undefined;
  return { table, source: { identifier, title, modified }, notes };
}
