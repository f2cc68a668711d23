import { parseJsonFile, valueObjects } from './json-objects.js';
import { measureDecimals, paragraphs, readDimension, readList, text } from './statline-common.js';
import type { SourceFiles } from './source-files.js';
import {
  type ImportCell,
  type ImportDimension,
  type ImportedTable,
  type ImportMeasure,
  Problems,
  TableBuilder,
  tableIdFrom,
} from './table-builder.js';

/** What the importer needs to be told when the files do not say it. */
export interface StatLineOptions {
  /** Table id in the dataset; default from the StatLine identifier. */
  readonly tableId?: string;
  /** Status for periods whose code list gives none. */
  readonly periodStatus?: 'voorlopig' | 'nader voorlopig' | 'definitief';
}

/**
 * ValueAttribute of an observation in CBS open data v4, and the cell it becomes. "None" carries a
 * figure; "Missing" and "Confidential" are "." (unknown, secret); "Impossible" is the blank
 * (cannot occur).
 */
const VALUE_ATTRIBUTES: Readonly<Record<string, ImportCell | 'value'>> = {
  None: 'value',
  Missing: '.',
  Confidential: '.',
  Impossible: '',
};

const KINDS: Readonly<Record<string, ImportDimension['kind']>> = {
  Dimension: 'category',
  TimeDimension: 'time',
  GeoDimension: 'geo',
  GeoDetailDimension: 'geo',
};

/** Measure keys must start with a letter in the dataset; v4 identifiers such as "1050010_2" get an "M". */
function measureKey(identifier: string): string {
  return /^[A-Za-z]/.test(identifier) ? identifier : `M${identifier}`;
}

/** True when the files are a v4 download: Observations and MeasureCodes. */
export function isStatLineV4(files: SourceFiles): boolean {
  return files.names.includes('MeasureCodes.json') && files.names.some((n) => /^Observations.*\.json$/.test(n));
}

/**
 * Imports a StatLine table from CBS open data v4 (OData 4) files as the API returns them:
 * Properties.json, Dimensions.json, MeasureCodes.json, <Dimension>Codes.json and
 * Observations.json (or Observations-*.json pages), in a folder or a ZIP archive. Observations are
 * streamed.
 */
export async function importStatLineV4(files: SourceFiles, options: StatLineOptions = {}): Promise<ImportedTable> {
  const problems = new Problems(files.label);
  const notes: string[] = [];
  const properties = files.names.includes('Properties.json')
    ? (parseJsonFile((await files.read('Properties.json')).toString('utf8'), 'Properties.json') as Record<string, unknown>)
    : {};
  const identifier = text(properties.Identifier) || 'statline';
  const title = text(properties.Title);
  if (!title) problems.add('Properties.json', 'field "Title" is missing: the table needs its title');

  const dimensions: ImportDimension[] = [];
  for (const [i, d] of (await readList(files, 'Dimensions.json')).entries()) {
    const where = `Dimensions.json, entity ${i + 1} (${text(d.Identifier) || '?'})`;
    const key = text(d.Identifier);
    const kind = KINDS[text(d.Kind)];
    if (!key) problems.add(where, 'field "Identifier" is missing');
    if (!kind) problems.add(where, `field "Kind": "${text(d.Kind)}" is not one of ${Object.keys(KINDS).join(', ')}`);
    if (!key || !kind) continue;
    dimensions.push(
      await readDimension(
        files,
        { key, title: text(d.Title), kind, file: `${key}Codes.json`, keyField: 'Identifier' },
        options.periodStatus,
        problems,
        notes,
      ),
    );
  }

  const measureKeys = new Map<string, string>();
  const measures: ImportMeasure[] = [];
  for (const [i, m] of (await readList(files, 'MeasureCodes.json')).entries()) {
    const id = text(m.Identifier);
    const where = `MeasureCodes.json, entity ${i + 1} (${id || '?'})`;
    if (!id) problems.add(where, 'field "Identifier" is missing');
    const decimals = measureDecimals(m, where, problems);
    if (!id || decimals === undefined) continue;
    const key = measureKey(id);
    if (key !== id) notes.push(`measure ${id} is written as key ${key} (a key starts with a letter)`);
    measureKeys.set(id, key);
    const description = text(m.Description);
    measures.push({ key, title: text(m.Title) || id, unit: text(m.Unit) || '?', decimals, ...(description ? { description } : {}) });
  }
  problems.check();

  const builder = new TableBuilder(dimensions, measures, problems);
  const pages = files.names.filter((n) => /^Observations.*\.json$/.test(n));
  for (const page of pages) {
    for await (const { value: o, line } of valueObjects(files.chunks(page), page)) {
      const where = `${page}, line ${line} (Id ${JSON.stringify(o.Id ?? null)})`;
      const attribute = typeof o.ValueAttribute === 'string' ? o.ValueAttribute : 'None';
      const meaning = VALUE_ATTRIBUTES[attribute];
      if (meaning === undefined) {
        problems.add(where, `field "ValueAttribute": "${attribute}" is unknown (known: ${Object.keys(VALUE_ATTRIBUTES).join(', ')})`);
        continue;
      }
      let cell: ImportCell;
      if (meaning === 'value') {
        if (typeof o.Value === 'number' && Number.isFinite(o.Value)) cell = o.Value;
        else if (typeof o.Value === 'string' || (o.StringValue !== undefined && o.StringValue !== null)) {
          problems.add(where, `field "Value": the figure is text (${JSON.stringify(o.Value ?? o.StringValue)}), not a number`);
          continue;
        } else {
          problems.add(where, 'field "Value" is null while ValueAttribute is "None": the figure is missing');
          continue;
        }
      } else cell = meaning;
      const measure = measureKeys.get(text(o.Measure)) ?? text(o.Measure);
      builder.add(o, measure, cell, where);
    }
  }
  if (builder.observations === 0) problems.add(pages[0] ?? 'Observations.json', 'no observations');
  problems.check();
  const id = options.tableId ?? tableIdFrom(identifier);
  const description = paragraphs(properties.Description) || undefined;
  const table = builder.build({ id, title, ...(description ? { description } : {}) }, notes);
  problems.check();
  const modified = text(properties.Modified) || text(properties.ObservationsModified) || undefined;
  return { table, source: { identifier, title, modified }, notes };
}
