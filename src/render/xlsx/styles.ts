import type { Alignment, Border, Borders, Cell, Fill, Font, Style, Workbook, Worksheet } from 'exceljs';

/**
 * The look of the workbook: Arial 10 as in CBS tables (Liberation Sans, metrically equal, where
 * Arial is missing), horizontal rules only, no colour that carries meaning on its own.
 */

const FONT_NAME = 'Arial';

/** Body text. */
export const FONT: Partial<Font> = { name: FONT_NAME, size: 10 };
/** Totals and headings. */
export const FONT_BOLD: Partial<Font> = { name: FONT_NAME, size: 10, bold: true };
/** Group headings, notes. */
export const FONT_ITALIC: Partial<Font> = { name: FONT_NAME, size: 10, italic: true };
export const FONT_BOLD_ITALIC: Partial<Font> = { name: FONT_NAME, size: 10, bold: true, italic: true };
/** A table's title (A1). */
export const FONT_TITLE: Partial<Font> = { name: FONT_NAME, size: 12, bold: true };
/** The publication's title on the title page. */
export const FONT_COVER: Partial<Font> = { name: FONT_NAME, size: 18, bold: true };
export const FONT_COVER_SUB: Partial<Font> = { name: FONT_NAME, size: 14, bold: true };
/** Small print: source, footnotes. */
export const FONT_SMALL: Partial<Font> = { name: FONT_NAME, size: 9 };
export const FONT_SMALL_ITALIC: Partial<Font> = { name: FONT_NAME, size: 9, italic: true };
/** An internal link in the contents. */
export const FONT_LINK: Partial<Font> = { name: FONT_NAME, size: 10, underline: true, color: { argb: 'FF0563C1' } };

const THIN: Partial<Border> = { style: 'thin', color: { argb: 'FF000000' } };
const HAIR: Partial<Border> = { style: 'thin', color: { argb: 'FF808080' } };

/** The rule above the header and below the header and the body. */
export const RULE_TOP: Partial<Borders> = { top: THIN };
export const RULE_BOTTOM: Partial<Borders> = { bottom: THIN };
/** Under a header cell that spans columns: shows what it spans. */
export const RULE_SPAN: Partial<Borders> = { bottom: HAIR };

/** Light fill behind a corrected figure; the mark and the note carry the meaning, not the colour. */
export const FILL_CHANGED: Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

export const ALIGN_WRAP_TOP: Partial<Alignment> = { wrapText: true, vertical: 'top' };

/** Row height (points) of one line of 10-point text. */
export const LINE_HEIGHT = 13;

/** The look of one cell: what exceljs calls a style. */
export type CellStyle = Partial<Pick<Style, 'font' | 'alignment' | 'border' | 'fill' | 'numFmt'>>;

interface SharedStyles {
  /** By the style's JSON: equal looks share one object. */
  readonly byJson: Map<string, CellStyle>;
  /** By the object handed in: a constant style object is serialised once, not once per cell. */
  readonly byObject: WeakMap<CellStyle, CellStyle>;
}

const stylesByWorkbook = new WeakMap<Workbook, SharedStyles>();

/**
 * The one style object shared by every cell of the workbook that looks like `style`. exceljs
 * recognises a style object it has written before, so a shared one is written once instead of
 * being compared field by field for every cell (for a 3 000-row table about half the time and
 * memory). A shared style is never changed afterwards: set a cell's look only through here.
 */
export function sharedStyle(sheet: Pick<Worksheet, 'workbook'>, style: CellStyle): Partial<Style> {
  const workbook = sheet.workbook;
  let styles = stylesByWorkbook.get(workbook);
  if (!styles) {
    styles = { byJson: new Map(), byObject: new WeakMap() };
    stylesByWorkbook.set(workbook, styles);
  }
  let shared = styles.byObject.get(style);
  if (!shared) {
    const key = JSON.stringify(style);
    shared = styles.byJson.get(key);
    if (!shared) {
      shared = style;
      styles.byJson.set(key, shared);
    }
    styles.byObject.set(style, shared);
  }
  return shared as Partial<Style>;
}

/** Gives a cell its look as one style object shared by every cell that looks the same (see sharedStyle). */
export function applyStyle(cell: Cell, style: CellStyle): void {
  cell.style = sharedStyle(cell.worksheet, style);
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/** A small number that identifies an object (a font constant), for cheap style keys. */
export function idOf(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) {
    nextObjectId += 1;
    id = nextObjectId;
    objectIds.set(value, id);
  }
  return id;
}

const keyedByWorkbook = new WeakMap<object, Map<string, Partial<Style>>>();

/**
 * The shared style named by `key`, made by `make` the first time in this workbook. Equal keys must
 * mean equal styles; this skips serialising the style of every figure cell.
 */
export function keyedStyle(sheet: Pick<Worksheet, 'workbook'>, key: string, make: () => CellStyle): Partial<Style> {
  const workbook = sheet.workbook;
  let keyed = keyedByWorkbook.get(workbook);
  if (!keyed) {
    keyed = new Map();
    keyedByWorkbook.set(workbook, keyed);
  }
  let shared = keyed.get(key);
  if (!shared) {
    shared = sharedStyle(sheet, make());
    keyed.set(key, shared);
  }
  return shared;
}

/** Applies the shared style named by `key` (see keyedStyle). */
export function applyKeyedStyle(cell: Cell, key: string, make: () => CellStyle): void {
  cell.style = keyedStyle(cell.worksheet, key, make);
}
