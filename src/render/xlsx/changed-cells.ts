import type { Cell, DataTable, Dataset } from '../../model/dataset.js';
import { buildTableModel, type TableModel } from '../tables/table-model.js';
import type { ChangedCellRow } from './workbook-options.js';

/** The changed cells found in one table model: by `${rowIndex}:${columnIndex}`. */
export type CellMarks = ReadonlyMap<string, ChangedCellRow>;

/** Where the erratum's cells stand in the workbook's tables. */
export interface LocatedChanges {
  /** Per table model (same index as the models): the changed cells it shows. */
  readonly marksByModel: readonly CellMarks[];
  /** Per changed cell (same index as the erratum's list): the indexes of the models that show it. */
  readonly modelsByChange: readonly (readonly number[])[];
}

/** The key of a cell position in a table model. */
export function markKey(rowIndex: number, columnIndex: number): string {
  return `${rowIndex}:${columnIndex}`;
}

function findInModel(model: TableModel, change: ChangedCellRow): { row: number; column: number } | undefined {
  const column = model.columns.findIndex((c) => c.key === change.columnKey);
  if (column < 0) return undefined;
  const row = model.rows.findIndex((r) => r.kind === 'data' && r.key === change.rowKey);
  return row < 0 ? undefined : { row, column };
}

/**
 * The dataset cell a change refers to: by the dataset's row key and measure key (as the dataset
 * diff gives them), or by the row and column keys of the table's default view.
 */
function findDatasetCell(table: DataTable, change: ChangedCellRow, defaultView: () => TableModel): Cell | undefined {
  const rowIndex = table.rowIndex.get(change.rowKey);
  const measureIndex = table.measures.findIndex((m) => m.key === change.columnKey);
  if (rowIndex !== undefined && measureIndex >= 0) return table.rows[rowIndex]?.cells[measureIndex];
  const view = defaultView();
  const at = findInModel(view, change);
  return at ? view.rows[at.row]?.cells[at.column] : undefined;
}

/**
 * Finds every place where a changed cell is shown. A table model holds the dataset's own cell
 * objects, so a figure is recognised in every view (a region-by-category view as well as the long
 * table) by identity, without knowing which codes a view fixes. A change whose keys name a
 * position in a model directly (`tableId` = the model's id) is marked there too.
 */
export function locateChanges(dataset: Dataset, models: readonly TableModel[], changes: readonly ChangedCellRow[]): LocatedChanges {
  const marks = models.map(() => new Map<string, ChangedCellRow>());
  const modelsByChange = changes.map(() => new Set<number>());
  const wanted = new Map<Cell, number[]>();
  const defaultViews = new Map<string, TableModel>();
  const defaultView = (table: DataTable) => (): TableModel => {
    let view = defaultViews.get(table.id);
    if (!view) {
      view = buildTableModel(dataset, table);
      defaultViews.set(table.id, view);
    }
    return view;
  };

  changes.forEach((change, ci) => {
    const table = dataset.tables.find((t) => t.id === change.tableId);
    const cell = table ? findDatasetCell(table, change, defaultView(table)) : undefined;
    if (cell) {
      const list = wanted.get(cell) ?? [];
      list.push(ci);
      wanted.set(cell, list);
    }
    models.forEach((model, mi) => {
      if (model.id !== change.tableId) return;
      const at = findInModel(model, change);
      if (!at) return;
      marks[mi]?.set(markKey(at.row, at.column), change);
      modelsByChange[ci]?.add(mi);
    });
  });

  if (wanted.size > 0) {
    models.forEach((model, mi) => {
      model.rows.forEach((row, ri) => {
        row.cells.forEach((cell, col) => {
          const hits = wanted.get(cell);
          if (!hits) return;
          for (const ci of hits) {
            const change = changes[ci];
            if (!change) continue;
            marks[mi]?.set(markKey(ri, col), change);
            modelsByChange[ci]?.add(mi);
          }
        });
      });
    });
  }

  return { marksByModel: marks, modelsByChange: modelsByChange.map((s) => [...s].sort((a, b) => a - b)) };
}
