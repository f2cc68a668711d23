import type { z } from 'zod';
import { AppError, type ErrorDetail } from '../errors.js';
import { type Code, DatasetSchema, type Dimension, type Footnote, type Measure, type Publication } from './dataset-schema.js';
import { capText } from './echo-limits.js';
import { JsonTextError, MAX_DATASET_DEPTH, parseJsonSafely } from './json-text.js';

/** A symbol of the Verklaring van tekens: "." unknown/unreliable/secret, "" cannot occur. */
export type CellSymbol = '.' | '';

/** One cell: a number, or a symbol, never both and never a number kept as text. */
export type Cell = { readonly kind: 'value'; readonly value: number } | { readonly kind: 'symbol'; readonly symbol: CellSymbol };

/** One row of a table: a code per dimension and a cell per measure, in declaration order. */
export interface DataRow {
  readonly codes: readonly string[];
  readonly cells: readonly Cell[];
}

/** A validated table with an index from code combination to row. */
export interface DataTable {
  readonly id: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly footnotes: readonly Footnote[];
  readonly source: string;
  readonly illustrative: boolean;
  readonly complete: boolean;
  readonly dimensions: readonly Dimension[];
  readonly measures: readonly Measure[];
  readonly rows: readonly DataRow[];
  /** Row number by `rowKey(codes)`. */
  readonly rowIndex: ReadonlyMap<string, number>;
}

/** A validated dataset: the input of every renderer. */
export interface Dataset {
  readonly publication: Publication;
  readonly tables: readonly DataTable[];
}

const MAX_REPORTED_ISSUES = 50;
const FOOTNOTE_MARKER = /\[\^(\d{1,2})\]/g;

/** The footnote numbers referred to by `[^n]` markers in a title. */
export function footnoteRefsIn(text: string): string[] {
  return [...text.matchAll(FOOTNOTE_MARKER)].map((m) => m[1] ?? '');
}

/** Splits a title into text and footnote markers, e.g. "Kerncijfers[^1] per regio". */
export function splitFootnoteMarkers(text: string): { text: string; note?: string }[] {
  const parts: { text: string; note?: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(FOOTNOTE_MARKER)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ text: '', note: m[1] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * A title with its footnote markers written as " 1)", apart from the word they mark ("Kerncijfers
 * 1) per Veilig Thuis-regio"), for plain-text outputs such as a workbook.
 */
export function toPlainTitle(text: string): string {
  return text.replace(new RegExp(`\\s*(?:${FOOTNOTE_MARKER.source})`, 'g'), (_m, ref: string) => ` ${ref})`);
}

/** A title without its footnote markers. */
export function stripFootnoteMarkers(text: string): string {
  return text.replace(FOOTNOTE_MARKER, '');
}

/** The key under which a row's code combination is indexed. */
export function rowKey(codes: readonly string[]): string {
  return codes.join('\u0000');
}

/** Turns a zod path into the JSON path notation used in messages: `tables[0].rows[3].X`. */
function toJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function describeZodIssue(raw: unknown, issue: z.core.$ZodIssue): ErrorDetail {
  const path = toJsonPath(issue.path);
  let place = path;
  const [first, tableIndex] = issue.path;
  if (first === 'tables' && typeof tableIndex === 'number') {
    const table = (raw as { tables?: { id?: unknown }[] }).tables?.[tableIndex];
    const id = typeof table?.id === 'string' ? ` "${table.id}"` : '';
    place = `table ${tableIndex + 1}${id}, ${toJsonPath(issue.path.slice(2))}`;
  }
  return { path, message: `${place}: ${issue.message}` };
}

function describeRow(table: { id: string; dimensions: readonly Dimension[] }, index: number, row: Record<string, unknown>): string {
  const coords = table.dimensions.map((d) => `${d.key}=${typeof row[d.key] === 'string' ? row[d.key] : '?'}`).join(', ');
  return `table "${table.id}", row ${index + 1} (${coords})`;
}

function checkUnique<T>(items: readonly T[], keyOf: (item: T) => string, report: (item: T, index: number) => void): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) report(item, index);
    seen.add(key);
  });
}

/** A figure at or above this size is refused: it would print hundreds of digits and is no count or share of anything. */
const MAX_FIGURE = 1e15;

function toCell(value: unknown): Cell | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'is not a finite number';
    if (Math.abs(value) >= MAX_FIGURE) return `is ${value.toExponential(2)}: no figure of this publication reaches 10^15`;
    return { kind: 'value', value };
  }
  if (value === '.' || value === '') return { kind: 'symbol', symbol: value };
  if (value === undefined) return 'is missing';
  if (value === null) return 'has no figure yet (null, as new-period leaves it): fill it by import or by hand';
  if (typeof value === 'string') {
    return /^\s*-?[\d\s.,]+\s*$/.test(value)
      ? `is the text "${capText(value, 40)}": write numbers as JSON numbers, not text`
      : `is the text "${capText(value, 40)}": only the symbols "." and "" may be text`;
  }
  return `must be a number or one of the symbols "." and "", not ${value === null ? 'null' : typeof value}`;
}

function decimalsOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  const text = String(value);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]);
  return text.split('.')[1]?.length ?? 0;
}

/**
 * Validates a parsed JSON value against the dataset format and returns the dataset model.
 * Throws AppError DATASET_INVALID listing every problem (up to 50) with its place.
 */
export function parseDataset(raw: unknown, sourceName = 'dataset'): Dataset {
  const parsed = DatasetSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => describeZodIssue(raw, issue));
    throw invalid(sourceName, details);
  }
  const file = parsed.data;
  const problems: ErrorDetail[] = [];
  const report = (path: string, message: string): void => {
    if (problems.length < MAX_REPORTED_ISSUES) problems.push({ path, message });
  };

  checkUnique(
    file.tables,
    (t) => t.id,
    (t, i) => report(`tables[${i}].id`, `table ${i + 1}: the id "${t.id}" is used by another table`),
  );

  const tables = file.tables.map((table, ti): DataTable => {
    const at = `tables[${ti}]`;
    const name = `table "${table.id}"`;
    const dimKeys = new Set(table.dimensions.map((d) => d.key));
    checkUnique(
      table.dimensions,
      (d) => d.key,
      (d, i) => report(`${at}.dimensions[${i}].key`, `${name}: dimension "${d.key}" is declared twice`),
    );
    table.dimensions.forEach((dim, di) => {
      checkUnique(
        dim.codes,
        (c) => c.key,
        (c, ci) => report(`${at}.dimensions[${di}].codes[${ci}].key`, `${name}, dimension "${dim.key}": code "${c.key}" is listed twice`),
      );
      dim.codes.forEach((code: Code, ci) => {
        if (code.level !== undefined && dim.kind !== 'geo') {
          report(`${at}.dimensions[${di}].codes[${ci}].level`, `${name}, dimension "${dim.key}": only geo codes have a level`);
        }
        if (code.status !== undefined && dim.kind !== 'time') {
          report(`${at}.dimensions[${di}].codes[${ci}].status`, `${name}, dimension "${dim.key}": only time codes have a status`);
        }
      });
    });
    const measureKeys = new Set(table.measures.map((m) => m.key));
    checkUnique(
      table.measures,
      (m) => m.key,
      (m, i) => report(`${at}.measures[${i}].key`, `${name}: measure "${m.key}" is declared twice`),
    );
    table.measures.forEach((measure, mi) => {
      if (dimKeys.has(measure.key)) {
        report(`${at}.measures[${mi}].key`, `${name}: "${measure.key}" is both a dimension and a measure`);
      }
      if (measure.parent !== undefined) {
        const parent = table.measures.find((m) => m.key === measure.parent);
        if (!parent)
          report(
            `${at}.measures[${mi}].parent`,
            `${name}, measure "${measure.key}": parent "${measure.parent}" is not a measure of this table`,
          );
        else if (parent.parent !== undefined) {
          report(
            `${at}.measures[${mi}].parent`,
            `${name}, measure "${measure.key}": parent "${parent.key}" is itself a part; one level of "waarvan" only`,
          );
        }
      }
    });
    const refs = new Set(table.footnotes.map((f) => f.ref));
    const checkMarkers = (text: string, path: string): void => {
      for (const ref of footnoteRefsIn(text)) {
        if (!refs.has(ref))
          report(path, `${name}: footnote marker [^${ref}] in "${text}" has no footnote ${ref}) in the table's footnotes`);
      }
    };
    checkMarkers(table.title, `${at}.title`);
    table.measures.forEach((m, mi) => checkMarkers(m.title, `${at}.measures[${mi}].title`));
    table.dimensions.forEach((d, di) => d.codes.forEach((c, ci) => checkMarkers(c.title, `${at}.dimensions[${di}].codes[${ci}].title`)));

    const codeSets = table.dimensions.map((d) => new Set(d.codes.map((c) => c.key)));
    const rowIndex = new Map<string, number>();
    const rows: DataRow[] = [];
    table.rows.forEach((row, ri) => {
      const rowAt = `${at}.rows[${ri}]`;
      // Named only in a problem: most rows have none.
      const place = (): string => describeRow(table, ri, row);
      const codes: string[] = [];
      let rowOk = true;
      table.dimensions.forEach((dim, di) => {
        const code = row[dim.key];
        if (typeof code !== 'string') {
          report(
            `${rowAt}.${dim.key}`,
            `${place()}: dimension "${dim.key}" ${code === undefined ? 'is missing' : 'must be a code (text)'}`,
          );
          rowOk = false;
        } else if (!codeSets[di]?.has(code)) {
          report(`${rowAt}.${dim.key}`, `${place()}: "${code}" is not a code of dimension "${dim.key}"`);
          rowOk = false;
        } else codes.push(code);
      });
      for (const field of Object.keys(row)) {
        if (!dimKeys.has(field) && !measureKeys.has(field)) {
          report(`${rowAt}.${field}`, `${place()}: "${field}" is neither a dimension nor a measure of the table`);
        }
      }
      const cells = table.measures.map((measure): Cell => {
        const cell = toCell(row[measure.key]);
        if (typeof cell === 'string') {
          report(`${rowAt}.${measure.key}`, `${place()}, cell ${measure.key}: ${cell}`);
          rowOk = false;
          return { kind: 'symbol', symbol: '.' };
        }
        if (cell.kind === 'value') {
          if (measure.unit === 'aantal' && cell.value < 0) {
            report(`${rowAt}.${measure.key}`, `${place()}, cell ${measure.key}: a count cannot be negative (${cell.value})`);
          }
          if (decimalsOf(cell.value) > measure.decimals) {
            report(
              `${rowAt}.${measure.key}`,
              `${place()}, cell ${measure.key}: ${cell.value} has more decimals than the measure allows (${measure.decimals})`,
            );
          }
        }
        return cell;
      });
      if (!rowOk) return;
      const key = rowKey(codes);
      const earlier = rowIndex.get(key);
      if (earlier !== undefined) {
        report(rowAt, `${place()}: duplicate cell combination, already given in row ${earlier + 1}`);
        return;
      }
      rowIndex.set(key, rows.length);
      rows.push({ codes, cells });
    });

    if (table.complete && problems.length === 0) {
      const expected = table.dimensions.reduce((n, d) => n * d.codes.length, 1);
      if (rows.length !== expected) {
        const missing = firstMissing(table.dimensions, rowIndex);
        report(
          `${at}.rows`,
          `${name}: ${expected - rows.length} of ${expected} code combinations have no row${missing ? `, e.g. ${missing}` : ''}; give every combination, or mark the table "complete": false`,
        );
      }
    }

    return {
      id: table.id,
      title: table.title,
      description: table.description,
      footnotes: table.footnotes,
      source: table.source,
      illustrative: table.illustrative,
      complete: table.complete,
      dimensions: table.dimensions,
      measures: table.measures,
      rows,
      rowIndex,
    };
  });

  if (problems.length > 0) throw invalid(sourceName, problems);
  return { publication: file.publication, tables };
}

function firstMissing(dimensions: readonly Dimension[], index: ReadonlyMap<string, number>): string | undefined {
  const walk = (di: number, prefix: string[]): string[] | undefined => {
    const dim = dimensions[di];
    if (!dim) return index.has(rowKey(prefix)) ? undefined : prefix;
    for (const code of dim.codes) {
      const found = walk(di + 1, [...prefix, code.key]);
      if (found) return found;
    }
    return undefined;
  };
  const codes = walk(0, []);
  return codes?.map((c, i) => `${dimensions[i]?.key}=${c}`).join(', ');
}

function invalid(sourceName: string, details: readonly ErrorDetail[]): AppError {
  const head = details.slice(0, 3).map((d) => d.message);
  const more = details.length > 3 ? ` (and ${details.length - 3} more)` : '';
  return new AppError('DATASET_INVALID', `${sourceName} is not a valid dataset: ${head.join('; ')}${more}`, { details });
}

/** Options of parseDatasetText. */
export interface ParseDatasetTextOptions {
  /**
   * The text is a byte-for-byte copy of one that passed parseJsonSafely before (the caller verified
   * its sha256): the scans of the text for depth and `__proto__` keys are not run again. The
   * dataset itself is checked as always.
   */
  readonly textChecked?: boolean;
}

/** Parses dataset text (JSON) from a named source; bad JSON is reported with line and column. */
export function parseDatasetText(text: string, sourceName: string, options: ParseDatasetTextOptions = {}): Dataset {
  return parseDataset(parseDatasetJson(text, sourceName, options), sourceName);
}

/**
 * The JSON of dataset text from a named source, not yet checked as a dataset (for tools that change
 * the file and write it again): nesting bounded and `__proto__` refused first, bad JSON reported as
 * DATASET_UNREADABLE with line and column.
 */
export function parseDatasetJson(text: string, sourceName: string, options: ParseDatasetTextOptions = {}): unknown {
  try {
    return options.textChecked ? JSON.parse(text) : parseJsonSafely(text, MAX_DATASET_DEPTH);
  } catch (error) {
    if (error instanceof JsonTextError) {
      throw new AppError('DATASET_UNREADABLE', `${sourceName} ${error.message}`, {
        details: [{ path: '(root)', message: error.message }],
        cause: error,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column}`;
    }
    throw new AppError('DATASET_UNREADABLE', `${sourceName} is not valid JSON${where}: ${message}`, {
      details: [{ path: '(root)', message: `not valid JSON${where}` }],
      cause: error,
    });
  }
}

/** The table with the given id; throws TEMPLATE_INVALID naming the id when the dataset lacks it. */
export function getTable(dataset: Dataset, id: string): DataTable {
  const table = dataset.tables.find((t) => t.id === id);
  if (!table) {
    throw new AppError(
      'TEMPLATE_INVALID',
      `the template needs table "${id}", which the dataset does not have (tables: ${dataset.tables.map((t) => t.id).join(', ')})`,
    );
  }
  return table;
}

/**
 * Looks up one cell. `coords` names a code per dimension; a dimension left out resolves to its
 * total code, or its only code, or (for time) the publication's period.
 */
export function getCell(dataset: Dataset, tableId: string, measureKey: string, coords: Readonly<Record<string, string>> = {}): Cell {
  const table = getTable(dataset, tableId);
  const mi = table.measures.findIndex((m) => m.key === measureKey);
  if (mi < 0) {
    throw new AppError(
      'TEMPLATE_INVALID',
      `table "${tableId}" has no measure "${measureKey}" (measures: ${table.measures.map((m) => m.key).join(', ')})`,
    );
  }
  const codes = resolveCodes(dataset, table, coords);
  const ri = table.rowIndex.get(rowKey(codes));
  const row = ri === undefined ? undefined : table.rows[ri];
  const cell = row?.cells[mi];
  if (!cell) {
    throw new AppError(
      'TEMPLATE_INVALID',
      `table "${tableId}" has no row for ${codes.map((c, i) => `${table.dimensions[i]?.key}=${c}`).join(', ')}`,
    );
  }
  return cell;
}

/**
 * The full code combination that `coords` names: a dimension left out resolves to its total code,
 * or its only code, or (for time) the publication's period. Throws TEMPLATE_INVALID naming what is missing.
 */
export function resolveCodes(dataset: Dataset, table: DataTable, coords: Readonly<Record<string, string>>): string[] {
  for (const key of Object.keys(coords)) {
    if (!table.dimensions.some((d) => d.key === key)) {
      throw new AppError('TEMPLATE_INVALID', `table "${table.id}" has no dimension "${key}"`);
    }
  }
  return table.dimensions.map((dim) => {
    const given = coords[dim.key];
    if (given !== undefined) {
      if (!dim.codes.some((c) => c.key === given)) {
        throw new AppError('TEMPLATE_INVALID', `table "${table.id}", dimension "${dim.key}" has no code "${given}"`);
      }
      return given;
    }
    return defaultCode(dataset, table, dim);
  });
}

/**
 * The total code of a dimension: its one code marked `total` or of level `nederland`; undefined
 * when it has none or several (then no code stands for the whole).
 */
export function totalCode(dim: Dimension): string | undefined {
  const totals = dim.codes.filter((c) => c.total === true || c.level === 'nederland');
  return totals.length === 1 ? totals[0]?.key : undefined;
}

function defaultCode(dataset: Dataset, table: DataTable, dim: Dimension): string {
  const only = dim.codes.length === 1 ? dim.codes[0] : undefined;
  if (only) return only.key;
  if (dim.kind === 'time' && dim.codes.some((c) => c.key === dataset.publication.period.key)) return dataset.publication.period.key;
  const total = totalCode(dim);
  if (total !== undefined) return total;
  throw new AppError(
    'TEMPLATE_INVALID',
    `table "${table.id}": say which code of dimension "${dim.key}" is meant; it has no single total code`,
  );
}
