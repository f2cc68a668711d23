import type { CheckReport } from '../checks/index.js';
import { type ErrorDetail, isAppError } from '../errors.js';
import { type Dataset, parseDataset, parseDatasetText, stripFootnoteMarkers } from '../model/dataset.js';
import { capList, capText } from '../model/echo-limits.js';
import { MAX_DATASET_DEPTH, parseJsonSafely } from '../model/json-text.js';

/** One code of the row a problem is in, with its title when the dataset names it. */
export interface PlaceCode {
  readonly dimension: string;
  readonly code: string;
  readonly title: string | null;
}

/** Where in the dataset a problem is: table, row and cell, as far as the path says. */
export interface DatasetPlace {
  /** The table's position, counting from 1. */
  readonly table: number;
  readonly tableId: string | null;
  /** The table title without footnote markers. */
  readonly tableTitle: string | null;
  /** The row's position in the table's rows, counting from 1. */
  readonly row: number | null;
  /** The row's codes, in the table's dimension order. */
  readonly rowCodes: readonly PlaceCode[];
  /** The field of the row: a measure key (a cell) or a dimension key. */
  readonly cell: string | null;
  /** The title of that measure or dimension. */
  readonly cellTitle: string | null;
  /** What `cell` is. */
  readonly cellKind: 'measure' | 'dimension' | null;
  /** For a problem outside the rows: the rest of the path within the table, e.g. "measures[2].title". */
  readonly field: string | null;
}

/** One problem of a dataset, with its JSON path, the validator's message and its place in words. */
export interface DatasetProblem {
  readonly path: string;
  readonly message: string;
  readonly place: DatasetPlace | null;
}

/** What a valid dataset is about. */
export interface DatasetPublicationSummary {
  readonly id: string;
  readonly template: string;
  readonly title: string;
  readonly period: string;
  readonly edition: number;
  readonly publicationDate: string;
  readonly status: string;
}

/** The verdict on a dataset file: valid with what it holds, or the problems with their places. */
export interface DatasetReport {
  readonly valid: boolean;
  /** Why it is not valid: not JSON at all, or not the dataset format. Null when valid. */
  readonly code: 'DATASET_UNREADABLE' | 'DATASET_INVALID' | null;
  readonly publication: DatasetPublicationSummary | null;
  readonly tables: readonly { readonly id: string; readonly title: string; readonly rows: number; readonly measures: number }[];
  readonly errors: readonly DatasetProblem[];
  /** For a valid dataset: what the checks before publishing find (see docs/checks.md); null otherwise. */
  readonly checks?: CheckReport | null;
}

interface RawTable {
  readonly id?: unknown;
  readonly title?: unknown;
  readonly dimensions?: readonly { key?: unknown; title?: unknown; codes?: readonly { key?: unknown; title?: unknown }[] }[];
  readonly measures?: readonly { key?: unknown; title?: unknown }[];
  readonly rows?: readonly Record<string, unknown>[];
}

const TABLE_PATH = /^tables\[(\d+)\](?:\.rows\[(\d+)\](?:\.(.+))?|\.(.+))?$/;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const title = (value: unknown): string | null => {
  const t = text(value);
  return t === null ? null : stripFootnoteMarkers(t).trim();
};
const list = <T>(value: unknown): readonly T[] => (Array.isArray(value) ? (value as T[]) : []);

/** The place of a problem from its path (`tables[0].rows[3].GestarteAdviezen`), with titles from the raw file. */
export function toDatasetPlace(raw: unknown, path: string): DatasetPlace | null {
  const match = TABLE_PATH.exec(path);
  if (!match) return null;
  const tableIndex = Number(match[1]);
  const table = list<RawTable>((raw as { tables?: unknown } | null)?.tables)[tableIndex];
  const dimensions = list<NonNullable<RawTable['dimensions']>[number]>(table?.dimensions);
  const measures = list<NonNullable<RawTable['measures']>[number]>(table?.measures);
  const rowIndex = match[2] === undefined ? null : Number(match[2]);
  const row = rowIndex === null ? undefined : list<Record<string, unknown>>(table?.rows)[rowIndex];
  const rowCodes: PlaceCode[] = [];
  if (row && typeof row === 'object') {
    for (const dimension of dimensions) {
      const key = text(dimension?.key);
      if (key === null) continue;
      const code = text(row[key]);
      if (code === null) continue;
      const known = list<{ key?: unknown; title?: unknown }>(dimension.codes).find((c) => c?.key === code);
      rowCodes.push({ dimension: key, code, title: title(known?.title) });
    }
  }
  const cell = match[3] ?? null;
  const measure = cell === null ? undefined : measures.find((m) => m?.key === cell);
  const dimension = cell === null || measure ? undefined : dimensions.find((d) => d?.key === cell);
  return {
    table: tableIndex + 1,
    tableId: text(table?.id),
    tableTitle: title(table?.title),
    row: rowIndex === null ? null : rowIndex + 1,
    rowCodes,
    cell,
    cellTitle: title(measure?.title ?? dimension?.title),
    cellKind: measure ? 'measure' : dimension ? 'dimension' : null,
    field: match[4] ?? null,
  };
}

function toProblems(raw: unknown, details: readonly ErrorDetail[]): DatasetProblem[] {
  return capList(details, (count) => ({ path: '(more)', message: `and ${count} more problems not listed` })).map(({ path, message }) => ({
    path: capText(path),
    message: capText(message),
    place: path === '(more)' ? null : toDatasetPlace(raw, path),
  }));
}

function summarize(dataset: Dataset): DatasetReport {
  const { publication } = dataset;
  return {
    valid: true,
    code: null,
    publication: {
      id: publication.id,
      template: publication.template,
      title: publication.title,
      period: publication.period.title,
      edition: publication.edition,
      publicationDate: publication.publicationDate,
      status: publication.status,
    },
    tables: dataset.tables.map((t) => ({
      id: t.id,
      title: stripFootnoteMarkers(t.title).trim(),
      rows: t.rows.length,
      measures: t.measures.length,
    })),
    errors: [],
  };
}

/**
 * Checks the text of a dataset file the way a render does (same parser, same messages), and says
 * where each problem is: table, row and cell, with their titles. Never throws for bad content.
 */
export function toDatasetReport(fileText: string, sourceName = 'the dataset'): DatasetReport {
  return readDatasetReport(fileText, sourceName).report;
}

/** The report of toDatasetReport with the dataset it read, when valid (for the checks that follow). */
export function readDatasetReport(fileText: string, sourceName = 'the dataset'): { report: DatasetReport; dataset?: Dataset } {
  let raw: unknown;
  try {
    raw = parseJsonSafely(fileText, MAX_DATASET_DEPTH);
  } catch {
    raw = undefined;
  }
  try {
    const dataset = raw === undefined ? parseDatasetText(fileText, sourceName) : parseDataset(raw, sourceName);
    return { report: summarize(dataset), dataset };
  } catch (error) {
    if (isAppError(error) && (error.code === 'DATASET_UNREADABLE' || error.code === 'DATASET_INVALID')) {
      return { report: { valid: false, code: error.code, publication: null, tables: [], errors: toProblems(raw, error.details) } };
    }
    throw error;
  }
}
