import { statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Cell, Dataset } from '../../src/model/dataset.js';

/**
 * The floor of the scale benchmark: the two sheets that make up almost all of a big cube's
 * tabellenbijlage, written by plain exceljs code straight from the parsed dataset, with nothing of
 * ours in between. "Tabel": the cube in long form as a reader sees it (a group heading whenever an
 * outer code changes, a label and one figure per measure, shared styles, a format per digit group).
 * "Data": one row per dataset row with the code titles, the figures and the codes. In memory the
 * data sheet is an Excel table as ours; streaming cannot write tables, so there it gets an autofilter.
 */

/** How the reference workbook is written. */
export type ReferenceMode = { readonly kind: 'memory' } | { readonly kind: 'stream'; readonly file: string };

/** What was written. */
export interface ReferenceResult {
  readonly cells: number;
  readonly bytes: number;
}

const FONT = { name: 'Arial', size: 10 };
const FONT_BOLD = { name: 'Arial', size: 10, bold: true };

function figureFormat(value: number): string {
  const groups = Math.floor((String(Math.floor(Math.abs(value))).length - 1) / 3);
  return groups === 0 ? '0' : `#${'\\ ###'.repeat(groups - 1)}\\ ##0`;
}

/** Shared style objects, one per look (exceljs writes a shared object once). */
function styleCache(): (key: string, make: () => Partial<ExcelJS.Style>) => Partial<ExcelJS.Style> {
  const styles = new Map<string, Partial<ExcelJS.Style>>();
  return (key, make) => {
    let style = styles.get(key);
    if (!style) {
      style = make();
      styles.set(key, style);
    }
    return style;
  };
}

type SheetLike = Pick<ExcelJS.Worksheet, 'getColumn' | 'getRow'> & { addRow(values: unknown[]): ExcelJS.Row };

/** Writes the reference workbook of the dataset's first table. */
export async function writeReferenceWorkbook(dataset: Dataset, mode: ReferenceMode): Promise<ReferenceResult> {
  const table = dataset.tables[0];
  if (!table) throw new Error('the dataset has no table');
  const workbook =
    mode.kind === 'memory'
      ? new ExcelJS.Workbook()
      : new ExcelJS.stream.xlsx.WorkbookWriter({ filename: mode.file, useStyles: true, useSharedStrings: true });
  workbook.creator = 'CBS';
  workbook.created = new Date(`${dataset.publication.publicationDate}T00:00:00Z`);
  workbook.modified = workbook.created;
  const style = styleCache();
  const commit = (row: ExcelJS.Row): void => {
    if (mode.kind === 'stream') row.commit();
  };
  let cells = 0;

  // "Tabel": label column and one column per measure; the outer dimensions as group headings.
  const dims = table.dimensions;
  const rowDims = dims.map((d, i) => ({ d, i })).filter(({ d }) => d.codes.length > 1);
  const titles = dims.map((d) => new Map(d.codes.map((c) => [c.key, c.title])));
  const totals = dims.map((d) => new Set(d.codes.filter((c) => c.total === true || c.level === 'nederland').map((c) => c.key)));
  const longSheet = workbook.addWorksheet('Tabel', { views: [{ state: 'frozen', xSplit: 1, ySplit: 3 }] }) as unknown as SheetLike;
  longSheet.getColumn(1).width = 40;
  table.measures.forEach((_, mi) => {
    longSheet.getColumn(mi + 2).width = 14;
  });
  const title = longSheet.addRow([table.title]);
  title.getCell(1).style = style('title', () => ({ font: { ...FONT_BOLD, size: 12 } }));
  commit(title);
  const header = longSheet.addRow(['', ...table.measures.map((m) => m.title)]);
  header.eachCell((c) => {
    c.style = style('header', () => ({ font: FONT, alignment: { wrapText: true, horizontal: 'right' } }));
  });
  commit(header);
  const units = longSheet.addRow(['', ...table.measures.map((m) => m.unit)]);
  commit(units);
  cells += 1 + 2 * (table.measures.length + 1);
  const previous: (string | undefined)[] = [];
  const writeFigure = (target: ExcelJS.Cell, cell: Cell | undefined, bold: boolean): void => {
    if (cell?.kind === 'value') {
      target.value = cell.value;
      const format = figureFormat(cell.value);
      target.style = style(`f${bold}${format}`, () => ({ font: bold ? FONT_BOLD : FONT, numFmt: format }));
    } else {
      target.value = cell?.symbol ?? '.';
      target.style = style(`s${bold}`, () => ({ font: bold ? FONT_BOLD : FONT, alignment: { horizontal: 'right' } }));
    }
  };
  for (const row of table.rows) {
    // A group heading for every outer code that changes.
    for (let level = 0; level < rowDims.length - 1; level++) {
      const { i } = rowDims[level] as { i: number };
      const code = row.codes[i];
      if (previous[level] === code) continue;
      previous[level] = code;
      previous.length = level + 1;
      const group = longSheet.addRow([titles[i]?.get(code ?? '') ?? code]);
      group.getCell(1).style = style(`g${level}`, () => ({ font: FONT_BOLD, alignment: { indent: level } }));
      commit(group);
      cells += 1;
    }
    const last = rowDims[rowDims.length - 1];
    const code = last ? row.codes[last.i] : undefined;
    const bold = rowDims.some(({ i }) => totals[i]?.has(row.codes[i] ?? ''));
    const line = longSheet.addRow([last ? (titles[last.i]?.get(code ?? '') ?? code) : '']);
    line.getCell(1).style = style(`l${bold}`, () => ({ font: bold ? FONT_BOLD : FONT, alignment: { indent: rowDims.length - 1 } }));
    row.cells.forEach((cell, mi) => writeFigure(line.getCell(mi + 2), cell, bold));
    commit(line);
    cells += 1 + row.cells.length;
  }

  // "Data": code titles, figures, codes.
  const names = [
    ...dims.map((d) => d.title),
    ...table.measures.map((m) => `${m.title} (${m.unit})`),
    ...dims.map((d) => `${d.title} (code)`),
  ];
  const data = table.rows.map((row) => [
    ...row.codes.map((code, i) => titles[i]?.get(code) ?? code),
    ...row.cells.map((cell) => (cell.kind === 'value' ? cell.value : cell.symbol)),
    ...row.codes,
  ]);
  const dataSheet = workbook.addWorksheet('Data', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  names.forEach((_, ci) => {
    dataSheet.getColumn(ci + 1).width = 16;
  });
  if (mode.kind === 'memory') {
    dataSheet.addTable({
      name: 'Data',
      ref: 'A1',
      headerRow: true,
      totalsRow: false,
      style: { theme: 'TableStyleLight1', showRowStripes: true },
      columns: names.map((name) => ({ name, filterButton: true })),
      rows: data,
    });
  } else {
    commit(dataSheet.addRow(names));
    dataSheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: data.length + 1, column: names.length } };
  }
  const numbers = style('plain', () => ({ font: FONT, numFmt: '0' }));
  const texts = style('text', () => ({ font: FONT }));
  const first = dims.length;
  const end = dims.length + table.measures.length;
  data.forEach((values, ri) => {
    const row = mode.kind === 'memory' ? dataSheet.getRow(ri + 2) : dataSheet.addRow(values);
    for (let c = 1; c <= values.length; c++)
      row.getCell(c).style = c > first && c <= end && typeof values[c - 1] === 'number' ? numbers : texts;
    commit(row);
  });
  cells += names.length * (data.length + 1);

  if (mode.kind === 'memory') {
    const bytes = await (workbook as ExcelJS.Workbook).xlsx.writeBuffer();
    return { cells, bytes: (bytes as ArrayBuffer).byteLength };
  }
  await (workbook as ExcelJS.stream.xlsx.WorkbookWriter).commit();
  return { cells, bytes: statSync(mode.file).size };
}
