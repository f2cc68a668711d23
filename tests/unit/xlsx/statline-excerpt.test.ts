import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkbookTables, renderWorkbook } from '../../../src/render/xlsx/build-workbook.js';
import { checkFigures, EXAMPLE_2023, loadDataset, loadWorkbook, readRaw, textOf } from './workbook-reading.js';

/** Rows of the published StatLine table (Mensenhandel, 2023*), as the seed shows them. */
const SEED_ROWS: readonly [string, string, readonly (number | '.')[]][] = [
  ['Totaal', 'Nederland', [590, 545, 470, 60, 50]],
  ['Totaal', 'Noord-Nederland (LD)', [35, 35, 25, '.', '.']],
  ['Totaal', 'Fryslân (PV)', [15, '.', '.', '.', '.']],
  ['Totaal', 'Zeeland (PV)', ['.', '.', '.', '.', '.']],
  ['Totaal', 'Oost-Brabant (VT)', [70, 80, 70, 25, '.']],
  ['Kindermishandeling', 'Groningen (PV)', ['.', 10, '.', '.', '.']],
  ['Geweld tegen ouders', 'Utrecht (PV)', ['.', '.', 10, '.', '.']],
];

let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  const dataset = loadDataset(EXAMPLE_2023);
  workbook = await loadWorkbook(await renderWorkbook(dataset, { tables: defaultWorkbookTables(dataset), edition: 1 }));
});

describe('the workbook of the 2023 StatLine excerpt', () => {
  it('has one table sheet, without readable views that would show left-out combinations as "."', () => {
    expect(workbook.worksheets.map((ws) => ws.name)).toEqual([
      'Titelpagina',
      'Inhoud',
      'Verklaring van tekens',
      'Toelichting',
      'Tabel 1',
      'Tabel 1 (data)',
    ]);
  });

  it('shows every figure and every "." of the excerpt as the dataset gives it', () => {
    const ws = workbook.getWorksheet('Tabel 1') as ExcelJS.Worksheet;
    const table = readRaw(EXAMPLE_2023).tables[0];
    if (!table) throw new Error('no table');
    const result = checkFigures(ws, table, {
      tableId: table.id,
      rows: ['AardGeweld', 'AanvullendeInformatie', 'Regio'],
      columns: [],
      fixed: {},
    });
    expect(result.mismatches).toEqual([]);
    expect(result.checked).toBe(table.rows.length * 5);
    expect(result.symbols).toBe(table.rows.reduce((n, row) => n + table.measures.filter((m) => row[m.key] === '.').length, 0));
  });

  it('matches the rows of the published table, "." cells as text', () => {
    const ws = workbook.getWorksheet('Tabel 1') as ExcelJS.Worksheet;
    for (const [aard, region, figures] of SEED_ROWS) {
      let group = 0;
      let row = 0;
      for (let r = 1; r <= ws.rowCount && row === 0; r++) {
        const label = textOf(ws.getCell(r, 1));
        if (label === aard && (ws.getCell(r, 1).alignment?.indent ?? 0) === 0) group = r;
        if (group > 0 && label === region) row = r;
      }
      expect(row, `${aard} / ${region}`).toBeGreaterThan(0);
      const cells = figures.map((_, i) => ws.getCell(row, i + 2));
      expect(
        cells.map((c) => c.value),
        `${aard} / ${region}`,
      ).toEqual(figures);
      for (const c of cells) expect(c.type).toBe(typeof c.value === 'number' ? ExcelJS.ValueType.Number : ExcelJS.ValueType.String);
    }
  });

  it('titles the table with the year and its status mark', () => {
    const ws = workbook.getWorksheet('Tabel 1') as ExcelJS.Worksheet;
    expect(textOf(ws.getCell('A1'))).toBe('Huiselijk geweld; aard geweld, aanvullende informatie, Veilig Thuis-regio, 2023*');
  });

  it('gives the machine-readable table the excerpt rows only, with "." as text', () => {
    const ws = workbook.getWorksheet('Tabel 1 (data)') as ExcelJS.Worksheet;
    expect(ws.rowCount).toBe(1 + 100);
    const noordNederland = [...Array(ws.rowCount).keys()]
      .map((i) => ws.getRow(i + 1))
      .find((r) => textOf(r.getCell(3)) === 'Noord-Nederland (LD)');
    expect([5, 6, 7, 8, 9].map((c) => noordNederland?.getCell(c).value)).toEqual([35, 35, 25, '.', '.']);
    expect(noordNederland?.getCell(8).type).toBe(ExcelJS.ValueType.String);
  });
});
