import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { type Dataset, parseDatasetText, rowKey, toPlainTitle } from '../../../src/model/dataset.js';
import type { ChangedCell } from '../../../src/render/errata/erratum-changes.js';
import { readZip } from '../../../src/render/xlsx/zip-package.js';

/** The project root, from this folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const EXAMPLE_2019 = path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/dataset-gecorrigeerd.json');
export const EXAMPLE_2019_FIRST = path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/dataset.json');
export const EXAMPLE_2023 = path.join(ROOT, 'examples/statline-2023-mensenhandel/dataset.json');

/** A dataset file as plain JSON, for lookups that do not go through the model. */
export interface RawTable {
  id: string;
  title: string;
  dimensions: { key: string; title: string; kind: string; codes: { key: string; title: string }[] }[];
  measures: { key: string; title: string; unit: string; parent?: string }[];
  rows: Record<string, string | number>[];
}

export function readRaw(file: string): { publication: Record<string, unknown>; tables: RawTable[] } {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function loadDataset(file: string): Dataset {
  return parseDatasetText(readFileSync(file, 'utf8'), path.basename(file));
}

export async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its Buffer as an ArrayBuffer; a Node Buffer is what it reads at run time.
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

/** The XML parts of a package by name. */
export function packageParts(bytes: Buffer): Map<string, string> {
  return new Map(readZip(bytes).map((e) => [e.name, e.data.toString('utf8')]));
}

/** The XML of each sheet by sheet name, found through workbook.xml and its relationships. */
export function sheetXmlByName(bytes: Buffer): Map<string, { xml: string; rels: string | undefined }> {
  const parts = packageParts(bytes);
  const workbook = parts.get('xl/workbook.xml') ?? '';
  const rels = parts.get('xl/_rels/workbook.xml.rels') ?? '';
  const targets = new Map([...rels.matchAll(/<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const out = new Map<string, { xml: string; rels: string | undefined }>();
  for (const m of workbook.matchAll(/<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"/g)) {
    const target = targets.get(m[2] ?? '') ?? '';
    const file = `xl/${target.replace(/^\/?xl\//, '')}`;
    const name = decodeXml(m[1] ?? '');
    const relsFile = file.replace(/worksheets\/(sheet\d+\.xml)$/, 'worksheets/_rels/$1.rels');
    out.set(name, { xml: parts.get(file) ?? '', rels: parts.get(relsFile) });
  }
  return out;
}

export function decodeXml(text: string): string {
  return text
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text of a cell as a string (merged cells give their master's text). */
export function textOf(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  return String(value);
}

/** How a sheet of the workbook lays out one dataset table, as the test expects it. */
export interface SheetSpec {
  readonly tableId: string;
  /** Dimensions down the side, outer first (the depth of a row label says which). */
  readonly rows: readonly string[];
  /** Dimensions across, outer first. */
  readonly columns: readonly string[];
  /** The measure when a sheet shows only one (it is then named in the title, not the header). */
  readonly measure?: string;
  /** Codes of the dimensions that are neither rows nor columns. */
  readonly fixed: Readonly<Record<string, string>>;
}

/** The cells of one table sheet checked against the dataset. */
export interface FigureCheck {
  readonly checked: number;
  readonly mismatches: string[];
  readonly symbols: number;
}

function findCode(table: RawTable, dimKey: string, label: string): string | undefined {
  const dim = table.dimensions.find((d) => d.key === dimKey);
  return dim?.codes.find((c) => toPlainTitle(c.title) === label)?.key;
}

/**
 * Reads a table sheet as a reader would (header texts, indented row labels) and compares every
 * figure with the dataset's own rows, found by the code titles the sheet shows.
 */
export function checkFigures(ws: ExcelJS.Worksheet, table: RawTable, spec: SheetSpec): FigureCheck {
  const mismatches: string[] = [];
  const unitRow = ws.views[0] && 'ySplit' in ws.views[0] ? Number(ws.views[0].ySplit) : 0;
  let headerStart = 2;
  while (headerStart < unitRow && [...Array(ws.columnCount).keys()].every((i) => textOf(ws.getCell(headerStart, i + 2)) === ''))
    headerStart++;
  const headerRows = unitRow - headerStart;
  const lastColumn = (() => {
    let c = 2;
    while (textOf(ws.getCell(headerStart, c + 1)) !== '' || ws.getCell(headerStart, c + 1).isMerged) c++;
    return c;
  })();

  // Columns: code titles of the column dimensions, then the measure rows.
  const columns: { codes: Record<string, string>; measure: string }[] = [];
  for (let c = 2; c <= lastColumn; c++) {
    const texts = Array.from({ length: headerRows }, (_, h) => textOf(ws.getCell(headerStart + h, c)));
    const codes: Record<string, string> = {};
    spec.columns.forEach((dimKey, level) => {
      const code = findCode(table, dimKey, texts[level] ?? '');
      if (!code) mismatches.push(`${ws.name}: column ${c} header "${texts[level]}" is no code of ${dimKey}`);
      else codes[dimKey] = code;
    });
    const measureTexts = texts.slice(spec.columns.length);
    let measure: string | undefined;
    if (measureTexts.length === 0) measure = spec.measure;
    else {
      const [top = '', sub = top] = measureTexts;
      const plain = (t: string) => toPlainTitle(t);
      measure = table.measures.find((m) => {
        if (m.parent) {
          const parent = table.measures.find((p) => p.key === m.parent);
          return parent !== undefined && plain(parent.title) === top && plain(m.title) === sub;
        }
        return plain(m.title) === top && (sub === top || sub === '');
      })?.key;
    }
    if (!measure) mismatches.push(`${ws.name}: column ${c} header ${JSON.stringify(measureTexts)} is no measure`);
    columns.push({ codes, measure: measure ?? '' });
  }

  // Expected cells by all codes.
  const dimKeys = table.dimensions.map((d) => d.key);
  const index = new Map(table.rows.map((row) => [dimKeys.map((k) => row[k]).join('|'), row]));

  let checked = 0;
  let symbols = 0;
  const current: string[] = [];
  for (let r = unitRow + 1; r <= ws.rowCount; r++) {
    const label = textOf(ws.getCell(r, 1));
    if (label.startsWith('Bron: ')) break;
    const depth = ws.getCell(r, 1).alignment?.indent ?? 0;
    const dimKey = spec.rows[depth];
    const code = dimKey ? findCode(table, dimKey, label) : undefined;
    if (!dimKey || !code) {
      mismatches.push(`${ws.name}: row ${r} label "${label}" at depth ${depth} is no code`);
      continue;
    }
    current[depth] = code;
    current.length = depth + 1;
    if (depth < spec.rows.length - 1) continue;
    columns.forEach((column, ci) => {
      const cell = ws.getCell(r, ci + 2);
      const codes: Record<string, string> = { ...spec.fixed, ...column.codes };
      spec.rows.forEach((k, d) => {
        codes[k] = current[d] ?? '';
      });
      for (const dim of table.dimensions) if (!codes[dim.key] && dim.codes.length === 1) codes[dim.key] = dim.codes[0]?.key ?? '';
      const row = index.get(dimKeys.map((k) => codes[k]).join('|'));
      const expected = row?.[column.measure];
      checked++;
      if (typeof expected === 'number') {
        if (cell.value !== expected) mismatches.push(`${ws.name}!${cell.address}: ${JSON.stringify(cell.value)}, dataset ${expected}`);
      } else if (expected === '.' || expected === '') {
        symbols++;
        if (cell.value !== expected || cell.type !== ExcelJS.ValueType.String) {
          mismatches.push(`${ws.name}!${cell.address}: ${JSON.stringify(cell.value)} (type ${cell.type}), dataset symbol "${expected}"`);
        }
      } else mismatches.push(`${ws.name}!${cell.address}: no dataset cell for ${JSON.stringify(codes)} ${column.measure}`);
    });
  }
  return { checked, mismatches, symbols };
}

/** A corrected figure in dataset coordinates: the Totaal of actieve casussen of the Kerncijfers (64 040 → 73 820) unless overridden. */
export function correctedCell(overrides: Partial<ChangedCell> = {}): ChangedCell {
  return {
    tableId: 'kerncijfers',
    tableTitle: 'Kerncijfers per Veilig Thuis-regio',
    rowKey: rowKey(['NL01', '2019HJ01']),
    rowCodes: { Regio: 'NL01', Perioden: '2019HJ01' },
    rowLabel: 'Totaal',
    measureKey: 'ActieveCasussen',
    columnTitle: 'Actieve casussen',
    kind: 'value',
    oldValue: { kind: 'value', value: 64040 },
    shownValue: { kind: 'value', value: 64040 },
    newValue: { kind: 'value', value: 73820 },
    movedFromKey: undefined,
    movedFromLabel: undefined,
    decimals: 0,
    ...overrides,
  };
}
