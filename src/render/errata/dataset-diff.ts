import { type Cell, type DataTable, type Dataset, rowKey, stripFootnoteMarkers } from '../../model/dataset.js';
import type { Dimension, Measure } from '../../model/dataset-schema.js';

/**
 * The difference between two versions of a dataset: the one first published and the corrected
 * one. Tables are matched by id, dimensions and codes by key, measures by key; then every cell is
 * compared. Rows whose figures stood under another code in the first version (two region names
 * swapped, say) are found by matching their figures, so that only the genuine corrections inside
 * them are reported as changed cells. Everything is listed in the order of the corrected dataset
 * (tables, code lists, measures), so the result is stable byte for byte.
 */

/** A table by id and title (title with its `[^n]` footnote markers). */
export interface TableRef {
  readonly id: string;
  readonly title: string;
}

/** A dimension by key and title. */
export interface DimensionRef {
  readonly key: string;
  readonly title: string;
}

/** One code of a dimension by key and title. */
export interface CodeRef {
  readonly key: string;
  readonly title: string;
}

/** A measure (a column) with the titles a reader sees; titles keep their footnote markers. */
export interface MeasureRef {
  readonly key: string;
  readonly title: string;
  /** The measure this one is a "waarvan" part of. */
  readonly parentKey: string | undefined;
  readonly parentTitle: string | undefined;
  /** The column's title in one line without footnote markers: "Actieve casussen, waarvan gestart". */
  readonly columnTitle: string;
  readonly unit: string;
  readonly decimals: number;
}

/** One code of a row, with the key of its dimension. */
export interface RowCode extends CodeRef {
  readonly dimension: string;
}

/** One row of a table: a code per dimension, in the corrected version's dimension order. */
export interface RowRef {
  /** `rowKey` of the codes. */
  readonly key: string;
  readonly codes: readonly RowCode[];
  /** The titles of the codes that tell rows apart (dimensions with more than one code), joined by ", ". */
  readonly label: string;
}

/**
 * How a cell changed. `value`: corrected in place; `moved`: the figure is the same, but it stood in
 * another row (`movedFrom`) in the first version; `moved-value`: it stood in another row and was
 * corrected as well.
 */
export type CellChangeKind = 'value' | 'moved' | 'moved-value';

/** One cell that differs between the versions. */
export interface CellChange {
  readonly kind: CellChangeKind;
  /** The row in the corrected version. */
  readonly row: RowRef;
  readonly measure: MeasureRef;
  /** The figure that is corrected: of the same row, or for a moved row of the row in `movedFrom`. */
  readonly oldValue: Cell;
  readonly newValue: Cell;
  /** For moved kinds: the row of the first version under which this row's figures stood. */
  readonly movedFrom: RowRef | undefined;
  /** What the first version showed in this row and column; undefined when the row is new. */
  readonly shownValue: Cell | undefined;
}

/**
 * Figures that stood under another code in the first version. `swap`: the figures of `from` and
 * `to` stood under each other's code; `move`: the figures now under `to` stood under `from`.
 */
export interface CodeRelocation {
  readonly kind: 'swap' | 'move';
  readonly dimension: DimensionRef;
  /** The code under which the figures stood (for a swap: the one first in the code list). */
  readonly from: CodeRef;
  /** The code under which they stand now. */
  readonly to: CodeRef;
  /** Cells that support the match (equal to the other code's, where the two codes differed before). */
  readonly matchingCells: number;
  /** Cells compared for that support. */
  readonly comparedCells: number;
}

/** A code whose title changed. */
export interface RenamedCode {
  readonly key: string;
  readonly oldTitle: string;
  readonly newTitle: string;
}

/** Differences in the code list of one dimension that both versions have. */
export interface DimensionDiff {
  readonly dimension: DimensionRef;
  /** The dimension's former title, when it changed. */
  readonly oldTitle: string | undefined;
  readonly addedCodes: readonly CodeRef[];
  readonly removedCodes: readonly CodeRef[];
  readonly renamedCodes: readonly RenamedCode[];
}

/** A measure whose metadata changed. */
export interface ChangedMeasure {
  readonly measure: MeasureRef;
  /** The measure as it was. */
  readonly old: MeasureRef;
  readonly fields: readonly ('title' | 'unit' | 'decimals' | 'parent')[];
}

/** The differences in one table. */
export interface TableDiff {
  readonly id: string;
  /** `added`: only in the corrected version; `removed`: only in the first; `changed`: in both, with differences. */
  readonly status: 'added' | 'removed' | 'changed';
  /** The title in the corrected version (for a removed table: in the first version). */
  readonly title: string;
  /** The former title, when it changed. */
  readonly oldTitle: string | undefined;
  /** False when the two versions have different dimensions: the cells then cannot be matched. */
  readonly comparable: boolean;
  readonly addedDimensions: readonly DimensionRef[];
  readonly removedDimensions: readonly DimensionRef[];
  /** Per dimension both versions have, in the corrected order; only those with differences. */
  readonly dimensions: readonly DimensionDiff[];
  readonly addedMeasures: readonly MeasureRef[];
  readonly removedMeasures: readonly MeasureRef[];
  readonly changedMeasureMetadata: readonly ChangedMeasure[];
  readonly relocations: readonly CodeRelocation[];
  /** Every cell that reads differently, of every kind, in row then column order. */
  readonly cells: readonly CellChange[];
  /** Genuine corrections (kinds `value` and `moved-value`), in row then column order. */
  readonly changedCells: readonly CellChange[];
  /** Cells that differ only because their row moved (kind `moved`), in row then column order. */
  readonly movedCells: readonly CellChange[];
  /** Rows only the corrected version has (not counting rows that received moved figures). */
  readonly addedRows: readonly RowRef[];
  /** Rows only the first version has (not counting rows whose figures moved elsewhere). */
  readonly removedRows: readonly RowRef[];
  /** Measures of both versions with at least one genuine correction. */
  readonly changedMeasures: readonly MeasureRef[];
  /** Measures of both versions without any genuine correction ("ongewijzigd"). */
  readonly unchangedMeasures: readonly MeasureRef[];
}

/** The differences between two versions of a dataset. */
export interface DatasetDiff {
  /** True when no table, title, code, measure or cell differs. */
  readonly identical: boolean;
  /** Tables with differences: the corrected version's tables in order, then removed tables. */
  readonly tables: readonly TableDiff[];
  /** Tables of both versions without any difference, in the corrected order. */
  readonly unchangedTables: readonly TableRef[];
}

/** The least number of cells that must support a relocation; fewer could be chance. */
/** The cell-level parts of a table diff when there is nothing to compare cell by cell. */
const NO_CELL_CHANGES = {
  relocations: [],
  cells: [],
  changedCells: [],
  movedCells: [],
  addedRows: [],
  removedRows: [],
  changedMeasures: [],
  unchangedMeasures: [],
} as const satisfies Partial<TableDiff>;

export const MIN_RELOCATION_EVIDENCE = 3;

/** Compares two versions of a dataset cell by cell; see `DatasetDiff`. */
export function diffDatasets(before: Dataset, after: Dataset): DatasetDiff {
  const beforeById = new Map(before.tables.map((t) => [t.id, t]));
  const afterIds = new Set(after.tables.map((t) => t.id));
  const tables: TableDiff[] = [];
  const unchangedTables: TableRef[] = [];
  for (const table of after.tables) {
    const old = beforeById.get(table.id);
    if (!old) {
      tables.push(wholeTable(table, 'added'));
      continue;
    }
    const diff = diffTable(old, table);
    if (hasDifferences(diff)) tables.push(diff);
    else unchangedTables.push({ id: table.id, title: table.title });
  }
  for (const table of before.tables) {
    if (!afterIds.has(table.id)) tables.push(wholeTable(table, 'removed'));
  }
  return { identical: tables.length === 0, tables, unchangedTables };
}

function hasDifferences(diff: TableDiff): boolean {
  return (
    diff.oldTitle !== undefined ||
    !diff.comparable ||
    diff.dimensions.length > 0 ||
    diff.addedMeasures.length > 0 ||
    diff.removedMeasures.length > 0 ||
    diff.changedMeasureMetadata.length > 0 ||
    diff.relocations.length > 0 ||
    diff.changedCells.length > 0 ||
    diff.movedCells.length > 0 ||
    diff.addedRows.length > 0 ||
    diff.removedRows.length > 0
  );
}

function wholeTable(table: DataTable, status: 'added' | 'removed'): TableDiff {
  return {
    id: table.id,
    status,
    title: table.title,
    oldTitle: undefined,
    comparable: false,
    addedDimensions: [],
    removedDimensions: [],
    dimensions: [],
    addedMeasures: [],
    removedMeasures: [],
    changedMeasureMetadata: [],
    ...NO_CELL_CHANGES,
  };
}

/** Makes the reference of a measure, with its parent's title. */
function toMeasureRef(table: DataTable, measure: Measure): MeasureRef {
  const parent = measure.parent === undefined ? undefined : table.measures.find((m) => m.key === measure.parent);
  const title = stripFootnoteMarkers(measure.title).trim();
  return {
    key: measure.key,
    title: measure.title,
    parentKey: parent?.key,
    parentTitle: parent?.title,
    columnTitle: parent ? `${stripFootnoteMarkers(parent.title).trim()}, ${title}` : title,
    unit: measure.unit,
    decimals: measure.decimals,
  };
}

function cellEquals(a: Cell, b: Cell): boolean {
  if (a.kind === 'value') return b.kind === 'value' && a.value === b.value;
  return b.kind === 'symbol' && a.symbol === b.symbol;
}

/** A string that is equal for equal cells: for quick comparison in maps. */
function cellToken(cell: Cell): string {
  return cell.kind === 'value' ? `v${cell.value}` : `s${cell.symbol}`;
}

/** A table's rows seen through a fixed dimension order and measure list, for comparing versions. */
interface AlignedTable {
  readonly table: DataTable;
  readonly dims: readonly Dimension[];
  /** Row index in `table.rows` by the key of its codes in `dims` order. */
  readonly rows: ReadonlyMap<string, number>;
  /** Codes of each row in `dims` order, by the same key. */
  readonly codes: ReadonlyMap<string, readonly string[]>;
  /** For each compared measure, its index in `table.measures`. */
  readonly measureIndex: readonly number[];
}

function alignTable(table: DataTable, dims: readonly Dimension[], measureKeys: readonly string[]): AlignedTable {
  const order = dims.map((d) => table.dimensions.findIndex((td) => td.key === d.key));
  const rows = new Map<string, number>();
  const codes = new Map<string, readonly string[]>();
  table.rows.forEach((row, ri) => {
    const ordered = order.map((i) => row.codes[i] ?? '');
    const key = rowKey(ordered);
    rows.set(key, ri);
    codes.set(key, ordered);
  });
  return { table, dims, rows, codes, measureIndex: measureKeys.map((k) => table.measures.findIndex((m) => m.key === k)) };
}

function cellAt(view: AlignedTable, key: string, measure: number): Cell | undefined {
  const ri = view.rows.get(key);
  if (ri === undefined) return undefined;
  return view.table.rows[ri]?.cells[view.measureIndex[measure] ?? -1];
}

function rowRef(table: DataTable, dims: readonly Dimension[], codes: readonly string[]): RowRef {
  const dimByKey = new Map(table.dimensions.map((d) => [d.key, d]));
  const refs = codes.map((code, i): RowCode => {
    const dimension = dims[i]?.key ?? '';
    const title = dimByKey.get(dimension)?.codes.find((c) => c.key === code)?.title ?? code;
    return { dimension, key: code, title };
  });
  const distinguishing = refs.filter((_, i) => (dimByKey.get(dims[i]?.key ?? '')?.codes.length ?? 0) > 1);
  const label = (distinguishing.length > 0 ? distinguishing : refs).map((c) => c.title).join(', ');
  return { key: rowKey(codes), codes: refs, label };
}

/** Sort key of a row: the positions of its codes in the code lists, outer dimension first. */
function positionsOf(dims: readonly Dimension[], codes: readonly string[]): number[] {
  return codes.map((code, i) => dims[i]?.codes.findIndex((c) => c.key === code) ?? -1);
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k) => b.includes(k));
}

function diffTable(before: DataTable, after: DataTable): TableDiff {
  const beforeDimKeys = before.dimensions.map((d) => d.key);
  const afterDimKeys = after.dimensions.map((d) => d.key);
  const addedDimensions = after.dimensions.filter((d) => !beforeDimKeys.includes(d.key)).map((d) => ({ key: d.key, title: d.title }));
  const removedDimensions = before.dimensions.filter((d) => !afterDimKeys.includes(d.key)).map((d) => ({ key: d.key, title: d.title }));
  const comparable = sameSet(beforeDimKeys, afterDimKeys);

  const dimensions: DimensionDiff[] = [];
  for (const dim of after.dimensions) {
    const old = before.dimensions.find((d) => d.key === dim.key);
    if (!old) continue;
    const oldCodes = new Map(old.codes.map((c) => [c.key, c]));
    const newKeys = new Set(dim.codes.map((c) => c.key));
    const addedCodes = dim.codes.filter((c) => !oldCodes.has(c.key)).map((c) => ({ key: c.key, title: c.title }));
    const removedCodes = old.codes.filter((c) => !newKeys.has(c.key)).map((c) => ({ key: c.key, title: c.title }));
    const renamedCodes: RenamedCode[] = [];
    for (const code of dim.codes) {
      const was = oldCodes.get(code.key);
      if (was && was.title !== code.title) renamedCodes.push({ key: code.key, oldTitle: was.title, newTitle: code.title });
    }
    const oldTitle = old.title === dim.title ? undefined : old.title;
    if (addedCodes.length + removedCodes.length + renamedCodes.length > 0 || oldTitle !== undefined) {
      dimensions.push({ dimension: { key: dim.key, title: dim.title }, oldTitle, addedCodes, removedCodes, renamedCodes });
    }
  }

  const beforeMeasures = new Map(before.measures.map((m) => [m.key, m]));
  const afterMeasureKeys = new Set(after.measures.map((m) => m.key));
  const common = after.measures.filter((m) => beforeMeasures.has(m.key));
  const addedMeasures = after.measures.filter((m) => !beforeMeasures.has(m.key)).map((m) => toMeasureRef(after, m));
  const removedMeasures = before.measures.filter((m) => !afterMeasureKeys.has(m.key)).map((m) => toMeasureRef(before, m));
  const changedMeasureMetadata: ChangedMeasure[] = [];
  for (const measure of common) {
    const old = beforeMeasures.get(measure.key);
    if (!old) continue;
    const fields: ChangedMeasure['fields'][number][] = [];
    if (old.title !== measure.title) fields.push('title');
    if (old.unit !== measure.unit) fields.push('unit');
    if (old.decimals !== measure.decimals) fields.push('decimals');
    if (old.parent !== measure.parent) fields.push('parent');
    if (fields.length > 0) changedMeasureMetadata.push({ measure: toMeasureRef(after, measure), old: toMeasureRef(before, old), fields });
  }

  const base = {
    id: after.id,
    status: 'changed' as const,
    title: after.title,
    oldTitle: before.title === after.title ? undefined : before.title,
    comparable,
    addedDimensions,
    removedDimensions,
    dimensions,
    addedMeasures,
    removedMeasures,
    changedMeasureMetadata,
  };
  if (!comparable) {
    return {
      ...base,
      ...NO_CELL_CHANGES,
    };
  }

  const dims = after.dimensions;
  const beforeDims = dims.map((d) => before.dimensions.find((b) => b.key === d.key) ?? d);
  const measureKeys = common.map((m) => m.key);
  const oldView = alignTable(before, dims, measureKeys);
  const newView = alignTable(after, dims, measureKeys);

  // Per dimension, which code's figures each code received (only where a relocation was found).
  const relocations: CodeRelocation[] = [];
  const sourceCode: Map<string, string>[] = dims.map(() => new Map());
  const anyCellDiffers = (): boolean => {
    for (const key of newView.rows.keys()) {
      if (!oldView.rows.has(key)) return true;
      for (let mi = 0; mi < measureKeys.length; mi++) {
        const was = cellAt(oldView, key, mi);
        const now = cellAt(newView, key, mi);
        if (!was || !now || !cellEquals(was, now)) return true;
      }
    }
    return [...oldView.rows.keys()].some((key) => !newView.rows.has(key));
  };
  // Looking for relocations costs a comparison per pair of codes: only where some figure differs.
  if (anyCellDiffers()) {
    dims.forEach((dim, di) => {
      const found = findRelocations(oldView, newView, di, measureKeys.length);
      const codeMap = sourceCode[di];
      if (!codeMap) return;
      for (const [to, from] of found.sources) codeMap.set(to, from.code);
      for (const relocation of found.relocations) {
        const oldDim = beforeDims[di] ?? dim;
        const titleIn = (d: Dimension, key: string): string => d.codes.find((c) => c.key === key)?.title ?? key;
        relocations.push({
          kind: relocation.kind,
          dimension: { key: dim.key, title: dim.title },
          from: { key: relocation.from, title: titleIn(oldDim, relocation.from) },
          to: { key: relocation.to, title: titleIn(dim, relocation.to) },
          matchingCells: relocation.matching,
          comparedCells: relocation.compared,
        });
      }
    });
  }

  const measureRefs = common.map((m) => toMeasureRef(after, m));
  const cells: CellChange[] = [];
  const changedMeasureKeys = new Set<string>();
  const usedSources = new Set<string>();
  const addedRows: { ref: RowRef; pos: number[] }[] = [];

  const newKeys = [...newView.codes.keys()];
  const sortedNew = newKeys
    .map((key) => ({ key, codes: newView.codes.get(key) ?? [], pos: positionsOf(dims, newView.codes.get(key) ?? []) }))
    .sort((a, b) => comparePositions(a.pos, b.pos));

  for (const { key, codes, pos } of sortedNew) {
    const sourceCodes = codes.map((code, di) => sourceCode[di]?.get(code) ?? code);
    const sourceKey = rowKey(sourceCodes);
    const moved = sourceKey !== key && oldView.rows.has(sourceKey);
    const compareKey = moved ? sourceKey : key;
    if (!oldView.rows.has(compareKey)) {
      addedRows.push({ ref: rowRef(after, dims, codes), pos });
      continue;
    }
    usedSources.add(compareKey);
    const row = rowRef(after, dims, codes);
    const movedFrom = moved ? rowRef(before, dims, sourceCodes) : undefined;
    measureRefs.forEach((measure, mi) => {
      const newValue = cellAt(newView, key, mi);
      const oldValue = cellAt(oldView, compareKey, mi);
      if (!newValue || !oldValue) return;
      const shownValue = cellAt(oldView, key, mi);
      const corrected = !cellEquals(oldValue, newValue);
      if (corrected) {
        cells.push({ kind: moved ? 'moved-value' : 'value', row, measure, oldValue, newValue, movedFrom, shownValue });
        changedMeasureKeys.add(measure.key);
      } else if (moved && (shownValue === undefined || !cellEquals(shownValue, newValue))) {
        cells.push({ kind: 'moved', row, measure, oldValue, newValue, movedFrom, shownValue });
      }
    });
  }

  const removedRows = [...oldView.codes.entries()]
    .filter(([key]) => !usedSources.has(key) && !newView.rows.has(key))
    .map(([, codes]) => ({ ref: rowRef(before, dims, codes), pos: positionsOf(beforeDims, codes) }))
    .sort((a, b) => comparePositions(a.pos, b.pos))
    .map((r) => r.ref);

  return {
    ...base,
    relocations,
    cells,
    changedCells: cells.filter((c) => c.kind !== 'moved'),
    movedCells: cells.filter((c) => c.kind === 'moved'),
    addedRows: addedRows.map((r) => r.ref),
    removedRows,
    changedMeasures: measureRefs.filter((m) => changedMeasureKeys.has(m.key)),
    unchangedMeasures: measureRefs.filter((m) => !changedMeasureKeys.has(m.key)),
  };
}

/** The cells of one code of a dimension: a token per (other codes, measure). */
type Slice = Map<string, string>;

function slicesOf(view: AlignedTable, di: number, measures: number): Map<string, Slice> {
  const slices = new Map<string, Slice>();
  for (const [key, codes] of view.codes) {
    const code = codes[di] ?? '';
    const rest = rowKey(codes.filter((_, i) => i !== di));
    let slice = slices.get(code);
    if (!slice) {
      slice = new Map();
      slices.set(code, slice);
    }
    for (let mi = 0; mi < measures; mi++) {
      const cell = cellAt(view, key, mi);
      if (cell) slice.set(`${rest}\u0001${mi}`, cellToken(cell));
    }
  }
  return slices;
}

function slicesDiffer(a: Slice, b: Slice): boolean {
  if (a.size !== b.size) return true;
  for (const [k, v] of a) if (b.get(k) !== v) return true;
  return false;
}

interface Candidate {
  readonly code: string;
  readonly matching: number;
  readonly compared: number;
}

/**
 * The evidence that the figures of `from` (first version) now stand under `to`. Only cells in which
 * the two codes differed in the first version count: equal small numbers prove nothing. The match
 * must be supported by at least MIN_RELOCATION_EVIDENCE cells and by at least half of the cells
 * compared, and clearly (more than twice) better than the alternative that each code kept its own
 * figures.
 */
function evidence(
  from: string,
  to: string,
  oldSlices: ReadonlyMap<string, Slice>,
  newSlices: ReadonlyMap<string, Slice>,
): Candidate | undefined {
  const source = oldSlices.get(from);
  const target = newSlices.get(to);
  if (!source || !target) return undefined;
  const targetBefore = oldSlices.get(to);
  const sourceAfter = newSlices.get(from);
  let compared = 0;
  let matching = 0;
  let targetKept = 0;
  let sourceKept = 0;
  for (const [k, value] of source) {
    const now = target.get(k);
    if (now === undefined) continue;
    const was = targetBefore?.get(k);
    if (was === value) continue;
    compared++;
    if (now === value) matching++;
    if (was !== undefined && now === was) targetKept++;
    if (sourceAfter?.get(k) === value) sourceKept++;
  }
  const ok = matching >= MIN_RELOCATION_EVIDENCE && matching * 2 >= compared && matching > 2 * Math.max(targetKept, sourceKept);
  return ok ? { code: to, matching, compared } : undefined;
}

/** The one best candidate, when it is strictly better than every other. */
function uniqueBest(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  let tie = false;
  for (const c of candidates) {
    if (!best || c.matching > best.matching) {
      best = c;
      tie = false;
    } else if (c.matching === best.matching) tie = true;
  }
  return tie ? undefined : best;
}

interface FoundRelocations {
  /** For each target code, the source code and its evidence. */
  readonly sources: ReadonlyMap<string, { code: string; matching: number; compared: number }>;
  readonly relocations: readonly { kind: 'swap' | 'move'; from: string; to: string; matching: number; compared: number }[];
}

/** Finds the codes of dimension `di` whose figures stood under another code in the first version. */
function findRelocations(oldView: AlignedTable, newView: AlignedTable, di: number, measures: number): FoundRelocations {
  const empty: FoundRelocations = { sources: new Map(), relocations: [] };
  const dim = newView.dims[di];
  if (!dim || measures === 0) return empty;
  const oldSlices = slicesOf(oldView, di, measures);
  const newSlices = slicesOf(newView, di, measures);
  if (oldSlices.size < 2 && newSlices.size < 2) return empty;

  // Only codes whose figures differ can have taken part: sources lost theirs, targets received others.
  const changed: string[] = [];
  for (const code of dim.codes) {
    const a = oldSlices.get(code.key);
    const b = newSlices.get(code.key);
    if (a && b && slicesDiffer(a, b)) changed.push(code.key);
  }
  const onlyNew = dim.codes.map((c) => c.key).filter((k) => newSlices.has(k) && !oldSlices.has(k));
  const onlyOld = [...oldSlices.keys()].filter((k) => !newSlices.has(k));
  const sources = [...changed, ...onlyOld];
  const targets = [...changed, ...onlyNew];
  if (sources.length === 0 || targets.length === 0) return empty;

  const byTarget = new Map<string, Candidate[]>();
  const bySource = new Map<string, Candidate[]>();
  for (const from of sources) {
    for (const to of targets) {
      if (from === to) continue;
      const found = evidence(from, to, oldSlices, newSlices);
      if (!found) continue;
      byTarget.set(to, [...(byTarget.get(to) ?? []), { ...found, code: from }]);
      bySource.set(from, [...(bySource.get(from) ?? []), found]);
    }
  }

  const accepted = new Map<string, { code: string; matching: number; compared: number }>();
  for (const to of targets) {
    const best = uniqueBest(byTarget.get(to) ?? []);
    if (!best) continue;
    const back = uniqueBest(bySource.get(best.code) ?? []);
    if (back?.code === to) accepted.set(to, best);
  }

  const order = new Map(targets.map((code, i) => [code, i]));
  const relocations: FoundRelocations['relocations'][number][] = [];
  for (const [to, from] of accepted) {
    const back = accepted.get(from.code);
    if (back?.code === to) {
      // A swap is reported once, from the code first in the code list.
      if ((order.get(from.code) ?? 0) < (order.get(to) ?? 0)) continue;
      relocations.push({
        kind: 'swap',
        from: to,
        to: from.code,
        matching: back.matching + from.matching,
        compared: back.compared + from.compared,
      });
    } else {
      relocations.push({ kind: 'move', from: from.code, to, matching: from.matching, compared: from.compared });
    }
  }
  relocations.sort((a, b) => (order.get(a.kind === 'swap' ? a.from : a.to) ?? 0) - (order.get(b.kind === 'swap' ? b.from : b.to) ?? 0));
  return { sources: accepted, relocations };
}
