import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, rowKey } from '../../../src/model/dataset.js';
import { diffDatasets } from '../../../src/render/errata/dataset-diff.js';
import { type ErratumChanges, toErratumChanges } from '../../../src/render/errata/erratum-changes.js';
import { defaultWorkbookTables, renderWorkbook } from '../../../src/render/xlsx/build-workbook.js';
import { correctedCell, EXAMPLE_2019, EXAMPLE_2019_FIRST, loadDataset, loadWorkbook, textOf } from './workbook-reading.js';

let dataset: Dataset;
let changes: ErratumChanges;
let workbook: ExcelJS.Workbook;

/** A correction in the cube, in dataset coordinates. */
const CUBE_CHANGE = correctedCell({
  tableId: 'huiselijk-geweld-aard-regio',
  tableTitle: 'Huiselijk geweld; aard geweld, aanvullende informatie, Veilig Thuis-regio',
  rowKey: rowKey(['T001', 'T001', 'VT01', '2019HJ01']),
  rowCodes: { AardGeweld: 'T001', AanvullendeInformatie: 'T001', Regio: 'VT01', Perioden: '2019HJ01' },
  rowLabel: 'Totaal, Totaal, Amsterdam Amstelland (VT)',
  measureKey: 'GestarteAdviezen',
  columnTitle: 'Gestarte adviezen',
  oldValue: { kind: 'value', value: 2407 },
  shownValue: { kind: 'value', value: 2407 },
  newValue: { kind: 'value', value: 2470 },
});

beforeAll(async () => {
  dataset = loadDataset(EXAMPLE_2019);
  const seedChanges = toErratumChanges(diffDatasets(loadDataset(EXAMPLE_2019_FIRST), dataset));
  changes = { relocations: seedChanges.relocations, cells: [...seedChanges.cells, CUBE_CHANGE] };
  const bytes = await renderWorkbook(dataset, {
    tables: defaultWorkbookTables(dataset),
    edition: 2,
    correctedOn: '2020-04-28',
    erratum: { date: '2020-04-28', changes },
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
  it('adds an Erratum sheet after the contents that tells what the PDF tells: the swap once, then the 34 corrections', () => {
    expect(workbook.worksheets.map((ws) => ws.name).slice(0, 4)).toEqual(['Titelpagina', 'Inhoud', 'Erratum', 'Verklaring van tekens']);
    const ws = sheet('Erratum');
    expect(textOf(ws.getCell('A2'))).toBe('Datum: 28 april 2020');
    expect(textOf(ws.getCell('A5'))).toBe(
      'In deze gecorrigeerde editie is een verwisseling van twee namen hersteld en zijn 35 cijfers gecorrigeerd. In de tabellen staat achter een gecorrigeerd cijfer het teken \u2020, met de oorspronkelijke waarde in een notitie bij de cel.',
    );
    const header = findRow(ws, 'Blad');
    expect([2, 3, 4, 5, 6].map((c) => textOf(ws.getCell(header, c)))).toEqual(['Tabel', 'Rij', 'Kolom', 'Was', 'Wordt']);
    const listed: string[][] = [];
    for (let r = header + 1; r <= ws.rowCount; r++) listed.push([1, 3, 4, 5, 6].map((c) => textOf(ws.getCell(r, c))));
    // One entry for the swap, 34 corrections of the seed, one of the cube; no row for a figure that only moved.
    expect(listed).toHaveLength(1 + 34 + 1);
    expect(listed[0]?.slice(0, 4)).toEqual([
      'Tabel 1',
      'Noord en Oost Gelderland en Noord- en Midden Limburg',
      'alle kolommen',
      'Namen verwisseld: de cijfers van de een stonden bij de naam van de ander.',
    ]);
    expect(listed).toContainEqual(['Tabel 1', 'Totaal', 'Actieve casussen', '64040', '73820']);
    expect(listed).toContainEqual([
      'Tabel 1',
      'Noord en Oost Gelderland (stond bij Noord- en Midden Limburg)',
      'Actieve casussen',
      '1745',
      '2020',
    ]);
    expect(listed.at(-1)).toEqual([
      'Tabel 8, Tabel 13, Tabel 18',
      'Totaal, Totaal, Amsterdam Amstelland (VT)',
      'Gestarte adviezen',
      '2407',
      '2470',
    ]);
  });

  it("stores the Erratum sheet's figures as numbers with the tables' number format, and repeats its header on every printed page", () => {
    const ws = sheet('Erratum');
    const row = findRow(ws, 'Tabel 1', findRow(ws, 'Blad') + 2);
    const was = ws.getCell(row, 5);
    expect(was.type).toBe(ExcelJS.ValueType.Number);
    expect(was.numFmt).toBe('# ##0');
    expect(ws.getCell(row, 6).type).toBe(ExcelJS.ValueType.Number);
    expect(ws.pageSetup.printTitlesRow).toBe('7:7');
  });

  it('marks a corrected figure with a sign and a note, keeping it a number', () => {
    const ws = sheet('Tabel 1');
    const row = findRow(ws, 'Totaal', 4);
    const cell = ws.getCell(row, 4);
    expect(cell.value).toBe(73820);
    expect(cell.type).toBe(ExcelJS.ValueType.Number);
    expect(cell.numFmt).toBe('# ##0" \u2020"');
    expect(noteOf(cell)).toBe('Gecorrigeerd op 28 april 2020: was 64\u00a0040');
    const unchanged = ws.getCell(row, 2);
    expect(unchanged.value).toBe(53080);
    expect(noteOf(unchanged)).toBe('');
    expect(unchanged.numFmt).toBe('# ##0');
    // A figure in a column with corrections reserves the mark's width, so the digits stay aligned.
    const twente = ws.getCell(findRow(ws, 'Overijssel regio Twente', 4), 4);
    expect(twente.value).toBe(1310);
    expect(twente.numFmt).toBe('# ##0_ _\u2020');
    // A figure that only moved with its swapped region is not marked.
    const moved = ws.getCell(findRow(ws, 'Noord en Oost Gelderland', 4), 2);
    expect(noteOf(moved)).toBe('');
  });

  it('explains the mark under the table and in the Verklaring van tekens', () => {
    const texts: string[] = [];
    sheet('Tabel 1').eachRow((row) => {
      texts.push(textOf(row.getCell(1)));
    });
    expect(texts).toContain(
      '\u2020 Gecorrigeerd cijfer (28 april 2020). De notitie bij het cijfer en het blad Erratum geven de oorspronkelijke waarde.',
    );
    const symbols: string[] = [];
    sheet('Verklaring van tekens').eachRow((row) => {
      symbols.push(textOf(row.getCell(1)));
    });
    expect(symbols).toContain('\u2020');
  });

  it('marks a corrected figure of a cube in every view that shows it', () => {
    for (const name of ['Tabel 8', 'Tabel 13']) {
      const ws = sheet(name);
      const cell = ws.getCell(findRow(ws, 'Amsterdam Amstelland (VT)', 4), 2);
      expect(noteOf(cell), name).toBe('Gecorrigeerd op 28 april 2020: was 2\u00a0407');
    }
    const long = sheet('Tabel 18');
    const cell = long.getCell(findRow(long, 'Amsterdam Amstelland (VT)', 4), 2);
    expect(noteOf(cell)).toBe('Gecorrigeerd op 28 april 2020: was 2\u00a0407');
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
