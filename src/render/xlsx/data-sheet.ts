import type { Style } from 'exceljs';
import { type DataTable, stripFootnoteMarkers } from '../../model/dataset.js';
import { eachRow, type RowModel, summarizeRows, type TableModel } from '../tables/table-model.js';
import { countWrappedLines, toCellText } from './cell-text.js';
import { plainFormat } from './number-formats.js';
import type { SheetTable } from './package-writer.js';
import { COMMIT_EVERY, type CatchUp, charsPerWidth, commitRows, landscapePages, type OpenSheet, rowHeightFor } from './sheet-writing.js';
import { applyStyle, type CellStyle, FONT, FONT_BOLD, sharedStyle } from './styles.js';

/** What the machine-readable sheet of a table needs. */
export interface DataSheetInput {
  readonly model: TableModel;
  /** The dataset table of the model, for dimension titles and code lists. */
  readonly table: DataTable | undefined;
  /** The Excel table's name: unique in the workbook, letters, digits and "_" only. */
  readonly tableName: string;
  /** Waited on between commits (see CatchUp). */
  readonly catchUp?: CatchUp;
}

/** One column of the machine-readable table. */
interface DataColumn {
  readonly name: string;
  readonly width: number;
  readonly decimals?: number;
  /** The value of a data row in this column: a figure, or text as it goes into the cell (toCellText). */
  readonly value: (row: RowModel) => string | number;
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

/** The first data row of a model: its codes name the row dimensions. */
function firstDataRow(model: TableModel): RowModel | undefined {
  for (const row of eachRow(model)) if (row.kind === 'data') return row;
  return undefined;
}

/**
 * The columns of the machine-readable form: a code title per row dimension, the period when it
 * is fixed, a figure per table column (title and unit in the header), then the codes, so the data
 * can be joined with StatLine. Goes over the rows once, for the widths of the code titles.
 */
function dataColumns(model: TableModel, table: DataTable | undefined): DataColumn[] {
  const rowDims = Object.keys(firstDataRow(model)?.codes ?? {});
  const columnDims = new Set(model.columns.flatMap((c) => Object.keys(c.codes)));
  const dimension = (key: string) => table?.dimensions.find((d) => d.key === key);
  const titleOf = (key: string) => plain(dimension(key)?.title ?? key);
  // Code titles (as cell text) by dimension and code, made once: a long table asks for them on every row.
  const codeTitles = rowDims.map((key) => {
    const dim = dimension(key);
    const titles = new Map((dim?.codes ?? []).map((c) => [c.key, plain(c.title)]));
    // Per code: the title's length (for the width) and its cell text.
    const made = new Map<string, { length: number; text: string }>();
    return (code: string): { length: number; text: string } => {
      let title = made.get(code);
      if (title === undefined) {
        const base = titles.get(code) ?? plain(code);
        // A period in the rows carries its own status mark, as in the table sheet.
        const full = dim?.kind === 'time' ? `${base}${model.periodMarks[code] ?? ''}` : base;
        title = { length: full.length, text: toCellText(full) };
        made.set(code, title);
      }
      return title;
    };
  });
  const codeTexts = rowDims.map(() => new Map<string, string>());
  const codeText = (di: number, code: string): string => {
    const texts = codeTexts[di] as Map<string, string>;
    let text = texts.get(code);
    if (text === undefined) {
      text = toCellText(code);
      texts.set(code, text);
    }
    return text;
  };
  const periods = (table?.dimensions ?? []).filter((d) => d.kind === 'time' && !rowDims.includes(d.key) && !columnDims.has(d.key));

  const { dataCodes } = summarizeRows(model);
  const widths = rowDims.map((key, di) => {
    let width = titleOf(key).length;
    for (const code of dataCodes.get(key) ?? []) width = Math.max(width, (codeTitles[di] as (typeof codeTitles)[number])(code).length);
    return width;
  });

  const columns: DataColumn[] = [];
  rowDims.forEach((key, di) => {
    const title = codeTitles[di] as (typeof codeTitles)[number];
    columns.push({ name: titleOf(key), width: Math.min((widths[di] as number) + 2, 50), value: (row) => title(row.codes[key] ?? '').text });
  });
  for (const dim of periods) {
    const title = `${model.periodTitle}${model.statusMark}`;
    const text = toCellText(title);
    columns.push({ name: plain(dim.title), width: Math.max(dim.title.length, title.length) + 2, value: () => text });
  }
  model.columns.forEach((column, ci) => {
    const name = `${plain(column.flatTitle)} (${column.unit})`;
    columns.push({
      name,
      width: Math.max(12, Math.min(24, Math.ceil(name.length / 2) + 2)),
      decimals: column.decimals,
      value: (row) => {
        const cell = row.cells[ci];
        if (!cell) return '.';
        return cell.kind === 'value' ? cell.value : toCellText(cell.symbol);
      },
    });
  });
  rowDims.forEach((key, di) => {
    columns.push({
      name: `${titleOf(key)} (code)`,
      width: Math.max(12, titleOf(key).length + 9),
      value: (row) => codeText(di, row.codes[key] ?? ''),
    });
  });
  for (const dim of periods) {
    const code = toCellText(
      dim.codes.find((c) => c.title === model.periodTitle)?.key ?? (dim.codes.length === 1 ? dim.codes[0]?.key : undefined) ?? '',
    );
    columns.push({ name: `${plain(dim.title)} (code)`, width: Math.max(12, dim.title.length + 9), value: () => code });
  }
  return columns;
}

/**
 * Writes the machine-readable form of a table: one Excel table from A1 with a single header row,
 * no merged cells, one row per data row, figures as numbers and symbols as text. Rows are written
 * out as they are made. Returns the Excel table for the package (exceljs's streaming writer makes
 * none itself).
 */
export async function writeDataSheet(open: OpenSheet, input: DataSheetInput): Promise<SheetTable> {
  const columns = dataColumns(input.model, input.table);
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
  // The looks of the cells, shared once here rather than looked up for every cell.
  const text = sharedStyle(ws, { font: FONT });
  const symbols = sharedStyle(ws, { font: FONT, alignment: { horizontal: 'right' } });
  const numbers = columns.map((c) => sharedStyle(ws, { font: FONT, numFmt: plainFormat(c.decimals ?? 0) }));
  const textLooks = columns.map((c) => (c.decimals === undefined ? text : symbols));
  const values = columns.map((c) => c.value);
  let count = 0;
  for (const data of eachRow(input.model)) {
    if (data.kind !== 'data') continue;
    count++;
    const row = ws.getRow(count + 1);
    for (let ci = 0; ci < values.length; ci++) {
      const value = (values[ci] as DataColumn['value'])(data);
      const cell = row.getCell(ci + 1);
      cell.value = value;
      cell.style = (typeof value === 'number' ? numbers[ci] : textLooks[ci]) as Partial<Style>;
    }
    if (count % COMMIT_EVERY === COMMIT_EVERY - 1) {
      commitRows(ws, count + 1);
      const behind = input.catchUp?.();
      if (behind) await behind;
    }
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
  for (const row of eachRow(model)) {
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
