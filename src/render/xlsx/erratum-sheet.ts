import { stripFootnoteMarkers } from '../../model/dataset.js';
import { formatDutchDate } from '../../model/number-format.js';
import { countWrappedLines } from './cell-text.js';
import {
  COMMIT_EVERY,
  charsPerWidth,
  commitRows,
  type OpenSheet,
  rowHeightFor,
  setText,
  textWidth,
  writeParagraph,
} from './sheet-writing.js';
import { FONT, FONT_BOLD, FONT_TITLE, RULE_BOTTOM } from './styles.js';
import { CORRECTION_MARK } from './table-sheet.js';
import type { ChangedCellRow } from './workbook-options.js';

/** What the erratum sheet lists. */
export interface ErratumSheetInput {
  /** "Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019". */
  readonly publicationTitle: string;
  readonly date: string;
  readonly changes: readonly ChangedCellRow[];
  /** Per change (same order): the sheets where the corrected figure stands. */
  readonly sheetsByChange: readonly (readonly string[])[];
}

const COLUMNS = [
  { title: 'Blad', width: 14, widest: 24 },
  { title: 'Tabel', width: 40, widest: 60 },
  { title: 'Rij', width: 30, widest: 50 },
  { title: 'Kolom', width: 34, widest: 50 },
  { title: 'Was', width: 12, widest: 16 },
  { title: 'Wordt', width: 12, widest: 16 },
] as const;

/** The texts of one change, in the order of the columns. */
function changeTexts(change: ChangedCellRow, sheets: readonly string[]): string[] {
  return [
    sheets.join(', '),
    stripFootnoteMarkers(change.tableTitle),
    stripFootnoteMarkers(change.rowLabel),
    stripFootnoteMarkers(change.columnTitle),
    change.oldText,
    change.newText,
  ];
}

/** The erratum: its date and every corrected cell with its old and new value. */
export function writeErratumSheet(open: OpenSheet, input: ErratumSheetInput): void {
  // The introduction is one merged row (5), a blank row, then the header.
  const headerRow = 7;
  const ws = open({
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: 'A1', showGridLines: false }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  // Each column as wide as its longest text, within bounds; longer texts wrap.
  const rows = input.changes.map((change, i) => changeTexts(change, input.sheetsByChange[i] ?? []));
  const widths = COLUMNS.map((c, ci) => {
    let longest = 0;
    for (const texts of rows) longest = Math.max(longest, (texts[ci] ?? '').length);
    return Math.min(c.widest, Math.max(c.width, textWidth(longest) + 2));
  });
  widths.forEach((width, i) => {
    ws.getColumn(i + 1).width = width;
  });
  const area = { firstColumn: 1, lastColumn: COLUMNS.length, width: widths.reduce((a, b) => a + b, 0) };
  setText(ws.getCell('A1'), 'Erratum', FONT_TITLE);
  setText(ws.getCell('A2'), `Datum: ${formatDutchDate(input.date)}`, FONT);
  setText(ws.getCell('A3'), input.publicationTitle, FONT_BOLD);
  const count = input.changes.length;
  const intro =
    count === 0
      ? 'In deze gecorrigeerde editie zijn geen cijfers gewijzigd.'
      : `In deze gecorrigeerde editie ${count === 1 ? 'is één cijfer' : `zijn ${count} cijfers`} gewijzigd. In de tabellen staat achter een gewijzigd cijfer het teken ${CORRECTION_MARK.trim()}, met de oorspronkelijke waarde in een notitie bij de cel.`;
  let r = writeParagraph(ws, 5, intro, area) + 1;
  if (r !== headerRow) throw new Error(`erratum sheet: the header would be on row ${r}, not ${headerRow}`);
  COLUMNS.forEach((c, i) => {
    setText(ws.getCell(r, i + 1), c.title, FONT_BOLD, i >= 4 ? { horizontal: 'right' } : undefined, RULE_BOTTOM);
  });
  r++;
  rows.forEach((texts, i) => {
    if (i > 0 && i % COMMIT_EVERY === 0) commitRows(ws, r - 1);
    let lines = 1;
    texts.forEach((text, ci) => {
      setText(ws.getCell(r, ci + 1), text, FONT, { vertical: 'top', wrapText: true, horizontal: ci >= 4 ? 'right' : 'left' });
      lines = Math.max(lines, countWrappedLines(text, charsPerWidth((widths[ci] ?? 10) - 1)));
    });
    if (lines > 1) ws.getRow(r).height = rowHeightFor(lines);
    r++;
  });
}
