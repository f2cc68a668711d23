import { type Cell, type DataTable, type Dataset, rowKey } from '../../model/dataset.js';
import type { Code, Dimension, Measure } from '../../model/dataset-schema.js';
import { statusMark } from '../../model/number-format.js';
import { AppError } from '../../errors.js';

/**
 * A table model: one table as a reader sees it, laid out in rows and columns, independent of the
 * output format. The PDF and the workbook both draw from it, so a figure cannot differ between them.
 */
export interface TableModel {
  /** Id of the dataset table, plus the view name when a table has several views. */
  readonly id: string;
  readonly tableId: string;
  /** Title with `[^n]` footnote markers, without period. */
  readonly title: string;
  /** Period shown after the title ("1e halfjaar van 2019"), with `statusMark` after it. */
  readonly periodTitle: string;
  readonly statusMark: string;
  /**
   * Status marks of the periods shown in the rows or columns ("2020*"), by period code: each
   * period carries its own mark where the table spans several.
   */
  readonly periodMarks: Readonly<Record<string, string>>;
  /** Header of the row-label column (often empty, as in the seed). */
  readonly stubHeader: string;
  /** Codes of the dimensions held fixed in this view (the period, a total), by dimension key. */
  readonly fixed: Readonly<Record<string, string>>;
  /** Header rows over the data columns: each cell spans columns and rows of the grid. */
  readonly headerRows: readonly (readonly HeaderCell[])[];
  readonly columns: readonly ColumnModel[];
  /** The unit shown in its own header row when every column has the same one ("aantal"). */
  readonly commonUnit: string | undefined;
  readonly rows: readonly RowModel[];
  readonly footnotes: readonly { readonly ref: string; readonly text: string }[];
  readonly source: string;
  readonly illustrative: boolean;
  readonly description: string | undefined;
}

/** The note under an illustrative table, the same in the PDF and in the workbook. */
export const ILLUSTRATIVE_NOTE = 'Illustratieve cijfers: geen officiële CBS-cijfers.';

/** One cell of a header row, placed at `column` (index into `columns`). */
export interface HeaderCell {
  readonly text: string;
  readonly column: number;
  readonly colSpan: number;
  readonly rowSpan: number;
}

/** One data column: a measure, possibly for one code of a column dimension. */
export interface ColumnModel {
  readonly key: string;
  readonly measure: Measure;
  /** Codes of the column dimensions this column shows, by dimension key. */
  readonly codes: Readonly<Record<string, string>>;
  /** The column's full title in one line, for machine-readable headers. */
  readonly flatTitle: string;
  readonly unit: string;
  readonly decimals: number;
}

/** One body row: a group heading (no cells) or a data row. */
export interface RowModel {
  readonly key: string;
  readonly label: string;
  /** Nesting depth: 0 for the outer row dimension. */
  readonly depth: number;
  readonly kind: 'group' | 'data';
  /** A total row (Nederland, Totaal): shown in bold. */
  readonly total: boolean;
  /** The codes of the row dimensions, by dimension key. */
  readonly codes: Readonly<Record<string, string>>;
  readonly cells: readonly Cell[];
}

/** How to lay out a dataset table: which dimensions go down, which across, which are fixed. */
export interface TableView {
  /** Appended to the table id when a table has several views. */
  readonly name?: string;
  /** Title of this view; defaults to the table's title. */
  readonly title?: string;
  /** Dimensions down the side, outer first. Default: every dimension that is not fixed or across. */
  readonly rows?: readonly string[];
  /** Dimensions across the top, outer first; measures always come last (innermost). */
  readonly columns?: readonly string[];
  /** Measures to show, in order; default all. */
  readonly measures?: readonly string[];
  /**
   * Fixed codes. A time dimension with one code is fixed to it; one with several codes that the
   * view does not place goes outermost in the rows, one block per period, so no figure is dropped.
   */
  readonly fixed?: Readonly<Record<string, string>>;
  /** Header of the row-label column. */
  readonly stubHeader?: string;
  /** Leave out data rows whose cells are all missing (for excerpts). */
  readonly dropEmptyRows?: boolean;
}

function codeIsTotal(code: Code): boolean {
  return code.total === true || code.level === 'nederland';
}

function fail(table: DataTable, message: string): never {
  throw new AppError('TEMPLATE_INVALID', `table "${table.id}": ${message}`);
}

function resolveFixed(table: DataTable, view: TableView, free: ReadonlySet<string>): Map<string, string> {
  const fixed = new Map<string, string>();
  for (const [dimKey, code] of Object.entries(view.fixed ?? {})) {
    const dim = table.dimensions.find((d) => d.key === dimKey);
    if (!dim) fail(table, `the view fixes "${dimKey}", which is not a dimension`);
    if (!dim.codes.some((c) => c.key === code)) fail(table, `dimension "${dimKey}" has no code "${code}"`);
    fixed.set(dimKey, code);
  }
  for (const dim of table.dimensions) {
    if (fixed.has(dim.key) || free.has(dim.key)) continue;
    if (dim.kind !== 'time') continue;
    const only = dim.codes.length === 1 ? dim.codes[0] : undefined;
    if (only) fixed.set(dim.key, only.key);
  }
  return fixed;
}

/** The status mark of a period: its own status, else the publication's. */
function periodMark(dataset: Dataset, code: Code): string {
  return statusMark(code.status ?? dataset.publication.status);
}

/**
 * A period range with the dash of the Verklaring van tekens ("2019–2020: 2019 tot en met 2020"):
 * "2019–2023" for plain years, spaced when the titles hold words ("1e halfjaar 2020 – 2e halfjaar 2020").
 */
export function periodRange(first: string, last: string): string {
  if (first === last) return first;
  return /\s/.test(first) || /\s/.test(last) ? `${first} \u2013 ${last}` : `${first}\u2013${last}`;
}

/** The period shown after a table title: the fixed time code, or the publication's period. */
function periodOf(dataset: Dataset, table: DataTable, fixed: ReadonlyMap<string, string>): { title: string; mark: string } {
  for (const dim of table.dimensions) {
    if (dim.kind !== 'time') continue;
    const key = fixed.get(dim.key);
    const code = dim.codes.find((c) => c.key === key);
    if (code) return { title: code.title, mark: periodMark(dataset, code) };
    // Periods in the rows or columns: the title names the range; each period carries its own mark.
    const first = dim.codes[0];
    const last = dim.codes[dim.codes.length - 1];
    if (first && last && first !== last) return { title: periodRange(first.title, last.title), mark: '' };
  }
  return { title: dataset.publication.period.title, mark: statusMark(dataset.publication.status) };
}

/** Up to this many row combinations, a model built with `lazyRows` remembers the dataset row of each (4 bytes each). */
const MAX_REMEMBERED_COMBINATIONS = 4_000_000;

/** Where a model built with `lazyRows` keeps the maker of its rows (not copied to another thread). */
const ROW_SOURCE = Symbol('row source');

/** How a model is built. */
export interface BuildOptions {
  /**
   * Make the rows as they are read instead of all at once: `eachRow` goes over them one at a time,
   * without holding them (a long table of a big cube is written row by row); reading `rows` makes
   * and keeps them all, as a copy to another thread does.
   */
  readonly lazyRows?: boolean;
}

/**
 * The body rows of a model, in order. For a model built with `lazyRows` they are made as they
 * are read, each time anew, so that a caller going over them once never holds them all.
 */
export function eachRow(model: TableModel): Iterable<RowModel> {
  const source = (model as { [ROW_SOURCE]?: () => Iterable<RowModel> })[ROW_SOURCE];
  return source ? source() : model.rows;
}

/** What the writer of a long table needs to know of all its rows before it writes the first: gathered in one pass. */
export interface RowSummary {
  /** The number of body rows. */
  readonly count: number;
  /** Per column: the largest absolute figure (-1 without figures), and whether any figure is negative. */
  readonly largest: readonly number[];
  readonly negative: readonly boolean[];
  /** Each distinct label with how it is shown (kind, total, depth). */
  readonly labels: readonly Pick<RowModel, 'label' | 'kind' | 'total' | 'depth'>[];
  /** The row dimensions of the data rows (the keys of their codes), and per dimension the codes they show. */
  readonly dataCodes: ReadonlyMap<string, ReadonlySet<string>>;
}

const summaries = new WeakMap<TableModel, RowSummary>();

/** The summary of a model's rows (see RowSummary), made once per model. */
export function summarizeRows(model: TableModel): RowSummary {
  const known = summaries.get(model);
  if (known) return known;
  const largest = model.columns.map(() => -1);
  const negative = model.columns.map(() => false);
  const looks = new Map<string, Set<number>>();
  const labels: Pick<RowModel, 'label' | 'kind' | 'total' | 'depth'>[] = [];
  let dataCodes: Map<string, Set<string>> | undefined;
  let count = 0;
  for (const row of eachRow(model)) {
    count++;
    let seen = looks.get(row.label);
    if (!seen) {
      seen = new Set();
      looks.set(row.label, seen);
    }
    const look = (row.depth * 2 + (row.kind === 'group' ? 1 : 0)) * 2 + (row.total ? 1 : 0);
    if (!seen.has(look)) {
      seen.add(look);
      labels.push({ label: row.label, kind: row.kind, total: row.total, depth: row.depth });
    }
    if (row.kind !== 'data') continue;
    if (!dataCodes) dataCodes = new Map(Object.keys(row.codes).map((key) => [key, new Set<string>()]));
    for (const [key, codes] of dataCodes) codes.add(row.codes[key] ?? '');
    const { cells } = row;
    for (let ci = 0; ci < cells.length && ci < largest.length; ci++) {
      const cell = cells[ci];
      if (cell?.kind !== 'value') continue;
      const size = Math.abs(cell.value);
      if (size > (largest[ci] as number)) largest[ci] = size;
      if (cell.value < 0) negative[ci] = true;
    }
  }
  const summary: RowSummary = { count, largest, negative, labels, dataCodes: dataCodes ?? new Map() };
  summaries.set(model, summary);
  return summary;
}

/** Every combination of the codes of `dims`, outer dimension first. */
function combinations(dims: readonly Dimension[]): Code[][] {
  let out: Code[][] = [[]];
  for (const dim of dims) out = out.flatMap((prefix) => dim.codes.map((code) => [...prefix, code]));
  return out;
}

/** Builds the table model of one view of a dataset table. */
export function buildTableModel(dataset: Dataset, table: DataTable, view: TableView = {}, options: BuildOptions = {}): TableModel {
  const dimByKey = new Map(table.dimensions.map((d) => [d.key, d]));
  const pick = (keys: readonly string[], what: string): Dimension[] =>
    keys.map((k) => dimByKey.get(k) ?? fail(table, `the view puts "${k}" in the ${what}, but it is not a dimension`));
  const columnDims = pick(view.columns ?? [], 'columns');
  const explicitRows = view.rows ? pick(view.rows, 'rows') : undefined;
  const free = new Set([...columnDims, ...(explicitRows ?? [])].map((d) => d.key));
  const fixed = resolveFixed(table, view, free);
  // Periods the view leaves open go outermost in the rows: one block per period.
  const openPeriods = table.dimensions.filter((d) => d.kind === 'time' && !fixed.has(d.key) && !free.has(d.key));
  const rowDims = explicitRows
    ? [...openPeriods, ...explicitRows]
    : [...openPeriods, ...table.dimensions.filter((d) => d.kind !== 'time' && !fixed.has(d.key) && !free.has(d.key))];
  const periodMarks: Record<string, string> = {};
  for (const dim of [...rowDims, ...columnDims]) {
    if (dim.kind === 'time') for (const code of dim.codes) periodMarks[code.key] = periodMark(dataset, code);
  }
  /** A code as shown in a row label or column header: a period with its own status mark. */
  const labelOf = (dim: Dimension | undefined, code: Code): string =>
    dim?.kind === 'time' ? `${code.title}${periodMarks[code.key] ?? ''}` : code.title;
  for (const dim of table.dimensions) {
    if (!fixed.has(dim.key) && !rowDims.includes(dim) && !columnDims.includes(dim)) {
      fail(table, `dimension "${dim.key}" is neither fixed, in the rows nor in the columns`);
    }
  }

  const measures = (view.measures ?? table.measures.map((m) => m.key)).map(
    (key) => table.measures.find((m) => m.key === key) ?? fail(table, `the view asks for measure "${key}", which the table lacks`),
  );
  const measureIndex = new Map(table.measures.map((m, i) => [m.key, i]));

  // Columns: column-dimension combinations (outer) × measures (inner, in hierarchy order).
  const columnCombos = combinations(columnDims);
  const ordered = orderByHierarchy(measures);
  const columns: ColumnModel[] = [];
  for (const combo of columnCombos) {
    for (const measure of ordered) {
      const codes = Object.fromEntries(combo.map((c, i) => [columnDims[i]?.key ?? '', c.key]));
      const parent = measure.parent ? measures.find((m) => m.key === measure.parent) : undefined;
      const titleParts = [...combo.map((c, i) => labelOf(columnDims[i], c)), parent ? `${parent.title} ${measure.title}` : measure.title];
      columns.push({
        key: [...combo.map((c) => c.key), measure.key].join('.'),
        measure,
        codes,
        flatTitle: titleParts.join(', '),
        unit: measure.unit,
        decimals: measure.decimals,
      });
    }
  }

  const headerRows = buildHeader(columnDims, columnCombos, ordered, measures, labelOf);
  const units = new Set(columns.map((c) => c.unit));
  const commonUnit = units.size === 1 ? [...units][0] : undefined;

  // Rows: row-dimension combinations, with a group heading whenever an outer code changes.
  const dimOrder = table.dimensions.map((d) => d.key);
  // Where each column's codes go in a row key, and which measure it shows: worked out once, since
  // a long table asks for rows × columns cells.
  const position = new Map(dimOrder.map((k, i) => [k, i]));
  const rowPositions = rowDims.map((d) => position.get(d.key) ?? -1);
  const lookups = columns.map((col) => ({
    codes: Object.entries(col.codes).map(([k, v]) => [position.get(k) ?? -1, v] as const),
    measure: measureIndex.get(col.measure.key) ?? -1,
  }));
  const baseCodes = dimOrder.map((k) => fixed.get(k) ?? '');
  const dropEmpty = view.dropEmptyRows === true;
  // Rows made more than once (lazyRows): the dataset row of each combination, found once by its key.
  // -2: not looked up yet, -1: no such row.
  const combinationCount = rowDims.reduce((n, d) => n * d.codes.length, 1);
  const ownRows =
    options.lazyRows && combinationCount <= MAX_REMEMBERED_COMBINATIONS ? new Int32Array(combinationCount).fill(-2) : undefined;
  const labels = rowDims.map((d) => d.codes.map((c) => labelOf(d, c)));
  const totals = rowDims.map((d) => d.codes.map(codeIsTotal));

  /**
   * The body rows, one at a time, in the order of the combinations of the row dimensions (the
   * innermost fastest), without holding them all: a long table can be written row by row.
   */
  function* makeRows(): Generator<RowModel> {
    const depth = rowDims.length;
    if (rowDims.some((d) => d.codes.length === 0)) return;
    const rowKeys = rowDims.map((d) => d.key);
    const at = rowDims.map(() => 0);
    const codes = baseCodes.slice();
    const combo: Code[] = rowDims.map((d) => d.codes[0] as Code);
    // The row key of each level's prefix of the combination: "T001.I001".
    const prefixKeys: string[] = [];
    const setLevels = (from: number): void => {
      for (let d = from; d < depth; d++) {
        const code = combo[d] as Code;
        codes[rowPositions[d] ?? -1] = code.key;
        prefixKeys[d] = d === 0 ? code.key : `${prefixKeys[d - 1]}.${code.key}`;
      }
    };
    setLevels(0);
    const previous: (string | undefined)[] = [];
    let combination = 0;
    for (;;) {
      let own = ownRows?.[combination] ?? -2;
      if (own === -2) {
        own = table.rowIndex.get(rowKey(codes)) ?? -1;
        if (ownRows) ownRows[combination] = own;
      }
      const ownCells = own < 0 ? undefined : table.rows[own]?.cells;
      const cells: (Cell | undefined)[] = new Array(lookups.length);
      let found = 0;
      for (let li = 0; li < lookups.length; li++) {
        const lookup = lookups[li] as (typeof lookups)[number];
        let cell: Cell | undefined;
        if (lookup.codes.length === 0) cell = ownCells?.[lookup.measure];
        else {
          const withColumn = codes.slice();
          for (const [p, code] of lookup.codes) withColumn[p] = code;
          const ri = table.rowIndex.get(rowKey(withColumn));
          cell = ri === undefined ? undefined : table.rows[ri]?.cells[lookup.measure];
        }
        cells[li] = cell;
        if (cell !== undefined) found++;
      }
      const keep = !(found === 0 && (dropEmpty || !table.complete));
      if (keep && found < lookups.length && table.complete)
        fail(table, `a cell is missing for ${dimOrder.flatMap((k, i) => (codes[i] ? [`${k}=${codes[i]}`] : [])).join(', ')}`);
      if (keep) {
        // Group headings for outer dimensions whose code changed.
        for (let d = 0; d < depth - 1; d++) {
          const code = combo[d] as Code;
          if (previous[d] === code.key) continue;
          const groupCodes: Record<string, string> = {};
          for (let i = 0; i <= d; i++) groupCodes[rowKeys[i] as string] = (combo[i] as Code).key;
          yield {
            key: prefixKeys[d] as string,
            label: labels[d]?.[at[d] as number] as string,
            depth: d,
            kind: 'group',
            total: totals[d]?.[at[d] as number] === true,
            codes: groupCodes,
            cells: [],
          };
          previous.length = d;
        }
        let total = depth > 0;
        const rowCodes: Record<string, string> = {};
        for (let i = 0; i < depth; i++) {
          const code = combo[i] as Code;
          previous[i] = code.key;
          rowCodes[rowKeys[i] as string] = code.key;
          if (totals[i]?.[at[i] as number] !== true) total = false;
        }
        // A missing cell of an excerpt is shown as unknown: the row exists but this figure was not given.
        if (found < cells.length) for (let li = 0; li < cells.length; li++) cells[li] ??= { kind: 'symbol', symbol: '.' };
        yield {
          key: depth > 0 ? (prefixKeys[depth - 1] as string) || 'all' : 'all',
          label: depth > 0 ? (labels[depth - 1]?.[at[depth - 1] as number] as string) : (table.measures[0]?.title ?? ''),
          depth: Math.max(0, depth - 1),
          kind: 'data',
          total,
          codes: rowCodes,
          cells: cells as Cell[],
        };
      }
      // The next combination: the innermost dimension fastest.
      combination++;
      let d = depth - 1;
      for (; d >= 0; d--) {
        const dim = rowDims[d] as Dimension;
        const next = (at[d] as number) + 1;
        if (next < dim.codes.length) {
          at[d] = next;
          combo[d] = dim.codes[next] as Code;
          break;
        }
        at[d] = 0;
        combo[d] = dim.codes[0] as Code;
      }
      if (d < 0) return;
      setLevels(d);
    }
  }

  const period = periodOf(dataset, table, fixed);
  const fixedNonTime = [...fixed]
    .map(([k, v]) => ({ dim: dimByKey.get(k), code: v }))
    .filter((f) => f.dim && f.dim.kind !== 'time' && f.dim.codes.length > 1)
    .map((f) => f.dim?.codes.find((c) => c.key === f.code)?.title ?? f.code);
  const baseTitle = view.title ?? table.title;
  const model: TableModel = {
    id: view.name ? `${table.id}--${view.name}` : table.id,
    tableId: table.id,
    title: fixedNonTime.length > 0 && !view.title ? `${baseTitle} (${fixedNonTime.join(', ')})` : baseTitle,
    periodTitle: period.title,
    statusMark: period.mark,
    periodMarks,
    stubHeader: view.stubHeader ?? '',
    fixed: Object.fromEntries(fixed),
    headerRows,
    columns,
    commonUnit,
    rows: options.lazyRows ? [] : [...makeRows()],
    footnotes: table.footnotes,
    source: table.source,
    illustrative: table.illustrative,
    description: table.description,
  };
  if (options.lazyRows) {
    let made: RowModel[] | undefined;
    // Enumerable, so that a structured copy (to the workbook thread) gets every row; the symbol is not copied.
    Object.defineProperty(model, 'rows', {
      get: () => {
        made ??= [...makeRows()];
        return made;
      },
      enumerable: true,
    });
    Object.defineProperty(model, ROW_SOURCE, { value: () => made ?? makeRows(), enumerable: false });
  }
  return model;
}

/** Measures ordered so that each "waarvan" part follows its parent. */
function orderByHierarchy(measures: readonly Measure[]): Measure[] {
  const keys = new Set(measures.map((m) => m.key));
  const out: Measure[] = [];
  for (const m of measures) {
    if (m.parent && keys.has(m.parent)) continue;
    out.push(m, ...measures.filter((c) => c.parent === m.key));
  }
  return out;
}

/**
 * Header rows: one per column dimension (code titles spanning their measures), then the measures:
 * a parent spans itself and its parts, its parts sit in the row below, a measure without parts
 * spans both rows.
 */
function buildHeader(
  columnDims: readonly Dimension[],
  combos: readonly Code[][],
  ordered: readonly Measure[],
  measures: readonly Measure[],
  labelOf: (dim: Dimension | undefined, code: Code) => string,
): HeaderCell[][] {
  const perCombo = ordered.length;
  const hasParts = ordered.some((m) => m.parent && measures.some((p) => p.key === m.parent));
  const rows: HeaderCell[][] = [];
  columnDims.forEach((_, level) => {
    const row: HeaderCell[] = [];
    let start = 0;
    while (start < combos.length) {
      const prefix = combos[start]
        ?.slice(0, level + 1)
        .map((c) => c.key)
        .join('.');
      let end = start + 1;
      while (
        end < combos.length &&
        combos[end]
          ?.slice(0, level + 1)
          .map((c) => c.key)
          .join('.') === prefix
      )
        end++;
      const code = combos[start]?.[level];
      row.push({
        text: code ? labelOf(columnDims[level], code) : '',
        column: start * perCombo,
        colSpan: (end - start) * perCombo,
        rowSpan: 1,
      });
      start = end;
    }
    rows.push(row);
  });
  // With one measure and column dimensions, the measure is named in the title, not in a header row.
  if (columnDims.length > 0 && perCombo === 1) return rows;
  const top: HeaderCell[] = [];
  const sub: HeaderCell[] = [];
  combos.forEach((_, ci) => {
    let col = ci * perCombo;
    for (const m of ordered) {
      const parts = ordered.filter((p) => p.parent === m.key);
      if (m.parent && measures.some((p) => p.key === m.parent)) {
        sub.push({ text: m.title, column: col, colSpan: 1, rowSpan: 1 });
      } else if (parts.length > 0) {
        top.push({ text: m.title, column: col, colSpan: parts.length + 1, rowSpan: 1 });
        sub.push({ text: '', column: col, colSpan: 1, rowSpan: 1 });
      } else {
        top.push({ text: m.title, column: col, colSpan: 1, rowSpan: hasParts ? 2 : 1 });
      }
      col++;
    }
  });
  rows.push(top);
  if (hasParts) rows.push(sub);
  return rows;
}

/**
 * The full code combination behind one cell of a model, as `rowKey` over the table's dimensions:
 * the key under which the dataset (and a diff of two datasets) knows that cell.
 */
export function cellCoordinateKey(model: TableModel, dimensionOrder: readonly string[], row: RowModel, column: ColumnModel): string {
  return rowKey(dimensionOrder.map((dim) => row.codes[dim] ?? column.codes[dim] ?? model.fixed[dim] ?? ''));
}
