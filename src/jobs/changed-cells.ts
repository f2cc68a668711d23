import type { Dataset } from '../model/dataset.js';
import { formatCell } from '../model/number-format.js';
import { listChangedCells } from '../render/errata/change-summary.js';
import { type DatasetDiff, diffDatasets } from '../render/errata/dataset-diff.js';
import type { ChangedCellsRecord } from './storage.js';

/** At most this many changed cells are recorded per edition; the total is always recorded. */
export const MAX_RECORDED_CHANGED_CELLS = 1_000;

/**
 * The changed figures of a corrected edition, as the erratum lists them: the same diff and the
 * same list as the renderer's (`diffDatasets` + `listChangedCells`), formatted as printed. Kept
 * small enough for a manifest: at most `limit` cells, with the total.
 */
export function toChangedCellsRecord(before: Dataset, after: Dataset, limit = MAX_RECORDED_CHANGED_CELLS): ChangedCellsRecord {
  return changedCellsRecordOf(diffDatasets(before, after), limit);
}

/** The same record from the diff the renderer made already (RenderedEdition.diff). */
export function changedCellsRecordOf(diff: DatasetDiff, limit = MAX_RECORDED_CHANGED_CELLS): ChangedCellsRecord {
  const rows = listChangedCells(diff);
  return {
    total: rows.length,
    cells: rows.slice(0, limit).map((row) => ({
      tableId: row.tableId,
      tableTitle: row.tableTitle,
      rowLabel: row.rowLabel,
      columnTitle: row.columnTitle,
      oldText: formatCell(row.oldValue, row.decimals),
      newText: formatCell(row.newValue, row.decimals),
      kind: row.kind,
      movedFromLabel: row.movedFromLabel ?? null,
    })),
  };
}
