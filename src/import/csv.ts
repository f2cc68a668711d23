import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { FigureStatusSchema, RegionLevelSchema } from '../model/dataset-schema.js';
import { parseJsonFile } from './json-objects.js';
import { decodeUtf8 } from './source-files.js';
import {
  type ImportCell,
  type ImportCode,
  type ImportDimension,
  type ImportedTable,
  markTotals,
  Problems,
  setRegionLevels,
  TableBuilder,
} from './table-builder.js';

const CodeMapping = z.strictObject({
  key: z.string().min(1),
  title: z.string().min(1),
  level: RegionLevelSchema.optional(),
  status: FigureStatusSchema.optional(),
  total: z.boolean().optional(),
});

/** The mapping of a CSV file: which columns are dimensions and which measures, with units and decimals. */
export const CsvMappingSchema = z.strictObject({
  table: z.strictObject({ id: z.string().min(1), title: z.string().min(1), description: z.string().optional() }),
  /** long: one figure per line (a measure column and a value column); wide: one column per measure. */
  layout: z.enum(['long', 'wide']),
  /** Default: guessed from the header line (";" or ","), and said so. */
  delimiter: z.enum([';', ',', '\t']).optional(),
  /** "," (Dutch, default) or "."; the other one, spaces and no-break spaces separate thousands. */
  decimalSeparator: z.enum([',', '.']).default(','),
  dimensions: z
    .array(
      z.strictObject({
        column: z.string().min(1),
        key: z.string().min(1),
        title: z.string().min(1),
        kind: z.enum(['geo', 'time', 'category']),
        /** A column with the codes' titles, when `column` holds the codes. */
        titleColumn: z.string().optional(),
        /** The code list in order; without it the codes are taken in order of appearance. */
        codes: z.array(CodeMapping).optional(),
        /** For a time dimension: the status of every period the code list gives none for. */
        status: FigureStatusSchema.optional(),
        /** The code of the total (category dimensions), when it is not a StatLine T-code titled "Totaal". */
        total: z.string().optional(),
      }),
    )
    .min(1),
  measures: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        title: z.string().min(1),
        unit: z.string().min(1),
        decimals: z.int().min(0).max(6),
        description: z.string().optional(),
        /** wide: the column of this measure (default its title); long: the text in the measure column (default its key or title). */
        column: z.string().optional(),
      }),
    )
    .min(1),
  /** long only: the column naming the measure, and the column with the figure. */
  measureColumn: z.string().optional(),
  valueColumn: z.string().optional(),
});
export type CsvMapping = z.output<typeof CsvMappingSchema>;

/** Reads and checks a mapping file. */
export function parseCsvMapping(textOfFile: string, file: string): CsvMapping {
  const parsed = CsvMappingSchema.safeParse(parseJsonFile(textOfFile, file));
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      path: i.path.join('.'),
      message: `${file}: field "${i.path.join('.')}": ${i.message}`,
    }));
    throw new AppError('IMPORT_INVALID', `${file} is not a valid CSV mapping: ${details[0]?.message ?? ''}`, { details });
  }
  const mapping = parsed.data;
  if (mapping.layout === 'long' && (!mapping.measureColumn || !mapping.valueColumn))
    throw new AppError('IMPORT_INVALID', `${file}: a long CSV needs "measureColumn" and "valueColumn"`);
  return mapping;
}

const THOUSANDS_SPACE = /[\s\u00a0\u202f]/g;

/**
 * A figure as written in a Dutch CSV: "1.234,5" or "1 234,5" (decimal comma), "." unknown, empty
 * the blank. Returns the number and the decimals written, or why it is not a figure.
 */
export function readFigure(raw: string, decimalSeparator: ',' | '.'): { cell: ImportCell; decimals: number } | { error: string } {
  const t = raw.trim();
  if (t === '') return { cell: '', decimals: 0 };
  if (t === '.') return { cell: '.', decimals: 0 };
  const thousands = decimalSeparator === ',' ? '.' : ',';
  const compact = t.replace(THOUSANDS_SPACE, '');
  const d = decimalSeparator === ',' ? ',' : '\\.';
  const k = thousands === '.' ? '\\.' : ',';
  const grouped = new RegExp(`^-?\\d{1,3}(${k}\\d{3})+(${d}\\d+)?$`);
  const plain = new RegExp(`^-?\\d+(${d}\\d+)?$`);
  if (!plain.test(compact) && !grouped.test(compact)) {
    return { error: `"${t}" is not a figure (write numbers with decimal "${decimalSeparator}", "." for unknown, nothing for the blank)` };
  }
  const [whole, fraction = ''] = compact.split(decimalSeparator);
  const value = Number(`${(whole ?? '').split(thousands).join('')}${fraction ? `.${fraction}` : ''}`);
  return { cell: value, decimals: fraction.length };
}

/**
 * Imports a CSV file (long or wide) with its mapping: UTF-8 with or without BOM, ";" or ",",
 * Dutch decimal comma and thousands separators, "." and blank as symbols.
 */
export function importCsv(bytes: Buffer, file: string, mapping: CsvMapping, mappingFile: string): ImportedTable {
  const problems = new Problems(file);
  const notes: string[] = [];
  const content = decodeUtf8(bytes, file);
  const firstLine = content.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  let delimiter = mapping.delimiter;
  if (!delimiter) {
    const counts = ([';', ',', '\t'] as const).map((c) => [c, firstLine.split(c).length - 1] as const).sort((a, b) => b[1] - a[1]);
    delimiter = counts[0]?.[1] ? counts[0][0] : ';';
    notes.push(`${file}: fields taken as separated by "${delimiter === '\t' ? 'tab' : delimiter}" (from the header line)`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new AppError('IMPORT_INVALID', `${file}${e.lines ? `, line ${e.lines}` : ''}: ${e.message}`);
  }
  const header = (records[0]?.record ?? []).map((h) => h.trim());
  if (header.length === 0) throw new AppError('IMPORT_INVALID', `${file}: the file is empty`);
  const column = (name: string, what: string): number => {
    const at = header.indexOf(name);
    if (at < 0) problems.add(`${mappingFile}`, `${what}: column "${name}" is not in the header of ${file} (${header.join(', ')})`);
    return at;
  };
  const dimColumns = mapping.dimensions.map((d) => column(d.column, `dimension ${d.key}`));
  const titleColumns = mapping.dimensions.map((d) => (d.titleColumn ? column(d.titleColumn, `dimension ${d.key} titleColumn`) : -1));
  const measureColumns = mapping.layout === 'wide' ? mapping.measures.map((m) => column(m.column ?? m.title, `measure ${m.key}`)) : [];
  const measureColumn = mapping.layout === 'long' ? column(mapping.measureColumn ?? '', 'measureColumn') : -1;
  const valueColumn = mapping.layout === 'long' ? column(mapping.valueColumn ?? '', 'valueColumn') : -1;
  problems.check();

  const body = records.slice(1);
  // Code lists: from the mapping, or in order of appearance.
  const dimensions: ImportDimension[] = mapping.dimensions.map((d, di) => {
    let codes: ImportCode[];
    if (d.codes) codes = d.codes.map((c) => ({ ...c }));
    else {
      const seen = new Map<string, ImportCode>();
      for (const { record, info } of body) {
        const key = (record[dimColumns[di] ?? -1] ?? '').trim();
        if (key === '' || seen.has(key)) continue;
        if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(key)) {
          problems.add(
            `${file}, line ${info.lines}, field "${d.column}"`,
            `"${key}" cannot be a code (letters, digits, "_" and "-" only): give the codes with their titles in the mapping (dimensions[${di}].codes) or a column of codes`,
          );
          continue;
        }
        const titleAt = titleColumns[di] ?? -1;
        seen.set(key, { key, title: titleAt >= 0 ? (record[titleAt] ?? '').trim() || key : key });
      }
      codes = [...seen.values()];
      notes.push(`${d.key}: ${codes.length} codes taken from the file in order of appearance`);
    }
    const dim: ImportDimension = { key: d.key, title: d.title, kind: d.kind, codes };
    if (d.kind === 'time') {
      for (const code of codes) {
        code.status ??= d.status;
        if (!code.status)
          problems.add(
            `${mappingFile}, dimensions[${di}]`,
            `period ${code.key} has no status: give "status" (voorlopig, nader voorlopig, definitief) for the dimension or per code`,
          );
      }
    }
    if (!d.codes) setRegionLevels(dim, notes);
    if (d.total) {
      const total = codes.find((c) => c.key === d.total);
      if (total) total.total = true;
      else problems.add(`${mappingFile}, dimensions[${di}].total`, `code "${d.total}" is not in the code list`);
    } else if (!d.codes) markTotals(dim, notes);
    return dim;
  });
  problems.check();

  const measures = mapping.measures.map((m) => ({
    key: m.key,
    title: m.title,
    unit: m.unit,
    decimals: m.decimals,
    ...(m.description ? { description: m.description } : {}),
  }));
  const measureByText = new Map<string, string>();
  for (const m of mapping.measures) for (const name of [m.column, m.key, m.title]) if (name) measureByText.set(name, m.key);
  const builder = new TableBuilder(dimensions, measures, problems);
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length < header.length) {
      problems.add(`${file}, line ${line}`, `${record.length} fields, the header has ${header.length}`);
      continue;
    }
    const codes: Record<string, string> = {};
    mapping.dimensions.forEach((d, di) => {
      codes[d.key] = (record[dimColumns[di] ?? -1] ?? '').trim();
    });
    const figure = (raw: string, measureKey: string, columnName: string) => {
      const where = `${file}, line ${line}, field "${columnName}"`;
      const read = readFigure(raw, mapping.decimalSeparator);
      if ('error' in read) return problems.add(where, read.error);
      const measure = measures.find((m) => m.key === measureKey);
      if (measure && read.decimals > measure.decimals)
        return problems.add(where, `"${raw.trim()}" has ${read.decimals} decimals, measure ${measure.key} allows ${measure.decimals}`);
      builder.add(codes, measureKey, read.cell, where);
    };
    if (mapping.layout === 'wide') {
      mapping.measures.forEach((m, mi) => {
        figure(record[measureColumns[mi] ?? -1] ?? '', m.key, m.column ?? m.title);
      });
    } else {
      const name = (record[measureColumn] ?? '').trim();
      const key = measureByText.get(name);
      if (!key) problems.add(`${file}, line ${line}, field "${mapping.measureColumn}"`, `"${name}" is not a measure of the mapping`);
      else figure(record[valueColumn] ?? '', key, mapping.valueColumn ?? '');
    }
  }
  if (builder.observations === 0 && !problems.any) problems.add(file, 'no figures');
  problems.check();
  const table = builder.build(
    { id: mapping.table.id, title: mapping.table.title, ...(mapping.table.description ? { description: mapping.table.description } : {}) },
    notes,
  );
  return { table, source: { identifier: mapping.table.id, title: mapping.table.title, modified: undefined }, notes };
}
