import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PackageWriter } from '../../../src/render/xlsx/package-writer.js';
import { DeflatingEntry, readZip } from '../../../src/render/xlsx/zip-package.js';

const MODIFIED = new Date('2020-04-28T00:00:00Z');

/** Rows of sheet XML, varied enough that deflate has work to do: about `bytes` long. */
function sheetRows(bytes: number): Buffer {
  const rows: string[] = [];
  let length = 0;
  for (let r = 1; length < bytes; r++) {
    const row = `<row r="${r}"><c r="A${r}" t="s"><v>${r % 97}</v></c><c r="B${r}" s="3"><v>${(r * 7919) % 100003}</v></c></row>`;
    rows.push(row);
    length += row.length;
  }
  return Buffer.from(rows.join(''));
}

function deflateInChunks(data: Buffer, size: number) {
  const entry = new DeflatingEntry('xl/worksheets/sheet1.xml');
  for (let at = 0; at < data.length; at += size) entry.write(data.subarray(at, at + size));
  return entry.end();
}

describe('a streamed ZIP entry', () => {
  const data = sheetRows(3.5 * 1024 * 1024);

  it('inflates back to the bytes written, with their CRC and size', () => {
    const entry = deflateInChunks(data, 65_536);
    expect(entry.chunks.length).toBeGreaterThan(3);
    expect(inflateRawSync(Buffer.concat(entry.chunks)).equals(data)).toBe(true);
    expect(entry.crc).toBe(crc32(data));
    expect(entry.size).toBe(data.length);
    expect(entry.compressedSize).toBe(Buffer.concat(entry.chunks).length);
  });

  it('gives the same bytes however the writer split them', () => {
    const whole = Buffer.concat(deflateInChunks(data, data.length).chunks);
    for (const size of [65_536, 7_001, 1_048_577]) {
      expect(Buffer.concat(deflateInChunks(data, size).chunks).equals(whole), `chunks of ${size}`).toBe(true);
    }
  });
});

/** A stand-in for exceljs's StreamBuf: the package pipes it and is fed what a sheet writes. */
function fakeStream() {
  let sink: { write(chunk: Buffer): boolean; end(): void } | undefined;
  return {
    source: {
      pipe(destination: { write(chunk: Buffer): boolean; end(): void }) {
        sink = destination;
      },
    },
    write(text: string | Buffer) {
      sink?.write(Buffer.isBuffer(text) ? text : Buffer.from(text));
    },
    end() {
      sink?.end();
    },
  };
}

const HEAD = '<?xml version="1.0"?><worksheet xmlns:r="r"><sheetData>';
const TAIL =
  '</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins left="0.7"/><pageSetup paperSize="9"/></worksheet>';
const TYPES = '<Types><Default Extension="xml" ContentType="application/xml"/></Types>';

/** A package as exceljs's streaming writer would append it, with one sheet written in `pieces`. */
function writePackage(pieces: readonly Buffer[], extras: (writer: PackageWriter) => void): Map<string, string> {
  const writer = new PackageWriter(MODIFIED, 'Centraal Bureau voor de Statistiek');
  writer.append('<theme/>', { name: 'xl/theme/theme1.xml' });
  const sheet = fakeStream();
  writer.append(sheet.source, { name: '/xl/worksheets/sheet1.xml' });
  for (const piece of pieces) sheet.write(piece);
  extras(writer);
  sheet.end();
  writer.append(TYPES, { name: '[Content_Types].xml' });
  writer.append('<Properties><Company></Company></Properties>', { name: 'docProps/app.xml' });
  let finished = false;
  writer.whenFinished(() => {
    finished = true;
  });
  writer.finalize();
  expect(finished).toBe(true);
  const entries = readZip(writer.bytes());
  expect(entries[0]?.name).toBe('[Content_Types].xml');
  return new Map(entries.map((e) => [e.name, e.data.toString('utf8')]));
}

describe('the workbook package', () => {
  const rows = sheetRows(200_000);
  const xml = Buffer.concat([Buffer.from(HEAD), rows, Buffer.from(TAIL)]);
  const marker = xml.indexOf('</sheetData>');
  const links = [
    { ref: 'A4', location: "'Tabel 1'!A1" },
    { ref: 'A5', location: '\'Tabel "2" & 3\'!A1' },
  ];
  const expectedSheet = `${HEAD}${rows}</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><hyperlinks><hyperlink ref="A4" location="'Tabel 1'!A1"/><hyperlink ref="A5" location="'Tabel &quot;2&quot; &amp; 3'!A1"/></hyperlinks><pageMargins left="0.7"/><pageSetup paperSize="9"/></worksheet>`;

  it('puts the internal links before pageMargins, wherever the chunks split "</sheetData>"', () => {
    for (let split = marker - 2; split <= marker + 13; split++) {
      const parts = writePackage([xml.subarray(0, split), xml.subarray(split)], (w) => w.addLinks('xl/worksheets/sheet1.xml', links));
      expect(parts.get('xl/worksheets/sheet1.xml'), `split at ${split - marker}`).toBe(expectedSheet);
    }
  });

  it('gives the same bytes for one chunk and for many small ones', () => {
    const bytes = (pieces: Buffer[]) => {
      const writer = new PackageWriter(MODIFIED, 'CBS');
      const sheet = fakeStream();
      writer.append(sheet.source, { name: 'xl/worksheets/sheet1.xml' });
      for (const piece of pieces) sheet.write(piece);
      sheet.end();
      writer.append(TYPES, { name: '[Content_Types].xml' });
      writer.finalize();
      return writer.bytes();
    };
    const small: Buffer[] = [];
    for (let at = 0; at < xml.length; at += 5) small.push(xml.subarray(at, at + 5));
    expect(bytes(small).equals(bytes([xml]))).toBe(true);
  });

  it('gives the same bytes when the sheets are deflated in the background, and finishes once they are', async () => {
    const big = Buffer.concat([Buffer.from(HEAD), sheetRows(3.5 * 1024 * 1024), Buffer.from(TAIL)]);
    const bytes = async (background: boolean) => {
      const writer = new PackageWriter(MODIFIED, 'CBS', { background });
      const sheet = fakeStream();
      writer.append(sheet.source, { name: 'xl/worksheets/sheet1.xml' });
      for (let at = 0; at < big.length; at += 65_536) {
        sheet.write(big.subarray(at, at + 65_536));
        await writer.catchUp();
      }
      sheet.end();
      writer.append(TYPES, { name: '[Content_Types].xml' });
      const finished = new Promise<void>((resolve, reject) => {
        writer.on('error', reject);
        writer.whenFinished(resolve);
      });
      writer.finalize();
      await finished;
      return writer.bytes();
    };
    expect((await bytes(true)).equals(await bytes(false))).toBe(true);
  });

  it('adds an Excel table: the part, its relationship, its content type and <tableParts> at the end of the sheet', () => {
    const parts = writePackage([xml], (w) =>
      w.addTable('xl/worksheets/sheet1.xml', {
        name: 'Tabel_1',
        ref: 'A1:C4',
        columns: ['Regio', 'Aantal <x>', 'Regio (code)'],
        style: 'TableStyleLight1',
      }),
    );
    expect(parts.get('xl/worksheets/sheet1.xml')).toMatch(
      /<pageSetup paperSize="9"\/><tableParts count="1"><tablePart r:id="rId1001"\/><\/tableParts><\/worksheet>$/,
    );
    expect(parts.get('xl/worksheets/_rels/sheet1.xml.rels')).toContain(
      '<Relationship Id="rId1001" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" Target="../tables/table1.xml"/>',
    );
    const table = parts.get('xl/tables/table1.xml') ?? '';
    expect(table).toContain('name="Tabel_1" displayName="Tabel_1" ref="A1:C4"');
    expect(table).toContain('<autoFilter ref="A1:C4"/>');
    expect(table).toContain('<tableColumns count="3"><tableColumn id="1" name="Regio"/><tableColumn id="2" name="Aantal &lt;x&gt;"/>');
    expect(parts.get('[Content_Types].xml')).toContain(
      '<Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/></Types>',
    );
    expect(parts.get('docProps/app.xml')).toBe('<Properties><Company>Centraal Bureau voor de Statistiek</Company></Properties>');
  });

  it('refuses to finish a package whose sheet was never committed', () => {
    const writer = new PackageWriter(MODIFIED, 'CBS');
    writer.append(fakeStream().source, { name: 'xl/worksheets/sheet1.xml' });
    writer.append(TYPES, { name: '[Content_Types].xml' });
    expect(() => writer.finalize()).toThrow(/sheet1\.xml was not committed/);
  });
});
