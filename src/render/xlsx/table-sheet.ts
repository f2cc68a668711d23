import type { Alignment, Borders, Font, Style, Worksheet } from 'exceljs';
import type { Cell } from '../../model/dataset.js';
import { stripFootnoteMarkers, toPlainTitle } from '../../model/dataset.js';
import type { Measure } from '../../model/dataset-schema.js';
import { formatCell, formatDutchDate, formatNumber } from '../../model/number-format.js';
import { CORRECTION_MARK } from '../errata/correction-mark.js';
import { eachRow, ILLUSTRATIVE_NOTE, type RowModel, summarizeRows, type TableModel } from '../tables/table-model.js';
import { countWrappedLines, longestWord, toCellText, toParagraphs } from './cell-text.js';
import type { ChangedCell } from '../errata/erratum-changes.js';
import { type CellMarks, markKey } from './changed-cells.js';
import { figureFormat, symbolFormat } from './number-formats.js';
import {
  COMMIT_EVERY,
  type CatchUp,
  charsPerWidth,
  commitRows,
  landscapePages,
  type OpenSheet,
  rowHeightFor,
  setText,
  type TextArea,
  textWidthInExcelUnits,
  writeParagraph,
} from './sheet-writing.js';
import {
  applyStyle,
  idOf,
  type CellStyle,
  FILL_CHANGED,
  FONT,
  FONT_BOLD,
  FONT_BOLD_ITALIC,
  FONT_ITALIC,
  FONT_SMALL,
  FONT_SMALL_ITALIC,
  FONT_TITLE,
  keyedStyle,
  RULE_BOTTOM,
  RULE_SPAN,
  RULE_TOP,
} from './styles.js';

/** The mark after a corrected figure (the PDF's mark, after a space); the legend under the table explains it. */
const MARK_SUFFIX = ` ${CORRECTION_MARK}`;

const STUB_COLUMN = 1;
const FIRST_DATA_COLUMN = 2;
const MIN_TEXT_WIDTH = 90;
const EXTRA_COLUMN_WIDTH = 10;
/** Tables longer than this get a line under the title saying where the notes are. */
const LONG_TABLE_ROWS = 40;
/** The total width of the data columns up to which they are all made as wide as the widest. */
const EVEN_COLUMNS_BUDGET = 160;
/** Excel's indent step in width units (about three spaces). */
const INDENT_WIDTH = 2;

/** What a table sheet needs besides its model. */
export interface TableSheetInput {
  readonly model: TableModel;
  /** The corrected cells this table shows. */
  readonly marks: CellMarks;
  /** The date of the erratum, when there is one (YYYY-MM-DD). */
  readonly erratumDate: string | undefined;
  /** The text in the left of the printed page footer. */
  readonly footer: string;
  /**
   * Titles of the row dimensions, outer first. With two or more, the row-label column's header
   * names them, indented as their rows are, so that a group "Totaal" can be told from another.
   */
  readonly rowDimensionTitles?: readonly string[];
  /** Waited on between commits of a long table (see CatchUp). */
  readonly catchUp?: CatchUp;
}

/** Where the parts of a table sheet ended up: for the contents and for tests. */
export interface TableSheetLayout {
  readonly headerStart: number;
  /** The unit row: the last row of the frozen header. */
  readonly unitRow: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly lastColumn: number;
}

/** The title in A1: "Kerncijfers 1) per Veilig Thuis-regio, 1e halfjaar van 2019*". */
export function tableHeading(model: TableModel): string {
  return `${toPlainTitle(model.title)}, ${model.periodTitle}${model.statusMark}`;
}

/** Which of the four label fonts a row has (labelFont), as a number for cheap keys. */
function fontSlot(row: RowModel): number {
  return (row.kind === 'group' ? 2 : 0) + (row.total ? 1 : 0);
}

function labelFont(row: Pick<RowModel, 'kind' | 'total'>): Partial<Font> {
  if (row.kind === 'group') return row.total ? FONT_BOLD_ITALIC : FONT_ITALIC;
  return row.total ? FONT_BOLD : FONT;
}

function measureTitle(measure: Measure, all: readonly Measure[]): string {
  const parent = measure.parent ? all.find((m) => m.key === measure.parent) : undefined;
  return stripFootnoteMarkers(parent ? `${parent.title}, ${measure.title}` : measure.title).trim();
}

/** The row-label column's header: the model's, or the row dimensions one per line, indented as their rows. */
function stubHeaderText(model: TableModel, rowDimensionTitles: readonly string[]): string {
  if (model.stubHeader !== '') return toPlainTitle(model.stubHeader);
  if (rowDimensionTitles.length < 2) return '';
  return rowDimensionTitles.map((title, depth) => `${'\u00a0'.repeat(depth * 3)}${toPlainTitle(title)}`).join('\n');
}

/** Column widths (stub first) that fit labels, figures and the words of the header; and the number of body rows. */
function columnWidths(model: TableModel, marks: CellMarks, stubText: string): { widths: number[]; rowCount: number } {
  let stub = 12;
  for (const line of stubText.split('\n')) stub = Math.max(stub, textWidthInExcelUnits(line.length, FONT_ITALIC) + 2);
  // The printed length grows with the absolute value: format only the largest one of a column.
  const { count: rowCount, largest, negative, labels } = summarizeRows(model);
  for (const row of labels) {
    stub = Math.max(stub, textWidthInExcelUnits(toPlainTitle(row.label).length, labelFont(row)) + row.depth * INDENT_WIDTH + 2);
  }
  const markedColumns = new Set([...marks.keys()].map((k) => Number(k.split(':')[1])));
  const natural = model.columns.map((column, ci) => {
    let width = 8;
    const most = largest[ci] as number;
    if (most >= 0) width = Math.max(width, formatNumber(most, column.decimals).length + (negative[ci] ? 1 : 0) + 2);
    if (markedColumns.has(ci)) width += MARK_SUFFIX.length;
    if (!model.commonUnit) width = Math.max(width, column.unit.length + 1);
    for (const headerRow of model.headerRows) {
      for (const h of headerRow) {
        if (h.colSpan === 1 && h.column === ci) width = Math.max(width, textWidthInExcelUnits(longestWord(toPlainTitle(h.text))) + 2);
      }
    }
    return Math.min(width, 20);
  });
  // Equal columns read best; when that would make the table too wide, narrow ones are widened a little.
  const widest = Math.max(0, ...natural);
  const widths =
    natural.length * widest <= EVEN_COLUMNS_BUDGET ? natural.map(() => widest) : natural.map((w) => Math.max(w, Math.ceil(widest * 0.6)));
  // A header that spans columns must at least fit its longest word.
  for (const headerRow of model.headerRows) {
    for (const h of headerRow) {
      if (h.colSpan < 2) continue;
      const need = textWidthInExcelUnits(longestWord(toPlainTitle(h.text))) + 2;
      const have = widths.slice(h.column, h.column + h.colSpan).reduce((a, b) => a + b, 0);
      if (have < need) {
        const extra = Math.ceil((need - have) / h.colSpan);
        for (let c = h.column; c < h.column + h.colSpan; c++) widths[c] = (widths[c] ?? 8) + extra;
      }
    }
  }
  return { widths: [Math.min(stub, 55), ...widths], rowCount };
}

/** Heights of the header rows: each fits its wrapped texts; a cell spanning rows may stretch the last. */
function headerHeights(model: TableModel, widths: readonly number[]): number[] {
  const lines = model.headerRows.map(() => 1);
  const spanWidth = (column: number, colSpan: number): number =>
    widths.slice(FIRST_DATA_COLUMN - 1 + column, FIRST_DATA_COLUMN - 1 + column + colSpan).reduce((a, b) => a + b, 0);
  model.headerRows.forEach((row, ri) => {
    for (const h of row) {
      if (h.rowSpan !== 1) continue;
      lines[ri] = Math.max(lines[ri] ?? 1, countWrappedLines(toPlainTitle(h.text), charsPerWidth(spanWidth(h.column, h.colSpan) - 1)));
    }
  });
  const heights = lines.map((n) => rowHeightFor(n));
  model.headerRows.forEach((row, ri) => {
    for (const h of row) {
      if (h.rowSpan === 1) continue;
      const needed = rowHeightFor(countWrappedLines(toPlainTitle(h.text), charsPerWidth(spanWidth(h.column, h.colSpan) - 1)));
      const last = Math.min(ri + h.rowSpan, heights.length) - 1;
      const have = heights.slice(ri, last + 1).reduce((a, b) => a + b, 0);
      if (have < needed) heights[last] = (heights[last] ?? 0) + needed - have;
    }
  });
  return heights;
}

/** How a figure cell looks besides its value. */
interface FigureLook {
  readonly font: Partial<Font>;
  readonly marked: boolean;
  readonly padded: boolean;
  readonly last: boolean;
}

/** The number format of a figure: a number's by its digit groups, or a symbol's. */
function figureNumFmt(cell: Cell, decimals: number, look: FigureLook): string | undefined {
  const mark = look.marked ? { marker: MARK_SUFFIX } : look.padded ? { pad: MARK_SUFFIX } : {};
  // A symbol stays text, apart from the figures; "" is the blank of "cannot occur".
  return cell.kind === 'value' ? figureFormat(cell.value, decimals, mark) : symbolFormat(mark);
}

/** The shared style of a figure cell. Figures share a handful of looks: keyed cheaply instead of serialising each cell's style. */
function figureStyle(ws: Worksheet, cell: Cell, decimals: number, look: FigureLook): Partial<Style> {
  const numFmt = figureNumFmt(cell, decimals, look);
  const key = `figure|${idOf(look.font)}|${numFmt ?? ''}|${look.marked ? 1 : 0}|${look.last ? 1 : 0}`;
  return keyedStyle(ws, key, () => {
    const style: CellStyle = { font: look.font, alignment: { horizontal: 'right' } };
    if (numFmt) style.numFmt = numFmt;
    if (look.marked) style.fill = FILL_CHANGED;
    if (look.last) style.border = RULE_BOTTOM;
    return style;
  });
}

/**
 * The digit groups of a figure's number format (figureFormat: by the digits of its integer part),
 * worked out without making the digits; -1 where only figureFormat knows (huge or not finite).
 */
function digitGroups(value: number): number {
  const n = Math.floor(Math.abs(value));
  if (!(n < 1e15)) return -1;
  return n < 1e3 ? 0 : n < 1e6 ? 1 : n < 1e9 ? 2 : n < 1e12 ? 3 : 4;
}

/**
 * Writes the explanation of a table from row `r` on: its description ("Tabeltoelichting") and the
 * definitions of its measures ("Toelichting onderwerpen"). Returns the next row.
 */
export function writeTableExplanation(ws: Worksheet, row: number, model: TableModel, area: TextArea): number {
  let r = row;
  const paragraphs = toParagraphs(model.description);
  if (paragraphs.length > 0) {
    r++;
    setText(ws.getCell(r++, 1), 'Tabeltoelichting', FONT_BOLD);
    for (const p of paragraphs) r = writeParagraph(ws, r, p, area);
  }
  const measures = [...new Map(model.columns.map((c) => [c.measure.key, c.measure])).values()];
  const defined = measures.filter((m) => m.description !== undefined);
  if (defined.length > 0) {
    r++;
    setText(ws.getCell(r++, 1), 'Toelichting onderwerpen', FONT_BOLD);
    for (const m of defined) {
      r = writeParagraph(ws, r, measureTitle(m, measures), area, FONT_ITALIC);
      r = writeParagraph(ws, r, m.description ?? '', area);
    }
  }
  return r;
}

/**
 * Writes one table as a reader sees it: title with period and status, the header rows with the
 * model's spans merged, the unit row, the body (groups as label rows, depth as indent, totals in
 * bold, figures as numbers, symbols as text), then source, footnotes, notes and the table's
 * explanation. Freezes the header and the row labels and sets up landscape printing.
 */
export async function writeTableSheet(open: OpenSheet, input: TableSheetInput): Promise<TableSheetLayout> {
  const { model, marks } = input;
  const stubText = stubHeaderText(model, input.rowDimensionTitles ?? []);
  const { widths, rowCount } = columnWidths(model, marks, stubText);
  const lastColumn = FIRST_DATA_COLUMN + model.columns.length - 1;
  const preface: string[] = [];
  if (model.illustrative) preface.push(ILLUSTRATIVE_NOTE);
  const long = rowCount > LONG_TABLE_ROWS;
  if (long) preface.push('');
  const headerStart = 2 + preface.length + 1;
  const unitRow = headerStart + model.headerRows.length;
  const bodyStart = unitRow + 1;
  const bodyEnd = bodyStart + rowCount - 1;
  if (long) preface[preface.length - 1] = `Bron, voetnoten en tabeltoelichting staan onder de tabel, vanaf rij ${bodyEnd + 2}.`;

  const ws = open({
    views: [{ state: 'frozen', xSplit: 1, ySplit: unitRow, topLeftCell: `B${bodyStart}`, activeCell: 'A1', showGridLines: false }],
    pageSetup: {
      ...landscapePages(`${headerStart}:${unitRow}`),
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&L${input.footer.replace(/&/g, '&&')}&RPagina &P van &N` },
  });
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  let textLast = lastColumn;
  let areaWidth = widths.reduce((a, b) => a + b, 0);
  while (areaWidth < MIN_TEXT_WIDTH) {
    textLast++;
    ws.getColumn(textLast).width = EXTRA_COLUMN_WIDTH;
    areaWidth += EXTRA_COLUMN_WIDTH;
  }
  const area: TextArea = { firstColumn: STUB_COLUMN, lastColumn: textLast, width: areaWidth };

  // Title and the lines under it.
  setText(ws.getCell(1, 1), tableHeading(model), FONT_TITLE);
  preface.forEach((line, i) => setText(ws.getCell(2 + i, 1), line, FONT_ITALIC));

  // Header rows, merged as the model spans them; the rules are drawn once all cells are placed.
  const headerLooks = new Map<string, CellStyle>();
  const spanRules = new Set<string>();
  const heights = headerHeights(model, widths);
  model.headerRows.forEach((row, ri) => {
    const r = headerStart + ri;
    ws.getRow(r).height = heights[ri] ?? rowHeightFor(1);
    for (const h of row) {
      const left = FIRST_DATA_COLUMN + h.column;
      const right = left + h.colSpan - 1;
      const bottom = r + h.rowSpan - 1;
      ws.getCell(r, left).value = toCellText(toPlainTitle(h.text));
      // Leaf headers stand right above their figures; a header over several columns is centred.
      const horizontal = h.colSpan > 1 ? 'center' : 'right';
      headerLooks.set(`${r}:${left}`, { font: FONT, alignment: { wrapText: true, vertical: 'bottom', horizontal } });
      if (right > left || bottom > r) ws.mergeCells(r, left, bottom, right);
      if (h.colSpan > 1) for (let c = left; c <= right; c++) spanRules.add(`${bottom}:${c}`);
    }
  });
  if (stubText !== '') {
    const stubRow = Math.max(headerStart, unitRow - 1);
    ws.getCell(stubRow, STUB_COLUMN).value = toCellText(stubText);
    headerLooks.set(`${stubRow}:${STUB_COLUMN}`, { font: FONT_ITALIC, alignment: { vertical: 'bottom', wrapText: true } });
    const lines = countWrappedLines(stubText, charsPerWidth(widths[0] ?? 12, FONT_ITALIC));
    const row = ws.getRow(stubRow);
    row.height = Math.max(row.height ?? 0, rowHeightFor(lines));
  }
  if (model.commonUnit !== undefined) {
    ws.getCell(unitRow, FIRST_DATA_COLUMN).value = toCellText(model.commonUnit);
    headerLooks.set(`${unitRow}:${FIRST_DATA_COLUMN}`, { font: FONT_ITALIC });
  } else {
    model.columns.forEach((column, ci) => {
      ws.getCell(unitRow, FIRST_DATA_COLUMN + ci).value = toCellText(column.unit);
      headerLooks.set(`${unitRow}:${FIRST_DATA_COLUMN + ci}`, { font: FONT_ITALIC, alignment: { horizontal: 'right' } });
    });
  }
  for (let r = headerStart; r <= unitRow; r++) {
    for (let c = STUB_COLUMN; c <= lastColumn; c++) {
      const border: Partial<Borders> = {
        ...(r === headerStart ? RULE_TOP : {}),
        ...(spanRules.has(`${r}:${c}`) ? RULE_SPAN : {}),
        ...(r === unitRow ? RULE_BOTTOM : {}),
      };
      const look = headerLooks.get(`${r}:${c}`) ?? { font: FONT };
      applyStyle(ws.getCell(r, c), Object.keys(border).length > 0 ? { ...look, border } : look);
    }
  }

  // Body. A long table repeats a few labels and looks: each is worked out once, not per row or cell.
  const markedColumns = new Set([...marks.keys()].map((k) => Number(k.split(':')[1])));
  const erratumNote = (change: ChangedCell): string =>
    `Gecorrigeerd op ${formatDutchDate(input.erratumDate ?? '')}: was ${formatCell(change.oldValue, change.decimals)}`;
  const plainLabels = new Map<string, { plain: string; text: string }>();
  const labelStyles = new Map<number, Partial<Style>>();
  const figureStyles = new Map<number, Partial<Style>>();
  const decimals = model.columns.map((c) => c.decimals);
  const stubWidth = widths[0] ?? 12;
  let ri = -1;
  for (const row of eachRow(model)) {
    ri++;
    const r = bodyStart + ri;
    if (ri > 0 && ri % COMMIT_EVERY === 0) {
      commitRows(ws, r - 1);
      const behind = input.catchUp?.();
      if (behind) await behind;
    }
    const last = r === bodyEnd;
    const font = labelFont(row);
    let label = plainLabels.get(row.label);
    if (!label) {
      const plain = toPlainTitle(row.label);
      label = { plain, text: toCellText(plain) };
      plainLabels.set(row.label, label);
    }
    const room = stubWidth - row.depth * INDENT_WIDTH - 1;
    const wrap = textWidthInExcelUnits(label.plain.length, font) > room;
    const sheetRow = ws.getRow(r);
    const labelCell = sheetRow.getCell(STUB_COLUMN);
    labelCell.value = label.text;
    const labelKey = ((row.depth * 2 + (wrap ? 1 : 0)) * 2 + (last ? 1 : 0)) * 4 + fontSlot(row);
    let labelStyle = labelStyles.get(labelKey);
    if (!labelStyle) {
      const depth = row.depth;
      labelStyle = keyedStyle(ws, `label|${idOf(font)}|${depth}|${wrap ? 1 : 0}|${last ? 1 : 0}`, () => {
        const alignment: Partial<Alignment> = {
          horizontal: 'left',
          ...(depth > 0 ? { indent: depth } : {}),
          ...(wrap ? { wrapText: true } : {}),
        };
        return { font, alignment, ...(last ? { border: RULE_BOTTOM } : {}) };
      });
      labelStyles.set(labelKey, labelStyle);
    }
    labelCell.style = labelStyle;
    if (wrap) sheetRow.height = rowHeightFor(countWrappedLines(label.plain, charsPerWidth(room, font)));
    if (row.kind !== 'data') continue;
    const { cells } = row;
    const count = Math.min(cells.length, decimals.length);
    for (let ci = 0; ci < count; ci++) {
      const cell = cells[ci] as Cell;
      const change = marks.size > 0 ? marks.get(markKey(ri, ci)) : undefined;
      const target = sheetRow.getCell(FIRST_DATA_COLUMN + ci);
      const look: FigureLook = {
        font,
        marked: change !== undefined && input.erratumDate !== undefined,
        padded: markedColumns.has(ci),
        last,
      };
      target.value = cell.kind === 'value' ? cell.value : cell.symbol;
      const groups = cell.kind === 'value' ? digitGroups(cell.value) : 0;
      const places = decimals[ci] as number;
      if (groups < 0 || !Number.isInteger(places) || places < 0) target.style = figureStyle(ws, cell, places, look);
      else {
        let key = places * 16 + groups;
        key = key * 2 + (cell.kind === 'value' ? 0 : 1);
        key = key * 2 + (look.marked ? 1 : 0);
        key = key * 2 + (look.padded ? 1 : 0);
        key = (key * 2 + (last ? 1 : 0)) * 4 + fontSlot(row);
        let style = figureStyles.get(key);
        if (!style) {
          style = figureStyle(ws, cell, places, look);
          figureStyles.set(key, style);
        }
        target.style = style;
      }
      if (change && input.erratumDate) target.note = erratumNote(change);
    }
  }

  // Under the table: source, footnotes, notes, explanation.
  let r = bodyEnd + 1;
  r = writeParagraph(ws, r, `Bron: ${model.source}`, area, FONT_SMALL);
  for (const note of model.footnotes) r = writeParagraph(ws, r, `${note.ref}) ${toPlainTitle(note.text)}`, area, FONT_SMALL);
  if (model.illustrative) r = writeParagraph(ws, r, ILLUSTRATIVE_NOTE, area, FONT_SMALL_ITALIC);
  if (marks.size > 0 && input.erratumDate) {
    const legend = `${CORRECTION_MARK} Gecorrigeerd cijfer (${formatDutchDate(input.erratumDate)}). De notitie bij het cijfer en het blad Erratum geven de oorspronkelijke waarde.`;
    r = writeParagraph(ws, r, legend, area, FONT_SMALL);
  }
  // Printed: the table with its source, notes and legend. The explanation below is on screen here
  // and printed from the Toelichting sheet, so no page holds only notes under repeated headers.
  // exceljs writes "$" before each part: "A$1:M$36" becomes the absolute "$A$1:$M$36" LibreOffice reads.
  ws.pageSetup.printArea = `A$1:${ws.getColumn(Math.max(lastColumn, area.lastColumn)).letter}$${r - 1}`;
  writeTableExplanation(ws, r, model, area);

  return { headerStart, unitRow, bodyStart, bodyEnd, lastColumn };
}
