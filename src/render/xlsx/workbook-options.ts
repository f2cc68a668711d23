import type { TableModel } from '../tables/table-model.js';

/**
 * One corrected cell of a corrected edition, as listed in the erratum.
 * `rowKey` and `columnKey` say which figure: preferably as the dataset diff gives them, the
 * dataset row's `rowKey(codes)` (model/dataset.ts, every dimension's code in table order) and the
 * measure key; the `RowModel.key` and `ColumnModel.key` of the table's default view, or of a
 * workbook table whose model `id` is `tableId`, are understood as well. The workbook marks the
 * figure in every table sheet that shows it. `oldText` and `newText` are shown as given
 * (formatted figures such as "64 040").
 */
export interface ChangedCellRow {
  readonly tableId: string;
  readonly rowKey: string;
  readonly columnKey: string;
  readonly tableTitle: string;
  readonly rowLabel: string;
  readonly columnTitle: string;
  readonly oldText: string;
  readonly newText: string;
}

/** The erratum of a corrected edition: its date (YYYY-MM-DD) and the changed cells. */
export interface WorkbookErratum {
  readonly date: string;
  readonly changedCells: readonly ChangedCellRow[];
}

/** What goes into the tabellenbijlage besides the dataset. */
export interface WorkbookOptions {
  /** The publication's tables, in order: one sheet each ("Tabel 1", "Tabel 2", ...). */
  readonly tables: readonly TableModel[];
  /** The edition number (1 for the first publication). */
  readonly edition: number;
  /** For a corrected edition: the date of the correction (YYYY-MM-DD). */
  readonly correctedOn?: string;
  /** For a corrected edition: what changed; adds an "Erratum" sheet and marks the cells. */
  readonly erratum?: WorkbookErratum;
  /** A draft for review: the title page and the properties say "Concept" and give no edition number. */
  readonly draft?: boolean;
}
