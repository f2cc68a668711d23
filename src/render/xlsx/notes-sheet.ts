import { toPlainTitle } from '../../model/dataset.js';
import { ILLUSTRATIVE_NOTE, type TableModel } from '../tables/table-model.js';
import { portrait } from './front-sheets.js';
import { type OpenSheet, setText, writeParagraph } from './sheet-writing.js';
import { FONT, FONT_BOLD, FONT_SMALL, FONT_SMALL_ITALIC, FONT_TITLE } from './styles.js';
import { tableHeading, writeTableExplanation } from './table-sheet.js';

/** One table whose notes the Toelichting lists. */
export interface NotedTable {
  readonly sheetName: string;
  readonly model: TableModel;
}

const WIDTH = 100;

/** Whether a table has anything for the Toelichting besides its source. */
export function hasNotes(model: TableModel): boolean {
  return (
    model.footnotes.length > 0 || (model.description ?? '').trim() !== '' || model.columns.some((c) => c.measure.description !== undefined)
  );
}

/**
 * The Toelichting: every table's source, notes and explanation in one place, as they also stand
 * under each table, so they can be read and printed together.
 */
export function writeNotesSheet(open: OpenSheet, tables: readonly NotedTable[]): void {
  const ws = open(portrait());
  // Two columns merged per paragraph: LibreOffice prints a wrapped paragraph within a merged
  // range, where a single wide column let the first line run past the page.
  ws.getColumn(1).width = WIDTH / 2;
  ws.getColumn(2).width = WIDTH / 2;
  const area = { firstColumn: 1, lastColumn: 2, width: WIDTH };
  setText(ws.getCell('A1'), 'Toelichting', FONT_TITLE);
  let r = writeParagraph(ws, 2, 'Bron, voetnoten en toelichting van de tabellen. Ze staan ook onder elke tabel.', area) + 1;
  for (const { sheetName, model } of tables) {
    r = writeParagraph(ws, r, `${sheetName}. ${tableHeading(model)}`, area, FONT_BOLD);
    r = writeParagraph(ws, r, `Bron: ${model.source}`, area, FONT_SMALL);
    for (const note of model.footnotes) r = writeParagraph(ws, r, `${note.ref}) ${toPlainTitle(note.text)}`, area, FONT_SMALL);
    if (model.illustrative) r = writeParagraph(ws, r, ILLUSTRATIVE_NOTE, area, FONT_SMALL_ITALIC);
    r = writeTableExplanation(ws, r, model, area) + 1;
  }
  if (tables.length === 0) setText(ws.getCell(r, 1), 'De tabellen hebben geen voetnoten of toelichting.', FONT);
}
