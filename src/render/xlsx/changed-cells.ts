import type { Cell, Dataset } from '../../model/dataset.js';
import type { ChangedCell } from '../errata/erratum-changes.js';
import { eachRow, type TableModel } from '../tables/table-model.js';

/** The corrected cells found in one table model: by `${rowIndex}:${columnIndex}`. */
export type CellMarks = ReadonlyMap<string, ChangedCell>;

/** Where the erratum's corrected cells stand in the workbook's tables. */
export interface LocatedChanges {
  /** Per table model (same index as the models): the corrected cells it shows. */
  readonly marksByModel: readonly CellMarks[];
  /** Per corrected cell (same index as the list given): the indexes of the models that show it. */
  readonly modelsByChange: readonly (readonly number[])[];
}

/** The key of a cell position in a table model. */
export function markKey(rowIndex: number, columnIndex: number): string {
  return `${rowIndex}:${columnIndex}`;
}

/** The dataset cell of a change, by its dataset coordinates: table id, row key and measure key. */
function datasetCell(dataset: Dataset, change: ChangedCell): Cell | undefined {
  const table = dataset.tables.find((t) => t.id === change.tableId);
  if (!table) return undefined;
  const rowIndex = table.rowIndex.get(change.rowKey);
  const measureIndex = table.measures.findIndex((m) => m.key === change.measureKey);
  return rowIndex === undefined || measureIndex < 0 ? undefined : table.rows[rowIndex]?.cells[measureIndex];
}

/**
 * Finds every place where a corrected cell is shown. A table model holds the dataset's own cell
 * objects, so a figure is recognised in every view (a region-by-category view as well as the long
 * table) by identity, without knowing which codes a view fixes.
 */
export function locateChanges(dataset: Dataset, models: readonly TableModel[], changes: readonly ChangedCell[]): LocatedChanges {
  const marks = models.map(() => new Map<string, ChangedCell>());
  const modelsByChange = changes.map(() => new Set<number>());
  const wanted = new Map<Cell, number[]>();
  changes.forEach((change, ci) => {
    const cell = datasetCell(dataset, change);
    if (!cell) return;
    const list = wanted.get(cell) ?? [];
    list.push(ci);
    wanted.set(cell, list);
  });
  if (wanted.size > 0) {
    models.forEach((model, mi) => {
      let ri = -1;
      for (const row of eachRow(model)) {
        ri++;
        row.cells.forEach((cell, col) => {
          for (const ci of wanted.get(cell) ?? []) {
            const change = changes[ci];
            if (!change) continue;
            marks[mi]?.set(markKey(ri, col), change);
            modelsByChange[ci]?.add(mi);
          }
        });
      }
    });
  }
  return { marksByModel: marks, modelsByChange: modelsByChange.map((s) => [...s].sort((a, b) => a - b)) };
}
