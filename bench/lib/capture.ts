import ExcelJS from 'exceljs';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { writeZip } from '../../src/render/xlsx/zip-package.js';

/**
 * The floor of a render: what the libraries cost for the very same output with nothing of ours
 * around them. The definitions and the workbook are taken from a real `renderEdition` call by
 * wrapping `pdfmake.createPdf` and exceljs's `writeBuffer` for the length of that one call, so the
 * floor can never drift from what the renderer builds.
 */

/** Deep-copies plain objects, arrays and dates; functions (pdfmake layouts, footers) and binary data are shared. */
export function cloneTree<T>(value: T): T {
  return cloneValue(value, new Map()) as T;
}

function cloneValue(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (value instanceof Date) {
    const copy = new Date(value.getTime());
    seen.set(value, copy);
    return copy;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(cloneValue(item, seen));
    return copy;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    throw new Error(`cloneTree: cannot copy an instance of ${(proto as { constructor?: { name?: string } }).constructor?.name ?? '?'}`);
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[key] = cloneValue(item, seen);
  return copy;
}

/** What one render handed to the libraries. */
export interface CapturedRender<T> {
  readonly result: T;
  /** Each pdfmake definition, copied before pdfmake changed it, in the order they were printed. */
  readonly pdfDefinitions: readonly TDocumentDefinitions[];
  /** Each workbook that was written, as exceljs held it, with the bytes exceljs gave back. */
  readonly workbooks: readonly { readonly workbook: ExcelJS.Workbook; readonly bytes: Buffer; readonly options: unknown }[];
}

type CreatePdf = (definition: TDocumentDefinitions, options?: unknown) => { getBuffer(): Promise<Buffer> };
type WriteBuffer = (this: { workbook: ExcelJS.Workbook }, options?: unknown) => Promise<Buffer | ArrayBuffer>;

/** Options of a capture. */
export interface CaptureOptions {
  /**
   * Hand nothing to the libraries: pdfmake returns an empty PDF and exceljs an empty package, so
   * that their layout and writing code stays cold (for measuring a first render in a process).
   */
  readonly dry?: boolean;
}

/** Runs `render` with the libraries' entry points wrapped, and returns what they were given. */
export async function captureRender<T>(render: () => Promise<T>, options: CaptureOptions = {}): Promise<CapturedRender<T>> {
  const pdf = pdfmake as unknown as { createPdf: CreatePdf };
  const xlsxProto = Object.getPrototypeOf(new ExcelJS.Workbook().xlsx) as { writeBuffer: WriteBuffer };
  const originalCreatePdf = pdf.createPdf;
  const ownCreatePdf = Object.hasOwn(pdf, 'createPdf');
  const originalWriteBuffer = xlsxProto.writeBuffer;
  const dry = options.dry === true;
  const pdfDefinitions: TDocumentDefinitions[] = [];
  const workbooks: { workbook: ExcelJS.Workbook; bytes: Buffer; options: unknown }[] = [];
  pdf.createPdf = function (this: unknown, definition, options) {
    pdfDefinitions.push(cloneTree(definition));
    if (dry) return { getBuffer: async () => Buffer.alloc(0) };
    return originalCreatePdf.call(this, definition, options);
  };
  xlsxProto.writeBuffer = async function (this: { workbook: ExcelJS.Workbook }, options?: unknown) {
    const bytes = dry ? writeZip([], new Date(0)) : await originalWriteBuffer.call(this, options);
    workbooks.push({ workbook: this.workbook, bytes: Buffer.from(bytes as ArrayBuffer), options: cloneTree(options) });
    return bytes;
  };
  try {
    const result = await render();
    return { result, pdfDefinitions, workbooks };
  } finally {
    if (ownCreatePdf) pdf.createPdf = originalCreatePdf;
    else delete (pdf as { createPdf?: CreatePdf }).createPdf;
    xlsxProto.writeBuffer = originalWriteBuffer;
  }
}

/** Time spent inside the libraries' entry points during a render, by artifact kind. */
export interface LibraryTime {
  /** pdfmake: from createPdf to the resolved getBuffer, per PDF in order. */
  readonly pdfMs: number[];
  /** exceljs: writeBuffer, per workbook in order. */
  readonly workbookWriteMs: number[];
}

/**
 * Runs `render` with the libraries' entry points timed (nothing copied): what is left of a step
 * is our own code, plus the exceljs cell calls our sheet writers make.
 */
export async function timeLibraryCalls<T>(render: () => Promise<T>): Promise<{ result: T; time: LibraryTime }> {
  const pdf = pdfmake as unknown as { createPdf: CreatePdf };
  const xlsxProto = Object.getPrototypeOf(new ExcelJS.Workbook().xlsx) as { writeBuffer: WriteBuffer };
  const originalCreatePdf = pdf.createPdf;
  const ownCreatePdf = Object.hasOwn(pdf, 'createPdf');
  const originalWriteBuffer = xlsxProto.writeBuffer;
  const time = { pdfMs: [] as number[], workbookWriteMs: [] as number[] };
  pdf.createPdf = function (this: unknown, definition, options) {
    const t0 = performance.now();
    const document = originalCreatePdf.call(this, definition, options);
    return {
      getBuffer: async () => {
        const bytes = await document.getBuffer();
        time.pdfMs.push(performance.now() - t0);
        return bytes;
      },
    };
  };
  xlsxProto.writeBuffer = async function (this: { workbook: ExcelJS.Workbook }, options?: unknown) {
    const t0 = performance.now();
    const bytes = await originalWriteBuffer.call(this, options);
    time.workbookWriteMs.push(performance.now() - t0);
    return bytes;
  };
  try {
    return { result: await render(), time };
  } finally {
    if (ownCreatePdf) pdf.createPdf = originalCreatePdf;
    else delete (pdf as { createPdf?: CreatePdf }).createPdf;
    xlsxProto.writeBuffer = originalWriteBuffer;
  }
}

/** Prints a definition with pdfmake alone (fonts and access policies must be set already). */
export async function printWithPdfmake(definition: TDocumentDefinitions): Promise<Buffer> {
  return Buffer.from(await pdfmake.createPdf(definition).getBuffer());
}

// ---------------------------------------------------------------------------------------------
// Workbook replay: the workbook our code built, as a list of plain exceljs calls.

interface CellScript {
  readonly row: number;
  readonly col: number;
  /** Absent for the covered cells of a merge and for cells an Excel table fills. */
  readonly value?: ExcelJS.CellValue;
  /** Index into the script's styles; -1 for a cell without a look of its own. */
  readonly style: number;
  readonly note?: string | ExcelJS.Comment;
}

interface SheetScript {
  readonly name: string;
  readonly options: Partial<ExcelJS.AddWorksheetOptions>;
  readonly columnWidths: readonly (readonly [number, number])[];
  readonly rowHeights: readonly (readonly [number, number])[];
  readonly cells: readonly CellScript[];
  readonly merges: readonly string[];
  readonly tables: readonly ExcelJS.TableProperties[];
}

/** Everything needed to build the same workbook again with exceljs's public API. */
export interface WorkbookScript {
  readonly properties: Readonly<Record<string, unknown>>;
  /** The distinct style objects, shared by identity as our code shares them. */
  readonly styles: readonly Partial<ExcelJS.Style>[];
  readonly sheets: readonly SheetScript[];
}

const WORKBOOK_PROPERTIES = [
  'creator',
  'lastModifiedBy',
  'company',
  'manager',
  'title',
  'subject',
  'category',
  'keywords',
  'description',
  'language',
  'revision',
  'contentStatus',
  'created',
  'modified',
  'lastPrinted',
] as const;

// exceljs keeps rows and cells in sparse arrays; reading them directly visits exactly the cells that
// exist (the public iterators with includeEmpty would create the missing ones).
interface RowInternals {
  readonly number: number;
  readonly height?: number;
  readonly _cells: readonly (ExcelJS.Cell | undefined)[];
}

function tableCells(table: ExcelJS.TableProperties & { tl?: { row: number; col: number } }): (row: number, col: number) => boolean {
  const tl = table.tl ?? { row: 1, col: 1 };
  const height = table.rows.length + (table.headerRow === false ? 0 : 1) + (table.totalsRow ? 1 : 0);
  const width = table.columns.length;
  return (row, col) => row >= tl.row && row < tl.row + height && col >= tl.col && col < tl.col + width;
}

/** Reads a workbook into a script of plain exceljs calls (values, shared styles, merges, tables, print setup). */
export function toWorkbookScript(workbook: ExcelJS.Workbook): WorkbookScript {
  const styleIndex = new Map<object, number>();
  const styles: Partial<ExcelJS.Style>[] = [];
  const properties: Record<string, unknown> = {};
  const bag = workbook as unknown as Record<string, unknown>;
  for (const key of WORKBOOK_PROPERTIES) if (bag[key] !== undefined) properties[key] = cloneTree(bag[key]);

  const sheets = workbook.worksheets.map((ws): SheetScript => {
    const tables = ws.getTables().map((t) => cloneTree((t as unknown as { table: ExcelJS.TableProperties }).table));
    const inTable = tables.map(tableCells);
    const columnWidths: [number, number][] = [];
    (ws.columns ?? []).forEach((column, i) => {
      if (column.width !== undefined) columnWidths.push([i + 1, column.width]);
    });
    const rowHeights: [number, number][] = [];
    const cells: CellScript[] = [];
    for (const row of (ws as unknown as { _rows: (RowInternals | undefined)[] })._rows) {
      if (!row) continue;
      if (row.height !== undefined) rowHeights.push([row.number, row.height]);
      row._cells.forEach((cell, ci) => {
        if (!cell) return;
        const col = ci + 1;
        const style = cell.style as object;
        let index = -1;
        if (Object.keys(style).length > 0) {
          index = styleIndex.get(style) ?? -1;
          if (index < 0) {
            index = styles.length;
            styles.push(cloneTree(style) as Partial<ExcelJS.Style>);
            styleIndex.set(style, index);
          }
        }
        const covered = cell.type === ExcelJS.ValueType.Merge || inTable.some((f) => f(row.number, col));
        const note = cell.note;
        cells.push({
          row: row.number,
          col,
          style: index,
          ...(covered || cell.value === null ? {} : { value: cloneTree(cell.value) }),
          ...(note !== undefined ? { note: cloneTree(note) } : {}),
        });
      });
    }
    const merges = Object.values((ws as unknown as { _merges: Record<string, { range: string }> })._merges).map((m) => m.range);
    return {
      name: ws.name,
      options: cloneTree({
        properties: ws.properties,
        pageSetup: ws.pageSetup,
        headerFooter: ws.headerFooter,
        views: ws.views,
        state: ws.state,
      }) as Partial<ExcelJS.AddWorksheetOptions>,
      columnWidths,
      rowHeights,
      cells,
      merges,
      tables,
    };
  });
  return { properties, styles, sheets };
}

/** Builds the workbook of a script with exceljs's public API only. Give it a fresh copy (`cloneTree`) per build. */
export function buildFromScript(script: WorkbookScript): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  Object.assign(workbook, script.properties);
  for (const sheet of script.sheets) {
    const ws = workbook.addWorksheet(sheet.name, sheet.options);
    for (const [col, width] of sheet.columnWidths) ws.getColumn(col).width = width;
    for (const [row, height] of sheet.rowHeights) ws.getRow(row).height = height;
    for (const table of sheet.tables) ws.addTable(table);
    for (const c of sheet.cells) {
      if (c.value !== undefined) ws.getCell(c.row, c.col).value = c.value;
    }
    for (const range of sheet.merges) ws.mergeCells(range);
    for (const c of sheet.cells) {
      const cell = ws.getCell(c.row, c.col);
      if (c.style >= 0) cell.style = script.styles[c.style] as Partial<ExcelJS.Style>;
      if (c.note !== undefined) cell.note = c.note;
    }
  }
  return workbook;
}

/** The number of cells a script writes (for the report). */
export function countCells(script: WorkbookScript): number {
  return script.sheets.reduce((n, s) => n + s.cells.length, 0);
}
