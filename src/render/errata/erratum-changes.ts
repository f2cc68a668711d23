import { type Cell, stripFootnoteMarkers } from '../../model/dataset.js';
import type { CellChangeKind, DatasetDiff } from './dataset-diff.js';

/**
 * The changes of a corrected edition as one value: computed once from the dataset diff, in the
 * dataset's own coordinates (table id, row key, measure key), and read by every output: the
 * erratum PDF, the workbook's marks and Erratum sheet, and the record kept with the edition.
 */
export interface ErratumChanges {
  /** Codes whose figures stood under another code (two names swapped, figures moved): one entry each. */
  readonly relocations: readonly RelocatedRows[];
  /** Every figure that reads differently, of every kind, in table, row and column order. */
  readonly cells: readonly ChangedCell[];
}

/** Figures that stood under another code in the first version. */
export interface RelocatedRows {
  readonly tableId: string;
  /** The table title without footnote markers. */
  readonly tableTitle: string;
  /** `swap`: the figures of the two codes stood under each other's name; `move`: those now under `toTitle` stood under `fromTitle`. */
  readonly kind: 'swap' | 'move';
  readonly dimensionKey: string;
  /** The dimension's title without footnote markers ("Veilig Thuis-regio"). */
  readonly dimensionTitle: string;
  /** The code under which the figures stood (for a swap: the one first in the code list). */
  readonly fromKey: string;
  readonly fromTitle: string;
  /** The code under which they stand now. */
  readonly toKey: string;
  readonly toTitle: string;
}

/** One figure that reads differently in the corrected version. */
export interface ChangedCell {
  readonly tableId: string;
  /** The table title without footnote markers. */
  readonly tableTitle: string;
  /** The dataset row: `rowKey` of its codes (every dimension, in table order). */
  readonly rowKey: string;
  /** The row's codes by dimension key. */
  readonly rowCodes: Readonly<Record<string, string>>;
  /** The titles of every code that tells rows apart, joined by ", ". */
  readonly rowLabel: string;
  readonly measureKey: string;
  /** "Actieve casussen, waarvan gestart": parent and measure title, without footnote markers. */
  readonly columnTitle: string;
  /**
   * `value`: corrected in place; `moved`: the same figure, which stood under another code
   * (`movedFromLabel`); `moved-value`: it stood under another code and was corrected too.
   */
  readonly kind: CellChangeKind;
  /** The figure that is corrected: of this row, or for moved kinds of the row it stood under. */
  readonly oldValue: Cell;
  /** What the first version showed in this row and column; undefined when the row is new. */
  readonly shownValue: Cell | undefined;
  readonly newValue: Cell;
  /** For moved kinds: the row under which the figure stood in the first version (its key and label). */
  readonly movedFromKey: string | undefined;
  readonly movedFromLabel: string | undefined;
  /** Decimals of the measure, to format the figures. */
  readonly decimals: number;
}

/** Whether a changed cell is a genuine correction (a figure that was wrong), not only a figure that moved with its row. */
export function isCorrection(cell: ChangedCell): boolean {
  return cell.kind !== 'moved';
}

/** The changes of a corrected edition, from the diff of the dataset as published and as corrected. */
export function toErratumChanges(diff: DatasetDiff): ErratumChanges {
  const relocations: RelocatedRows[] = [];
  const cells: ChangedCell[] = [];
  for (const table of diff.tables) {
    const tableTitle = stripFootnoteMarkers(table.title).trim();
    for (const r of table.relocations) {
      relocations.push({
        tableId: table.id,
        tableTitle,
        kind: r.kind,
        dimensionKey: r.dimension.key,
        dimensionTitle: stripFootnoteMarkers(r.dimension.title).trim(),
        fromKey: r.from.key,
        fromTitle: stripFootnoteMarkers(r.from.title).trim(),
        toKey: r.to.key,
        toTitle: stripFootnoteMarkers(r.to.title).trim(),
      });
    }
    for (const cell of table.cells) {
      cells.push({
        tableId: table.id,
        tableTitle,
        rowKey: cell.row.key,
        rowCodes: Object.fromEntries(cell.row.codes.map((c) => [c.dimension, c.key])),
        rowLabel: cell.row.label,
        measureKey: cell.measure.key,
        columnTitle: cell.measure.columnTitle,
        kind: cell.kind,
        oldValue: cell.oldValue,
        shownValue: cell.shownValue,
        newValue: cell.newValue,
        movedFromKey: cell.movedFrom?.key,
        movedFromLabel: cell.movedFrom?.label,
        decimals: cell.measure.decimals,
      });
    }
  }
  return { relocations, cells };
}
