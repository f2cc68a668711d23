import ExcelJS from 'exceljs';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
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
  /** Each in-memory workbook that was written with writeBuffer (ours streams: none). */
  readonly workbooks: readonly { readonly workbook: ExcelJS.Workbook; readonly bytes: Buffer; readonly options: unknown }[];
  /** Each workbook written through exceljs's streaming WorkbookWriter, as plain exceljs calls. */
  readonly streamed: readonly WorkbookScript[];
  /** Cells the streaming writers wrote (also counted when `countOnly` skips the scripts). */
  readonly streamedCells: number;
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
  /**
   * Only count the cells the streaming writer writes, without copying them into a script (for
   * the large cubes, where copying would cost more than the render).
   */
  readonly countOnly?: boolean;
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
  const stream = hookStreamingWriter(options.countOnly === true);
  try {
    const result = await render();
    return { result, pdfDefinitions, workbooks, streamed: stream.scripts, streamedCells: stream.cells() };
  } finally {
    if (ownCreatePdf) pdf.createPdf = originalCreatePdf;
    else delete (pdf as { createPdf?: CreatePdf }).createPdf;
    xlsxProto.writeBuffer = originalWriteBuffer;
    stream.restore();
  }
}

/** Time spent inside the libraries' entry points during a render, by artifact kind. */
export interface LibraryTime {
  /** pdfmake: from createPdf to the resolved getBuffer, per PDF in order. */
  readonly pdfMs: number[];
  /**
   * exceljs: per workbook in order, the time inside the streaming writer's row serialisation
   * (`_writeRow`, which includes our deflate of the bytes it emits) and its final `commit()`
   * (styles, shared strings, workbook parts, the ZIP), or writeBuffer for an in-memory workbook.
   */
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
  const { workbookProto, worksheetProto } = streamingPrototypes();
  const originalWriteRow = worksheetProto._writeRow;
  const originalCommit = workbookProto.commit;
  let inRows = 0;
  worksheetProto._writeRow = function (this: WorksheetWriterInternals, row: RowInternals) {
    const t0 = performance.now();
    originalWriteRow.call(this, row);
    inRows += performance.now() - t0;
  };
  workbookProto.commit = async function (this: object) {
    const t0 = performance.now();
    await originalCommit.call(this);
    time.workbookWriteMs.push(inRows + performance.now() - t0);
    inRows = 0;
  };
  try {
    return { result: await render(), time };
  } finally {
    if (ownCreatePdf) pdf.createPdf = originalCreatePdf;
    else delete (pdf as { createPdf?: CreatePdf }).createPdf;
    xlsxProto.writeBuffer = originalWriteBuffer;
    worksheetProto._writeRow = originalWriteRow;
    workbookProto.commit = originalCommit;
  }
}

/**
 * Prints a definition with pdfmake alone (fonts and access policies must be set already). Plain
 * pdfmake parses its fonts for every PDF: when this process shares them (src/render/pdf/
 * shared-fonts.ts, loaded by our renderer), the shared ones are dropped first, so the floor parses
 * them as plain pdfmake does and our next print finds them parsed (by the floor).
 */
export async function printWithPdfmake(definition: TDocumentDefinitions): Promise<Buffer> {
  forgetSharedFonts();
  return Buffer.from(await pdfmake.createPdf(definition).getBuffer());
}

const fromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake/package.json'));
const fromPdfkit = createRequire(fromPdfmake.resolve('pdfkit'));
const FONTKIT_PATH = fromPdfkit.resolve('fontkit');

function forgetSharedFonts(): void {
  const exports = fromPdfkit.cache[FONTKIT_PATH]?.exports as Record<symbol, unknown[] | undefined> | undefined;
  const shared = exports?.[Symbol.for('cbs.shared-fonts')];
  if (shared) shared.length = 0;
}

// ---------------------------------------------------------------------------------------------
// Workbook replay: the workbook our code built, as a list of plain exceljs calls.

interface CellScript {
  readonly row: number;
  readonly col: number;
  /** Absent for the covered cells of a merge. */
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

/** The number of cells a script writes (for the report). */
export function countCells(script: WorkbookScript): number {
  return script.sheets.reduce((n, s) => n + s.cells.length, 0);
}

// ---------------------------------------------------------------------------------------------
// The streaming writer: ours writes the tabellenbijlage through exceljs's stream.xlsx.WorkbookWriter,
// committing rows as it goes, so the workbook is never whole in memory. The capture records each
// row as exceljs serialises it (`_writeRow`), each sheet's setup as it is added and its columns and
// merges as it is committed; the replay makes the same calls on a fresh WorkbookWriter with
// exceljs's defaults (archiver's DEFLATE), committing rows as often as ours does.

interface WorksheetWriterInternals {
  readonly name: string;
  readonly id: number;
  readonly _columns: ({ width?: number } | undefined)[] | null;
  readonly _merges: { range?: string; toString(): string }[];
  readonly pageSetup?: Partial<ExcelJS.PageSetup>;
  readonly headerFooter?: Partial<ExcelJS.HeaderFooter>;
  readonly views?: Partial<ExcelJS.WorksheetView>[];
  _writeRow(row: RowInternals): void;
  commit(): void;
}

interface StreamingPrototypes {
  readonly workbookProto: {
    addWorksheet(this: object, name: string, options?: Partial<ExcelJS.AddWorksheetOptions>): WorksheetWriterInternals;
    commit(this: object): Promise<void>;
  };
  readonly worksheetProto: {
    _writeRow(this: WorksheetWriterInternals, row: RowInternals): void;
    commit(this: WorksheetWriterInternals): void;
  };
}

let prototypes: StreamingPrototypes | undefined;

/** The prototypes of exceljs's streaming workbook and worksheet writers (the latter is not exported). */
function streamingPrototypes(): StreamingPrototypes {
  if (!prototypes) {
    const devNull = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const probe = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: devNull });
    const sheet = probe.addWorksheet('probe');
    prototypes = {
      workbookProto: Object.getPrototypeOf(probe) as StreamingPrototypes['workbookProto'],
      worksheetProto: Object.getPrototypeOf(sheet) as StreamingPrototypes['worksheetProto'],
    };
  }
  return prototypes;
}

interface MutableSheetScript {
  name: string;
  options: Partial<ExcelJS.AddWorksheetOptions>;
  columnWidths: [number, number][];
  rowHeights: [number, number][];
  cells: CellScript[];
  merges: string[];
}

/** Hooks the streaming writer's prototypes until `restore()`; records or counts what it writes. */
function hookStreamingWriter(countOnly: boolean): { scripts: WorkbookScript[]; cells(): number; restore(): void } {
  const { workbookProto, worksheetProto } = streamingPrototypes();
  const originalAdd = workbookProto.addWorksheet;
  const originalWorkbookCommit = workbookProto.commit;
  const originalWriteRow = worksheetProto._writeRow;
  const originalSheetCommit = worksheetProto.commit;
  const scripts: WorkbookScript[] = [];
  const open = new Map<object, { styles: Partial<ExcelJS.Style>[]; styleIndex: Map<object, number>; sheets: MutableSheetScript[] }>();
  const sheetOf = new WeakMap<object, MutableSheetScript>();
  const bookOf = new WeakMap<object, object>();
  let cells = 0;

  const bookState = (book: object) => {
    let state = open.get(book);
    if (!state) {
      state = { styles: [], styleIndex: new Map(), sheets: [] };
      open.set(book, state);
    }
    return state;
  };

  workbookProto.addWorksheet = function (name, options) {
    const ws = originalAdd.call(this, name, options);
    if (!countOnly) {
      const script: MutableSheetScript = {
        name,
        options: cloneTree(options ?? {}),
        columnWidths: [],
        rowHeights: [],
        cells: [],
        merges: [],
      };
      bookState(this).sheets.push(script);
      sheetOf.set(ws, script);
      bookOf.set(ws, this);
    }
    return ws;
  };
  worksheetProto._writeRow = function (row) {
    const script = sheetOf.get(this);
    const book = bookOf.get(this);
    if (script && book) {
      const state = bookState(book);
      if (row.height !== undefined) script.rowHeights.push([row.number, row.height]);
      row._cells.forEach((cell, ci) => {
        if (!cell) return;
        const style = cell.style as object;
        let index = -1;
        if (Object.keys(style).length > 0) {
          index = state.styleIndex.get(style) ?? -1;
          if (index < 0) {
            index = state.styles.length;
            state.styles.push(cloneTree(style) as Partial<ExcelJS.Style>);
            state.styleIndex.set(style, index);
          }
        }
        const covered = cell.type === ExcelJS.ValueType.Merge;
        const note = cell.note;
        script.cells.push({
          row: row.number,
          col: ci + 1,
          style: index,
          ...(covered || cell.value === null ? {} : { value: cloneTree(cell.value) }),
          ...(note !== undefined ? { note: cloneTree(note) } : {}),
        });
      });
    }
    for (const cell of row._cells) if (cell) cells++;
    originalWriteRow.call(this, row);
  };
  worksheetProto.commit = function () {
    const script = sheetOf.get(this);
    if (script) {
      (this._columns ?? []).forEach((column, i) => {
        if (column?.width !== undefined) script.columnWidths.push([i + 1, column.width]);
      });
      script.merges.push(...this._merges.map((m) => m.range ?? m.toString()));
      // What ours sets after adding the sheet (the print area, headers and footers, frozen panes) is
      // written from the sheet as it stands at commit: record it as the sheet's options for the replay.
      script.options = {
        ...script.options,
        ...(this.pageSetup ? { pageSetup: cloneTree(this.pageSetup) } : {}),
        ...(this.headerFooter ? { headerFooter: cloneTree(this.headerFooter) } : {}),
        ...(this.views ? { views: cloneTree(this.views) } : {}),
      };
    }
    originalSheetCommit.call(this);
  };
  workbookProto.commit = async function () {
    await originalWorkbookCommit.call(this);
    const state = open.get(this);
    if (state) {
      const properties: Record<string, unknown> = {};
      const bag = this as unknown as Record<string, unknown>;
      for (const key of WORKBOOK_PROPERTIES) if (bag[key] !== undefined) properties[key] = cloneTree(bag[key]);
      scripts.push({ properties, styles: state.styles, sheets: state.sheets });
      open.delete(this);
    }
  };
  return {
    scripts,
    cells: () => cells,
    restore: () => {
      workbookProto.addWorksheet = originalAdd;
      workbookProto.commit = originalWorkbookCommit;
      worksheetProto._writeRow = originalWriteRow;
      worksheetProto.commit = originalSheetCommit;
    },
  };
}

/** Rows between two commits, as ours commits a long table (src/render/xlsx/sheet-writing.ts). */
const REPLAY_COMMIT_EVERY = 512;

/**
 * Writes the workbook of a script with exceljs's public streaming API and its defaults (archiver,
 * DEFLATE): the same sheets, setups, widths, heights, values, shared styles, notes and merges.
 * Give it a fresh copy (`cloneTree`) per write. Returns the package bytes.
 */
export async function writeStreamingScript(script: WorkbookScript): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      chunks.push(chunk);
      callback();
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  Object.assign(workbook, script.properties);
  for (const sheet of script.sheets) {
    const ws = workbook.addWorksheet(sheet.name, sheet.options);
    for (const [col, width] of sheet.columnWidths) ws.getColumn(col).width = width;
    const heights = new Map(sheet.rowHeights);
    const mergesByTop = new Map<number, string[]>();
    for (const range of sheet.merges) {
      const top = Number(/\d+/.exec(range)?.[0]);
      mergesByTop.set(top, [...(mergesByTop.get(top) ?? []), range]);
    }
    let rowNumber = 0;
    let written = 0;
    for (const c of sheet.cells) {
      if (c.row !== rowNumber) {
        if (written > 0 && written % REPLAY_COMMIT_EVERY === 0) ws.getRow(rowNumber).commit();
        rowNumber = c.row;
        written++;
        const height = heights.get(rowNumber);
        if (height !== undefined) ws.getRow(rowNumber).height = height;
        for (const range of mergesByTop.get(rowNumber) ?? []) ws.mergeCells(range);
      }
      const cell = ws.getCell(c.row, c.col);
      if (c.value !== undefined) cell.value = c.value;
      if (c.style >= 0) cell.style = script.styles[c.style] as Partial<ExcelJS.Style>;
      if (c.note !== undefined) cell.note = c.note;
    }
    ws.commit();
  }
  await workbook.commit();
  return Buffer.concat(chunks);
}

/**
 * Our package with what PackageWriter adds to exceljs's output taken out again (internal links,
 * Excel tables, the company), so that it can be compared part by part with a replay.
 */
export function withoutPackageAdditions(parts: ReadonlyMap<string, Buffer>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, data] of parts) {
    if (/^xl\/tables\//.test(name)) continue;
    let text = data.toString('utf8');
    if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) {
      text = text.replace(/<hyperlinks>.*?<\/hyperlinks>/s, '').replace(/<tableParts [^>]*>.*?<\/tableParts>/s, '');
    } else if (/^xl\/worksheets\/_rels\//.test(name)) {
      text = text.replace(/<Relationship Id="rId1\d{3}" Type="[^"]*\/table" Target="[^"]*"\/>/g, '');
      if (!text.includes('<Relationship ')) continue;
    } else if (name === '[Content_Types].xml') {
      text = text.replace(/<Override PartName="\/xl\/tables\/[^"]*" ContentType="[^"]*"\/>/g, '');
    } else if (name === 'docProps/app.xml') {
      text = text.replace(/<Company>[^<]*<\/Company>/, '<Company></Company>');
    }
    out.set(name, text);
  }
  return out;
}
