import { type DataTable, stripFootnoteMarkers } from '../../model/dataset.js';
import type { TableModel } from '../tables/table-model.js';
import { countWrappedLines, toCellText } from './cell-text.js';
import { plainFormat } from './number-formats.js';
import type { SheetTable } from './package-writer.js';
import { COMMIT_EVERY, charsPerWidth, commitRows, landscapePages, type OpenSheet, rowHeightFor } from './sheet-writing.js';
import { applyStyle, type CellStyle, FONT, FONT_BOLD } from './styles.js';

/** What the machine-readable sheet of a table needs. */
export interface DataSheetInput {
  readonly model: TableModel;
  /** The dataset table of the model, for dimension titles and code lists. */
  readonly table: DataTable | undefined;
  /** The Excel table's name: unique in the workbook, letters, digits and "_" only. */
  readonly tableName: string;
}

/** One column of the machine-readable table. */
interface DataColumn {
  readonly name: string;
  readonly width: number;
  readonly decimals?: number;
  readonly value: (rowIndex: number) => string | number;
}

function plain(text: string): string {
  return stripFootnoteMarkers(text).replace(/\s+/g, ' ').trim();
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const base = name === '' ? 'Kolom' : name;
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * The columns of the machine-readable form: a code title per row dimension, the period when it
 * is fixed, a figure per table column (title and unit in the header), then the codes, so the data
 * can be joined with StatLine; and the number of rows.
 */
function dataColumns(model: TableModel, table: DataTable | undefined): { columns: DataColumn[]; count: number } {
  const rows = model.rows.filter((r) => r.kind === 'data');
  const rowDims = Object.keys(rows[0]?.codes ?? {});
  const columnDims = new Set(model.columns.flatMap((c) => Object.keys(c.codes)));
  const dimension = (key: string) => table?.dimensions.find((d) => d.key === key);
  const titleOf = (key: string) => plain(dimension(key)?.title ?? key);
  // Code titles by dimension and code, made once: a long table asks for them on every row.
  const codeTitles = new Map<string, Map<string, string>>();
  const codeTitle = (key: string, code: string): string => {
    let titles = codeTitles.get(key);
    if (!titles) {
      titles = new Map((dimension(key)?.codes ?? []).map((c) => [c.key, plain(c.title)]));
      codeTitles.set(key, titles);
    }
    const title = titles.get(code) ?? plain(code);
    // A period in the rows carries its own status mark, as in the table sheet.
    return dimension(key)?.kind === 'time' ? `${title}${model.periodMarks[code] ?? ''}` : title;
  };
  const periods = (table?.dimensions ?? []).filter((d) => d.kind === 'time' && !rowDims.includes(d.key) && !columnDims.has(d.key));

  const columns: DataColumn[] = [];
  for (const key of rowDims) {
    let width = titleOf(key).length;
    for (const r of rows) width = Math.max(width, codeTitle(key, r.codes[key] ?? '').length);
    columns.push({ name: titleOf(key), width: Math.min(width + 2, 50), value: (i) => codeTitle(key, rows[i]?.codes[key] ?? '') });
  }
  for (const dim of periods) {
    const title = `${model.periodTitle}${model.statusMark}`;
    columns.push({ name: plain(dim.title), width: Math.max(dim.title.length, title.length) + 2, value: () => title });
  }
  model.columns.forEach((column, ci) => {
    const name = `${plain(column.flatTitle)} (${column.unit})`;
    columns.push({
      name,
      width: Math.max(12, Math.min(24, Math.ceil(name.length / 2) + 2)),
      decimals: column.decimals,
      value: (i) => {
        const cell = rows[i]?.cells[ci];
        if (!cell) return '.';
        return cell.kind === 'value' ? cell.value : cell.symbol;
      },
    });
  });
  for (const key of rowDims) {
    columns.push({ name: `${titleOf(key)} (code)`, width: Math.max(12, titleOf(key).length + 9), value: (i) => rows[i]?.codes[key] ?? '' });
  }
  for (const dim of periods) {
    const code =
      dim.codes.find((c) => c.title === model.periodTitle)?.key ?? (dim.codes.length === 1 ? dim.codes[0]?.key : undefined) ?? '';
    columns.push({ name: `${plain(dim.title)} (code)`, width: Math.max(12, dim.title.length + 9), value: () => code });
  }
  return { columns, count: rows.length };
}

/**
 * Writes the machine-readable form of a table: one Excel table from A1 with a single header row,
 * no merged cells, one row per data row, figures as numbers and symbols as text. Rows are written
 * out as they are made. Returns the Excel table for the package (exceljs's streaming writer makes
 * none itself).
 */
export function writeDataSheet(open: OpenSheet, input: DataSheetInput): SheetTable {
  const { columns, count } = dataColumns(input.model, input.table);
  const names = uniqueNames(columns.map((c) => toCellText(c.name)));
  const ws = open({
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    pageSetup: landscapePages('1:1'),
  });
  columns.forEach((c, ci) => {
    ws.getColumn(ci + 1).width = c.width;
  });

  const header = ws.getRow(1);
  header.height = rowHeightFor(Math.max(...columns.map((c, ci) => countWrappedLines(names[ci] ?? '', charsPerWidth(c.width - 1)))));
  const headerStyle: CellStyle = { font: FONT_BOLD, alignment: { wrapText: true, vertical: 'bottom' } };
  names.forEach((name, ci) => {
    const cell = header.getCell(ci + 1);
    cell.value = name;
    applyStyle(cell, headerStyle);
  });
  const text: CellStyle = { font: FONT };
  const symbols: CellStyle = { font: FONT, alignment: { horizontal: 'right' } };
  const numbers = columns.map((c): CellStyle => ({ font: FONT, numFmt: plainFormat(c.decimals ?? 0) }));
  for (let i = 0; i < count; i++) {
    const row = ws.getRow(i + 2);
    columns.forEach((c, ci) => {
      const value = c.value(i);
      const cell = row.getCell(ci + 1);
      if (typeof value === 'number') {
        cell.value = value;
        applyStyle(cell, numbers[ci] as CellStyle);
      } else {
        cell.value = toCellText(value);
        applyStyle(cell, c.decimals === undefined ? text : symbols);
      }
    });
    if (i % COMMIT_EVERY === COMMIT_EVERY - 1) commitRows(ws, i + 2);
  }
  return {
    name: input.tableName,
    ref: `A1:${columnLetters(columns.length)}${count + 1}`,
    columns: names,
    style: 'TableStyleLight1',
  };
}

/** "A", "B", …, "Z", "AA": the letters of a column number (1-based). */
export function columnLetters(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** True when a model shows every figure of its table: all measures, every dimension that varies. */
function showsWholeTable(model: TableModel, table: DataTable): boolean {
  const measures = new Set(model.columns.map((c) => c.measure.key));
  if (table.measures.some((m) => !measures.has(m.key))) return false;
  const shown = new Set(model.columns.flatMap((c) => Object.keys(c.codes)));
  const wanted = table.dimensions.filter((d) => d.codes.length > 1 && !shown.has(d.key));
  // Rows of one model share their dimensions; a long table stops looking at the first data rows.
  for (const row of model.rows) {
    for (const key in row.codes) shown.add(key);
    if (wanted.every((d) => shown.has(d.key))) return true;
  }
  return wanted.length === 0;
}

/**
 * The models that get a machine-readable sheet: per dataset table the first model that shows the
 * whole table (its figures once, in long form), or, when none does, every model of that table.
 */
export function modelsWithDataSheet(tables: readonly DataTable[], models: readonly TableModel[]): number[] {
  const chosen: number[] = [];
  const byTable = new Map<string, number[]>();
  models.forEach((model, i) => {
    const list = byTable.get(model.tableId) ?? [];
    list.push(i);
    byTable.set(model.tableId, list);
  });
  for (const [tableId, indexes] of byTable) {
    const table = tables.find((t) => t.id === tableId);
    const whole = table ? indexes.find((i) => showsWholeTable(models[i] as TableModel, table)) : undefined;
    chosen.push(...(whole !== undefined ? [whole] : indexes));
  }
  return chosen.sort((a, b) => a - b);
}
