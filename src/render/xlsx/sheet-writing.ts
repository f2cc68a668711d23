import type { Alignment, Borders, Cell, Font, HeaderFooter, PageSetup, Worksheet, WorksheetView } from 'exceljs';
import { countWrappedLines, toCellText } from './cell-text.js';
import { applyStyle, FONT } from './styles.js';

/**
 * What a sheet needs before its first cell: exceljs's streaming writer writes the views and the
 * fit-to-page flag at the top of the sheet as the sheet is made, so they cannot change later.
 */
export interface SheetSetup {
  readonly views: Partial<WorksheetView>[];
  readonly pageSetup: Partial<PageSetup>;
  readonly headerFooter?: Partial<HeaderFooter>;
}

/** A4 landscape, as wide as one page, as many pages long as needed, with `rows` (e.g. "7:7") repeated on every page. */
export function landscapePages(rows: string): Partial<PageSetup> {
  return { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: rows };
}

/** Makes the next sheet of the workbook, set up as given. */
export type OpenSheet = (setup: SheetSetup) => Worksheet;

/**
 * Lets the package catch up with a long sheet being written: a promise to wait on while too much
 * of what was written is still being compressed, else undefined (PackageWriter.catchUp).
 */
export type CatchUp = () => Promise<void> | undefined;

/** Rows between two commits of a long table: what a streamed sheet keeps in memory. */
export const COMMIT_EVERY = 512;

/**
 * Writes out the rows of a streamed sheet up to `rowNumber`; they cannot be changed afterwards.
 * Columns must have their widths by then. Harmless on a sheet in memory.
 */
export function commitRows(ws: Worksheet, rowNumber: number): void {
  ws.getRow(rowNumber).commit();
}

/** Row height in points for `lines` lines of text in a font of `size` points. */
export function rowHeightFor(lines: number, size = 10): number {
  return Math.ceil(lines * size * 1.3) + 3;
}

/**
 * Excel width units (about one digit of the default font) per character of running text in
 * Arial 10: letters are narrower than digits; a little slack for capitals and other renderers.
 */
const UNITS_PER_CHAR = 0.85;

function unitsPerChar(font: Partial<Font>): number {
  return UNITS_PER_CHAR * ((font.size ?? 10) / 10) * (font.bold ? 1.1 : 1);
}

/** How many characters of text fit in a width of Excel width units. */
export function charsPerWidth(width: number, font: Partial<Font> = FONT): number {
  return Math.max(1, Math.floor(width / unitsPerChar(font)));
}

/** The width, in Excel width units, that `chars` characters of text take. */
export function textWidthInExcelUnits(chars: number, font: Partial<Font> = FONT): number {
  return Math.ceil(chars * unitsPerChar(font));
}

/** Puts text in a cell as a plain string (never a formula or link), with its look. */
export function setText(
  cell: Cell,
  text: string,
  font: Partial<Font> = FONT,
  alignment?: Partial<Alignment>,
  border?: Partial<Borders>,
): void {
  cell.value = toCellText(text);
  applyStyle(cell, { font, ...(alignment ? { alignment } : {}), ...(border ? { border } : {}) });
}

/** Where a block of running text goes: the columns it spans and their total width. */
export interface TextArea {
  readonly firstColumn: number;
  readonly lastColumn: number;
  readonly width: number;
}

/**
 * Writes a paragraph into one row, merged across the text area and wrapped, with a row height that
 * fits it. Returns the next row number.
 */
export function writeParagraph(ws: Worksheet, rowNumber: number, text: string, area: TextArea, font: Partial<Font> = FONT): number {
  const cell = ws.getCell(rowNumber, area.firstColumn);
  setText(cell, text, font, { wrapText: true, vertical: 'top', horizontal: 'left' });
  if (area.lastColumn > area.firstColumn) ws.mergeCells(rowNumber, area.firstColumn, rowNumber, area.lastColumn);
  const lines = countWrappedLines(text, charsPerWidth(area.width, font));
  ws.getRow(rowNumber).height = rowHeightFor(lines, font.size ?? 10);
  return rowNumber + 1;
}
