import { formatCell } from '../model/number-format.js';
import type { ErratumChanges } from '../render/errata/erratum-changes.js';
import type { ChangedCellsRecord } from './storage.js';

/** At most this many changed cells are recorded per edition; the total is always recorded. */
export const MAX_RECORDED_CHANGED_CELLS = 1_000;

/**
 * The changed figures of a corrected edition for its manifest, read from the changes the
 * renderer computed once (`RenderedEdition.erratum`): every figure that reads differently,
 * formatted as printed, the figure the first version showed in its row as the old one. Kept small
 * enough for a manifest: at most `limit` cells, with the total.
 */
export function toChangedCellsRecord(changes: ErratumChanges, limit = MAX_RECORDED_CHANGED_CELLS): ChangedCellsRecord {
  const cells = changes.cells;
  return {
    total: cells.length,
    cells: cells.slice(0, limit).map((cell) => ({
      tableId: cell.tableId,
      tableTitle: cell.tableTitle,
      rowLabel: cell.rowLabel,
      columnTitle: cell.columnTitle,
      oldText: formatCell(cell.shownValue ?? cell.oldValue, cell.decimals),
      newText: formatCell(cell.newValue, cell.decimals),
      kind: cell.kind,
      movedFromLabel: cell.movedFromLabel ?? null,
    })),
  };
}
