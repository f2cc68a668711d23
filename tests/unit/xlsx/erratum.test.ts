import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, rowKey } from '../../../src/model/dataset.js';
import { formatNumber } from '../../../src/model/number-format.js';
import { type ChangedCellRow, defaultWorkbookTables, renderWorkbook } from '../../../src/render/xlsx/build-workbook.js';
import { EXAMPLE_2019, EXAMPLE_2019_FIRST, loadDataset, loadWorkbook, readRaw, textOf } from './workbook-reading.js';

/** The cells of the Kerncijfers that differ between the first and the corrected edition, keyed as the dataset diff keys them. */
function kerncijfersChanges(): ChangedCellRow[] {
  const first = readRaw(EXAMPLE_2019_FIRST).tables.find((t) => t.id === 'kerncijfers');
  const corrected = readRaw(EXAMPLE_2019).tables.find((t) => t.id === 'kerncijfers');
  if (!first || !corrected) throw new Error('no kerncijfers');
  const changes: ChangedCellRow[] = [];
  for (const row of corrected.rows) {
    const old = first.rows.find((r) => r.Regio === row.Regio && r.Perioden === row.Perioden);
    for (const m of corrected.measures) {
      if (old?.[m.key] === row[m.key]) continue;
      const region = corrected.dimensions[0]?.codes.find((c) => c.key === row.Regio)?.title ?? '';
      changes.push({
        tableId: 'kerncijfers',
        rowKey: rowKey([String(row.Regio), String(row.Perioden)]),
        columnKey: m.key,
        tableTitle: corrected.title,
        rowLabel: region,
        columnTitle: m.title,
        oldText: formatNumber(Number(old?.[m.key])),
        newText: formatNumber(Number(row[m.key])),
      });
    }
  }
  return changes;
}

let dataset: Dataset;
let changes: ChangedCellRow[];
let workbook: ExcelJS.Workbook;

/** A correction in the cube, keyed by the row and column of its default (long) view. */
const CUBE_CHANGE: ChangedCellRow = {
  tableId: 'huiselijk-geweld-aard-regio',
  rowKey: 'T001.T001.VT01',
  columnKey: 'GestarteAdviezen',
  tableTitle: 'Huiselijk geweld; aard geweld, aanvullende informatie, Veilig Thuis-regio',
  rowLabel: 'Totaal, Totaal, Amsterdam Amstelland (VT)',
  columnTitle: 'Gestarte adviezen',
  oldText: '2 407',
  newText: '2 470',
};

beforeAll(async () => {
  dataset = loadDataset(EXAMPLE_2019);
  changes = kerncijfersChanges();
  const bytes = await renderWorkbook(dataset, {
    tables: defaultWorkbookTables(dataset),
    edition: 2,
    correctedOn: '2020-04-28',
    erratum: { date: '2020-04-28', changedCells: [...changes, CUBE_CHANGE] },
  });
  workbook = await loadWorkbook(bytes);
});

function sheet(name: string): ExcelJS.Worksheet {
  const ws = workbook.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

function findRow(ws: ExcelJS.Worksheet, label: string, after = 1): number {
  for (let r = after; r <= ws.rowCount; r++) if (textOf(ws.getCell(r, 1)) === label) return r;
  throw new Error(`${ws.name}: no row "${label}"`);
}

function noteOf(cell: ExcelJS.Cell): string {
  const note = cell.note as unknown;
  if (typeof note === 'string') return note;
  if (note && typeof note === 'object' && 'texts' in note) return (note as { texts: { text: string }[] }).texts.map((t) => t.text).join('');
  return '';
}

describe('the workbook of a corrected edition', () => {
  it('adds an Erratum sheet after the contents that lists every changed cell with its old and new value', () => {
    expect(workbook.worksheets.map((ws) => ws.name).slice(0, 4)).toEqual(['Titelpagina', 'Inhoud', 'Erratum', 'Verklaring van tekens']);
    const ws = sheet('Erratum');
    expect(textOf(ws.getCell('A2'))).toBe('Datum: 28 april 2020');
    const header = findRow(ws, 'Blad');
    expect([2, 3, 4, 5, 6].map((c) => textOf(ws.getCell(header, c)))).toEqual(['Tabel', 'Rij', 'Kolom', 'Was', 'Wordt']);
    const listed = [];
    for (let r = header + 1; r <= ws.rowCount; r++) listed.push([1, 3, 4, 5, 6].map((c) => textOf(ws.getCell(r, c))));
    expect(listed).toHaveLength(changes.length + 1);
    expect(listed).toContainEqual(['Tabel 1', 'Totaal', 'Actieve casussen', '64\u00a0040', '73\u00a0820']);
    expect(listed.at(-1)).toEqual([
      'Tabel 8, Tabel 13, Tabel 18',
      'Totaal, Totaal, Amsterdam Amstelland (VT)',
      'Gestarte adviezen',
      '2 407',
      '2 470',
    ]);
  });

  it('marks a corrected figure with a sign and a note, keeping it a number', () => {
    const ws = sheet('Tabel 1');
    const row = findRow(ws, 'Totaal', 4);
    const cell = ws.getCell(row, 4);
    expect(cell.value).toBe(73820);
    expect(cell.type).toBe(ExcelJS.ValueType.Number);
    expect(cell.numFmt).toBe('# ##0" c)"');
    expect(noteOf(cell)).toBe('Gewijzigd op 28 april 2020: was 64\u00a0040');
    const unchanged = ws.getCell(row, 2);
    expect(unchanged.value).toBe(53080);
    expect(noteOf(unchanged)).toBe('');
    // A figure in a column with corrections reserves the mark's width, so the digits stay aligned.
    expect(unchanged.numFmt).toBe('# ##0_ _c_)');
  });

  it('explains the mark under the table and in the Verklaring van tekens', () => {
    const texts: string[] = [];
    sheet('Tabel 1').eachRow((row) => {
      texts.push(textOf(row.getCell(1)));
    });
    expect(texts).toContain(
      'c) Gecorrigeerd op 28 april 2020. De notitie bij het cijfer en het blad Erratum geven de oorspronkelijke waarde.',
    );
    const symbols: string[] = [];
    sheet('Verklaring van tekens').eachRow((row) => {
      symbols.push(textOf(row.getCell(1)));
    });
    expect(symbols).toContain('c)');
  });

  it('marks a corrected figure of a cube in every view that shows it', () => {
    for (const name of ['Tabel 8', 'Tabel 13']) {
      const ws = sheet(name);
      const cell = ws.getCell(findRow(ws, 'Amsterdam Amstelland (VT)', 4), 2);
      expect(noteOf(cell), name).toBe('Gewijzigd op 28 april 2020: was 2 407');
    }
    const long = sheet('Tabel 18');
    const cell = long.getCell(findRow(long, 'Amsterdam Amstelland (VT)', 4), 2);
    expect(noteOf(cell)).toBe('Gewijzigd op 28 april 2020: was 2 407');
    expect(cell.value).toBe(2470);
    // Only that figure: the same region in another column or breakdown is not marked.
    expect(noteOf(long.getCell(findRow(long, 'Amsterdam Amstelland (VT)', 4), 3))).toBe('');
    expect(noteOf(sheet('Tabel 9').getCell(findRow(sheet('Tabel 9'), 'Amsterdam Amstelland (VT)', 4), 2))).toBe('');
  });

  it('names the corrected edition and its date on the title page', () => {
    const texts: string[] = [];
    sheet('Titelpagina').eachRow((row) => {
      texts.push(`${textOf(row.getCell(1))}|${textOf(row.getCell(2))}`);
    });
    expect(texts).toContain('Editie|2');
    expect(texts).toContain('|Gecorrigeerde editie van 28 april 2020 (zie het blad Erratum)');
    expect(workbook.modified.toISOString()).toBe('2020-04-28T00:00:00.000Z');
    expect(workbook.created.toISOString()).toBe('2020-01-30T00:00:00.000Z');
  });

  it('refuses a malformed correction date', async () => {
    await expect(renderWorkbook(dataset, { tables: [], edition: 2, correctedOn: '28-04-2020' })).rejects.toMatchObject({
      code: 'ERRATUM_INVALID',
    });
  });
});
