// Direct tests of the table model (src/render/tables/table-model.ts), the one layout of a table that
// the PDF and the workbook both draw from: every figure from the dataset, in its place.
import { describe, expect, it } from 'vitest';
import { type Cell, type DataTable, type Dataset, rowKey } from '../../../src/model/dataset.js';
import { buildTableModel, cellCoordinateKey, periodRange, type TableModel } from '../../../src/render/tables/table-model.js';
import { errorOf } from '../../helpers/errors.js';
import { EXAMPLES, loadExample, readExampleJson, seedKerncijfers, toDataset } from '../../helpers/examples.js';

function tableOf(dataset: Dataset, id: string): DataTable {
  const table = dataset.tables.find((t) => t.id === id);
  if (!table) throw new Error(`no table ${id}`);
  return table;
}

/** Every data cell of a model beside the dataset's cell under the same codes. */
function cellsBesideDataset(model: TableModel, table: DataTable): { shown: Cell; stored: Cell | undefined }[] {
  const order = table.dimensions.map((d) => d.key);
  return model.rows
    .filter((row) => row.kind === 'data')
    .flatMap((row) =>
      model.columns.map((column, ci) => {
        const at = table.rowIndex.get(cellCoordinateKey(model, order, row, column));
        const measure = table.measures.findIndex((m) => m.key === column.measure.key);
        return { shown: row.cells[ci] as Cell, stored: at === undefined ? undefined : table.rows[at]?.cells[measure] };
      }),
    );
}

describe('the Kerncijfers table of the 2019 example', () => {
  const dataset = loadExample(EXAMPLES.corrected);
  const table = tableOf(dataset, 'kerncijfers');
  const model = buildTableModel(dataset, table, { stubHeader: '' });

  it('holds the figures of the seed, region by region, in the seed order of the columns', () => {
    const seed = seedKerncijfers();
    expect(seed.size).toBe(27);
    const rows = model.rows.filter((r) => r.kind === 'data');
    expect(rows.map((r) => r.label)).toEqual([...seed.keys()]);
    for (const row of rows)
      expect(
        row.cells.map((c) => (c.kind === 'value' ? c.value : c.symbol)),
        row.label,
      ).toEqual(seed.get(row.label));
  });

  it('marks the Totaal row alone as a total, and names the period with its status mark', () => {
    expect(model.rows.filter((r) => r.total).map((r) => [r.label, r.codes])).toEqual([['Totaal', { Regio: 'NL01' }]]);
    expect(model.rows.every((r) => r.kind === 'data' && r.depth === 0)).toBe(true);
    expect([model.title, model.periodTitle, model.statusMark, model.commonUnit]).toEqual([
      'Kerncijfers[^1] per Veilig Thuis-regio',
      '1e halfjaar van 2019',
      '*',
      'aantal',
    ]);
    expect(model.fixed).toEqual({ Perioden: '2019HJ01' });
  });

  it('puts each "waarvan" under its parent: the parent spans three columns, a measure without parts two header rows', () => {
    expect(model.columns.map((c) => c.key)).toEqual(table.measures.map((m) => m.key));
    expect(model.columns[3]?.flatTitle).toBe('Actieve casussen waarvan gestart');
    const [top, sub] = model.headerRows;
    expect(model.headerRows).toHaveLength(2);
    expect(top?.map((c) => [c.text, c.column, c.colSpan, c.rowSpan])).toEqual([
      ['Gestarte adviezen', 0, 1, 2],
      ['Ontvangen meldingen', 1, 1, 2],
      ['Actieve casussen', 2, 3, 1],
      ['Actieve diensten onderzoek', 5, 3, 1],
      ['Actieve diensten Voorwaarden en Vervolg', 8, 3, 1],
      ['Overdrachten[^2]', 11, 1, 2],
    ]);
    expect(sub?.map((c) => [c.text, c.column])).toEqual([
      ['', 2],
      ['waarvan gestart', 3],
      ['waarvan gesloten', 4],
      ['', 5],
      ['waarvan gestart', 6],
      ['waarvan gesloten', 7],
      ['', 8],
      ['waarvan gestart', 9],
      ['waarvan gesloten', 10],
    ]);
  });

  it('keeps "." and blank apart from each other and from numbers, 0 included', () => {
    const raw = readExampleJson(EXAMPLES.corrected);
    const rows = (raw.tables[0] as { rows: Record<string, unknown>[] }).rows;
    Object.assign(rows[1] ?? {}, { GestarteAdviezen: '.', OntvangenMeldingen: '', ActieveCasussen: 0 });
    const changed = toDataset(raw);
    const row = buildTableModel(changed, tableOf(changed, 'kerncijfers')).rows[1];
    expect(row?.label).toBe('Amsterdam Amstelland');
    expect(row?.cells.slice(0, 4)).toEqual([
      { kind: 'symbol', symbol: '.' },
      { kind: 'symbol', symbol: '' },
      { kind: 'value', value: 0 },
      { kind: 'value', value: 4735 },
    ]);
  });
});

describe('a table of four dimensions: Huiselijk geweld by aard, aanvullende informatie and region', () => {
  const dataset = loadExample(EXAMPLES.corrected);
  const table = tableOf(dataset, 'huiselijk-geweld-aard-regio');

  it('lays out every dimension in the rows by default, with a group heading where an outer code changes', () => {
    const model = buildTableModel(dataset, table);
    const data = model.rows.filter((r) => r.kind === 'data');
    const groups = model.rows.filter((r) => r.kind === 'group');
    expect(data).toHaveLength(8 * 9 * 43);
    expect(groups).toHaveLength(8 + 8 * 9);
    expect(model.rows.slice(0, 3).map((r) => [r.kind, r.depth, r.label, r.total])).toEqual([
      ['group', 0, 'Totaal', true],
      ['group', 1, 'Totaal', true],
      ['data', 2, 'Nederland', true],
    ]);
    // Totals: only the rows whose every code is a total (Totaal, Totaal, Nederland).
    expect(data.filter((r) => r.total).map((r) => r.codes)).toEqual([{ AardGeweld: 'T001', AanvullendeInformatie: 'T001', Regio: 'NL01' }]);
    const pairs = cellsBesideDataset(model, table);
    expect(pairs).toHaveLength(3096 * 5);
    for (const { shown, stored } of pairs) expect(shown).toEqual(stored);
    expect(pairs.filter((p) => p.shown.kind === 'symbol' && p.shown.symbol === '.').length).toBe(9942);
  });

  it('puts a dimension across and fixes another: each figure still comes from its own cell', () => {
    const model = buildTableModel(dataset, table, {
      columns: ['AardGeweld'],
      fixed: { AanvullendeInformatie: 'I001' },
      measures: ['GestarteAdviezen'],
    });
    expect(model.title).toBe('Huiselijk geweld; aard geweld, aanvullende informatie, Veilig Thuis-regio (Conflictscheiding)');
    expect(model.columns).toHaveLength(8);
    // One measure across a dimension: the measure is in the title, the header has the codes only.
    expect(model.headerRows).toHaveLength(1);
    expect(model.headerRows[0]?.map((c) => c.text)).toEqual(table.dimensions[0]?.codes.map((c) => c.title));
    expect(model.rows.map((r) => r.label)).toEqual(table.dimensions[2]?.codes.map((c) => c.title));
    const pairs = cellsBesideDataset(model, table);
    expect(pairs).toHaveLength(43 * 8);
    for (const { shown, stored } of pairs) expect(shown).toEqual(stored);
    const nederlandTotal = table.rows[table.rowIndex.get(rowKey(['T001', 'I001', 'NL01', '2019HJ01'])) ?? -1]?.cells[0];
    expect(model.rows[0]?.cells[0]).toEqual(nederlandTotal);
    expect(nederlandTotal?.kind).toBe('value');
  });

  it('shows a cell an excerpt lacks as ".", and leaves out rows it lacks entirely', () => {
    const raw = readExampleJson(EXAMPLES.corrected);
    const excerpt = raw.tables.find((t) => t.id === 'huiselijk-geweld-aard-regio') as {
      complete?: boolean;
      rows: Record<string, unknown>[];
    };
    excerpt.complete = false;
    // Kindermishandeling in Drenthe (VT) is missing; Zeeland (VT) is missing for every aard.
    excerpt.rows = excerpt.rows.filter(
      (r) => r.AanvullendeInformatie === 'T001' && !(r.AardGeweld === 'H001' && r.Regio === 'VT03') && r.Regio !== 'VT23',
    );
    const changed = toDataset(raw);
    const model = buildTableModel(changed, tableOf(changed, 'huiselijk-geweld-aard-regio'), {
      columns: ['AardGeweld'],
      fixed: { AanvullendeInformatie: 'T001' },
      measures: ['GestarteAdviezen'],
    });
    expect(model.rows.map((r) => r.label)).not.toContain('Zeeland (VT)');
    const drenthe = model.rows.find((r) => r.label === 'Drenthe (VT)');
    expect(drenthe?.cells[1]).toEqual({ kind: 'symbol', symbol: '.' });
    expect(drenthe?.cells[0]).toEqual(
      buildTableModel(dataset, table, {
        columns: ['AardGeweld'],
        fixed: { AanvullendeInformatie: 'T001' },
        measures: ['GestarteAdviezen'],
      }).rows.find((r) => r.label === 'Drenthe (VT)')?.cells[0],
    );
  });

  it('refuses a view that names what the table lacks, or leaves a dimension out, with the table named', () => {
    const cases: [Parameters<typeof buildTableModel>[2], RegExp][] = [
      [
        { columns: ['Geslacht'] },
        /table "huiselijk-geweld-aard-regio": the view puts "Geslacht" in the columns, but it is not a dimension/,
      ],
      [{ measures: ['Aangiften'] }, /the view asks for measure "Aangiften", which the table lacks/],
      [{ fixed: { Regio: 'VT99' } }, /dimension "Regio" has no code "VT99"/],
      [{ fixed: { Leeftijd: 'T001' } }, /the view fixes "Leeftijd", which is not a dimension/],
      [{ rows: ['Regio'], columns: ['AardGeweld'] }, /dimension "AanvullendeInformatie" is neither fixed, in the rows nor in the columns/],
    ];
    for (const [view, message] of cases) {
      const error = errorOf(() => buildTableModel(dataset, table, view));
      expect(error.code).toBe('TEMPLATE_INVALID');
      expect(error.message).toMatch(message);
    }
  });
});

describe('period ranges in titles', () => {
  it('joins years with an en dash, titles with words with a spaced one, and names one period once', () => {
    expect(periodRange('2019', '2023')).toBe('2019\u20132023');
    expect(periodRange('1e halfjaar 2020', '2e halfjaar 2020')).toBe('1e halfjaar 2020 \u2013 2e halfjaar 2020');
    expect(periodRange('2023', '2023')).toBe('2023');
  });
});
