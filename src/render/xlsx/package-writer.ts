import { assembleZip, type DeflatedEntry, DeflatingEntry, deflateEntry } from './zip-package.js';

/**
 * The ZIP side of exceljs's streaming workbook writer, replaced by our own so that the package is
 * the same bytes for the same input and a large sheet is never held uncompressed.
 *
 * exceljs's `stream.xlsx.WorkbookWriter` hands every part of the package to an archiver object
 * (`append(source, { name })`, `finalize()`); archiver stamps each entry with the time of writing.
 * This class takes archiver's place (see `attachPackageWriter`): a worksheet streams through a
 * deflater as exceljs writes its rows, every other part is small and kept until the end, where the
 * parts exceljs's streaming writer cannot make are added:
 * - internal links (`<hyperlink ref location>`): exceljs streams every link as an external
 *   relationship, which readers open as a file;
 * - Excel tables (`xl/tables/tableN.xml`, `<tableParts>`): the streaming writer has no `addTable`;
 * - the company in docProps/app.xml, which the streaming writer leaves empty.
 */

/** An internal link from a cell to a place in the workbook. */
export interface SheetLink {
  /** The cell: "A4". */
  readonly ref: string;
  /** The place, without "#": "'Tabel 1'!A1". */
  readonly location: string;
}

/** An Excel table on a sheet: one header row, no totals row. */
export interface SheetTable {
  readonly name: string;
  /** "A1:N3097". */
  readonly ref: string;
  readonly columns: readonly string[];
  readonly style: string;
}

/** What exceljs's WorkbookWriter reads and writes of its archiver. */
interface StreamSource {
  pipe(destination: { write(chunk: Buffer, callback?: () => void): boolean; end(): void }): void;
}

const SHEET = /^xl\/worksheets\/(sheet\d+\.xml)$/;
const END_OF_SHEET_DATA = Buffer.from('</sheetData>');
/** Elements that follow `<hyperlinks>` in a worksheet (ECMA-376 CT_Worksheet order). */
const AFTER_HYPERLINKS =
  /<(printOptions|pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)[ >/]|<\/worksheet>/;
/** Elements that follow `<tableParts>`. */
const AFTER_TABLE_PARTS = /<extLst[ >]|<\/worksheet>/;
const TABLE_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml';
const TABLE_RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/table';
/** Blocks (of 1 MiB) of one sheet being deflated in the background before its writer waits (PackageWriter.catchUp). */
const MAX_DEFLATING_BLOCKS = 4;
/** Relationship ids of our table parts: far above the few exceljs numbers from rId1. */
const TABLE_RID_BASE = 1000;

function xmlAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function insertBefore(xml: string, pattern: RegExp, insert: string, part: string): string {
  const at = xml.search(pattern);
  if (at < 0) throw new Error(`workbook package: no place for ${insert.slice(0, 20)}… in ${part}`);
  return xml.slice(0, at) + insert + xml.slice(at);
}

function tableXml(id: number, table: SheetTable): string {
  const columns = table.columns.map((name, i) => `<tableColumn id="${i + 1}" name="${xmlAttribute(name)}"/>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="${id}" name="${xmlAttribute(table.name)}" displayName="${xmlAttribute(table.name)}" ref="${table.ref}" totalsRowShown="0">` +
    `<autoFilter ref="${table.ref}"/>` +
    `<tableColumns count="${table.columns.length}">${columns}</tableColumns>` +
    `<tableStyleInfo name="${xmlAttribute(table.style)}" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>` +
    '</table>'
  );
}

/** A worksheet on its way into the package: everything up to `</sheetData>` is deflated as it comes. */
class SheetEntry {
  private readonly deflating: DeflatingEntry;
  private carry: Buffer = Buffer.alloc(0);
  private tail: Buffer[] | undefined;
  result: DeflatedEntry | undefined;

  constructor(
    readonly name: string,
    private readonly finishTail: (name: string, tail: string) => string,
    private readonly background: boolean,
  ) {
    this.deflating = new DeflatingEntry(name, background);
  }

  /** Deflated in the background (see PackageWriter.catchUp): settles once every block is done. */
  finished: Promise<void> | undefined;

  /** See DeflatingEntry.backlog. */
  backlog(limit: number): Promise<void> | undefined {
    return this.deflating.backlog(limit);
  }

  write(chunk: Buffer): void {
    if (this.tail) {
      this.tail.push(chunk);
      return;
    }
    // The marker may start in the bytes held back from the last chunk.
    const seam = this.carry.length > 0 ? Buffer.concat([this.carry, chunk.subarray(0, END_OF_SHEET_DATA.length - 1)]) : undefined;
    const inSeam = seam ? seam.indexOf(END_OF_SHEET_DATA) : -1;
    if (inSeam >= 0) {
      this.deflating.write(this.carry.subarray(0, inSeam));
      this.tail = [this.carry.subarray(inSeam), chunk];
      return;
    }
    const at = chunk.indexOf(END_OF_SHEET_DATA);
    this.deflating.write(this.carry);
    if (at >= 0) {
      this.deflating.write(chunk.subarray(0, at));
      this.tail = [chunk.subarray(at)];
      this.carry = Buffer.alloc(0);
      return;
    }
    // Hold back what could be the start of a marker split over two chunks.
    const keep = Math.min(chunk.length, END_OF_SHEET_DATA.length - 1);
    this.deflating.write(chunk.subarray(0, chunk.length - keep));
    this.carry = Buffer.from(chunk.subarray(chunk.length - keep));
  }

  end(): void {
    const tail = Buffer.concat(this.tail ?? [this.carry]).toString('utf8');
    this.deflating.write(Buffer.from(this.finishTail(this.name, tail), 'utf8'));
    if (!this.background) {
      this.result = this.deflating.end();
      return;
    }
    this.finished = this.deflating.finish().then((result) => {
      this.result = result;
    });
    // Reported when the package is finished; until then a failure must not count as unhandled.
    this.finished.catch(() => {});
  }
}

/** Any other part: kept whole until the package is finished. */
class SmallEntry {
  private readonly chunks: Buffer[] = [];
  ended = false;

  constructor(readonly name: string) {}

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  end(): void {
    this.ended = true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Takes the parts of a workbook from exceljs's streaming writer and makes the published package. */
export class PackageWriter {
  private readonly order: (SheetEntry | SmallEntry)[] = [];
  private readonly links = new Map<string, SheetLink[]>();
  private readonly tables = new Map<string, { id: number; table: SheetTable }>();
  private finished: Buffer | undefined;
  private onFinish: (() => void) | undefined;
  /** exceljs listens for a failure before it calls finalize. */
  private onError: ((error: unknown) => void) | undefined;

  /**
   * With `background`, the sheets are deflated on libuv's thread pool while exceljs writes on
   * (the same bytes); `finalize` then finishes the package once they are done.
   */
  constructor(
    private readonly modified: Date,
    private readonly company: string,
    private readonly options: { readonly background?: boolean } = {},
  ) {}

  /** Internal links of a sheet (`xl/worksheets/sheetN.xml`); add them before the sheet is committed. */
  addLinks(sheetPart: string, links: readonly SheetLink[]): void {
    if (links.length === 0) return;
    this.links.set(sheetPart, [...(this.links.get(sheetPart) ?? []), ...links]);
  }

  /** The Excel table of a sheet; add it before the sheet is committed. */
  addTable(sheetPart: string, table: SheetTable): void {
    if (this.tables.has(sheetPart)) throw new Error(`workbook package: ${sheetPart} has a table already`);
    this.tables.set(sheetPart, { id: this.tables.size + 1, table });
  }

  // ---- archiver's interface, as exceljs's WorkbookWriter uses it ----

  append(source: string | Buffer | StreamSource, data: { name: string }): this {
    const name = data.name.replace(/^\/+/, '');
    if (typeof source === 'string' || Buffer.isBuffer(source)) {
      const entry = new SmallEntry(name);
      entry.write(typeof source === 'string' ? Buffer.from(source, 'utf8') : source);
      entry.end();
      this.order.push(entry);
      return this;
    }
    const entry = SHEET.test(name)
      ? new SheetEntry(name, (part, tail) => this.finishSheetTail(part, tail), this.options.background === true)
      : new SmallEntry(name);
    this.order.push(entry);
    source.pipe({
      write: (chunk: Buffer, callback?: () => void) => {
        entry.write(chunk);
        callback?.();
        return true;
      },
      end: () => entry.end(),
    });
    return this;
  }

  file(): never {
    throw new Error('workbook package: files from disk (images) are not supported');
  }

  pipe(): void {}

  on(event: string, listener: (error: unknown) => void): this {
    if (event === 'error') this.onError = listener;
    return this;
  }

  /**
   * Called by exceljs once every part is appended: the package is put together once the sheets
   * deflating in the background are done; `whenFinished` learns of it, `on('error')` of a failure.
   */
  finalize(): void {
    const sheets = this.order.flatMap((entry) => (entry instanceof SheetEntry && entry.finished ? [entry.finished] : []));
    if (sheets.length === 0) {
      this.finished = this.assemble();
      this.onFinish?.();
      return;
    }
    Promise.all(sheets)
      .then(() => {
        this.finished = this.assemble();
        this.onFinish?.();
      })
      .catch((error: unknown) => this.onError?.(error));
  }

  /** Runs `callback` when the package is finished (at once if it is). */
  whenFinished(callback: () => void): void {
    this.onFinish = callback;
    if (this.finished) callback();
  }

  /**
   * The sheets are deflated on libuv's thread pool while rows are written. A writer of a long
   * sheet waits on this now and then: a promise while more than a few blocks of the sheet being
   * written are still being deflated (each holds a block), else undefined.
   */
  catchUp(): Promise<void> | undefined {
    const last = this.order[this.order.length - 1];
    return last instanceof SheetEntry && !last.finished ? last.backlog(MAX_DEFLATING_BLOCKS) : undefined;
  }

  /** The published package: valid once exceljs's `commit()` has resolved. */
  bytes(): Buffer {
    if (!this.finished) throw new Error('workbook package: not finished');
    return this.finished;
  }

  // ---- the package ----

  private finishSheetTail(part: string, tail: string): string {
    let xml = tail;
    const links = this.links.get(part);
    if (links) {
      if (xml.includes('<hyperlinks')) throw new Error(`workbook package: ${part} has links of exceljs; set links through the package`);
      const elements = links.map((l) => `<hyperlink ref="${l.ref}" location="${xmlAttribute(l.location)}"/>`).join('');
      xml = insertBefore(xml, AFTER_HYPERLINKS, `<hyperlinks>${elements}</hyperlinks>`, part);
    }
    const table = this.tables.get(part);
    if (table) {
      xml = insertBefore(
        xml,
        AFTER_TABLE_PARTS,
        `<tableParts count="1"><tablePart r:id="rId${TABLE_RID_BASE + table.id}"/></tableParts>`,
        part,
      );
    }
    return xml;
  }

  private assemble(): Buffer {
    const small = new Map<string, string>();
    for (const entry of this.order) {
      if (entry instanceof SmallEntry) {
        if (!entry.ended) throw new Error(`workbook package: ${entry.name} was not finished`);
        small.set(entry.name, entry.text());
      } else if (!entry.result) throw new Error(`workbook package: ${entry.name} was not committed`);
    }
    const extra = new Map<string, string>();
    for (const [part, { id, table }] of this.tables) {
      const sheet = SHEET.exec(part)?.[1];
      if (!sheet) throw new Error(`workbook package: ${part} is not a worksheet`);
      const relsName = `xl/worksheets/_rels/${sheet}.rels`;
      const relationship = `<Relationship Id="rId${TABLE_RID_BASE + id}" Type="${TABLE_RELATIONSHIP}" Target="../tables/table${id}.xml"/>`;
      const rels = small.get(relsName);
      if (rels === undefined) {
        extra.set(
          relsName,
          `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationship}</Relationships>`,
        );
      } else small.set(relsName, insertBefore(rels, /<\/Relationships>/, relationship, relsName));
      extra.set(`xl/tables/table${id}.xml`, tableXml(id, table));
    }
    const types = small.get('[Content_Types].xml');
    if (types === undefined) throw new Error('workbook package: no [Content_Types].xml');
    const overrides = [...this.tables.values()]
      .map(({ id }) => `<Override PartName="/xl/tables/table${id}.xml" ContentType="${TABLE_CONTENT_TYPE}"/>`)
      .join('');
    small.set('[Content_Types].xml', insertBefore(types, /<\/Types>/, overrides, '[Content_Types].xml'));
    const app = small.get('docProps/app.xml');
    if (app !== undefined)
      small.set('docProps/app.xml', app.replace(/<Company\/>|<Company><\/Company>/, `<Company>${xmlAttribute(this.company)}</Company>`));

    // [Content_Types].xml first, as Excel writes it; then the parts in the order exceljs made them.
    const names = ['[Content_Types].xml', ...this.order.map((e) => e.name).filter((n) => n !== '[Content_Types].xml'), ...extra.keys()];
    const byName = new Map(this.order.map((e) => [e.name, e]));
    const deflated = names.map((name) => {
      const entry = byName.get(name);
      if (entry instanceof SheetEntry) return entry.result as DeflatedEntry;
      const text = extra.get(name) ?? small.get(name) ?? '';
      return deflateEntry({ name, data: Buffer.from(text, 'utf8') });
    });
    return assembleZip(deflated, this.modified);
  }
}

/** What of exceljs's streaming WorkbookWriter we reach into to put our package in archiver's place. */
interface WorkbookWriterInternals {
  zip: { abort?: () => void; unpipe?: () => void };
  stream: unknown;
  promise: Promise<unknown>;
  addThemes(): Promise<void>;
  addOfficeRels(): Promise<void>;
}

/**
 * Puts a PackageWriter in the place of the archiver of a WorkbookWriter that has just been made
 * (exceljs 4.4: the constructor makes the archiver and appends the theme and the package
 * relationships to it; they are appended again here). `commit()` then resolves once the package
 * is finished; its bytes are `writer.bytes()`.
 */
export function attachPackageWriter(workbook: object, writer: PackageWriter): void {
  const internals = workbook as WorkbookWriterInternals;
  const archiver = internals.zip;
  if (typeof internals.addThemes !== 'function' || typeof internals.addOfficeRels !== 'function' || !archiver) {
    throw new Error('workbook package: this exceljs has no streaming WorkbookWriter as 4.4 has');
  }
  archiver.unpipe?.();
  archiver.abort?.();
  internals.zip = writer as unknown as WorkbookWriterInternals['zip'];
  // exceljs waits for "finish" on its output stream once it has called finalize().
  internals.stream = {
    on(event: string, listener: (error?: unknown) => void) {
      if (event === 'finish') writer.whenFinished(listener);
      if (event === 'error') writer.on('error', listener);
      return this;
    },
  };
  internals.promise = Promise.all([internals.addThemes(), internals.addOfficeRels()]);
}
