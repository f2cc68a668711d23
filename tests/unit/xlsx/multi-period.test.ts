import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../../src/model/dataset.js';
import { defaultWorkbookTables, renderWorkbook } from '../../../src/render/xlsx/build-workbook.js';
import { loadWorkbook } from './workbook-reading.js';

/** A small cube over three periods: regions × periods, one measure. */
function cube() {
  const periods = [
    { key: '2018JJ00', title: '2018' },
    { key: '2019JJ00', title: '2019', status: 'voorlopig' as const },
    { key: '2020JJ00', title: '2020', status: 'voorlopig' as const },
  ];
  const regions = [
    { key: 'NL01', title: 'Nederland', level: 'nederland' as const },
    { key: 'VT01', title: 'Drenthe', level: 'veilig-thuis-regio' as const },
  ];
  return parseDataset({
    formatVersion: 1,
    publication: {
      id: 'reeks',
      template: 'statline-tabel',
      title: 'Reeks',
      period: { key: '2020JJ00', title: '2020' },
      status: 'voorlopig',
      publicationDate: '2021-04-01',
    },
    tables: [
      {
        id: 'reeks',
        title: 'Gestarte adviezen per jaar',
        dimensions: [
          { key: 'Regio', title: "Regio's", kind: 'geo', codes: regions },
          { key: 'Perioden', title: 'Perioden', kind: 'time', codes: periods },
        ],
        measures: [{ key: 'GestarteAdviezen', title: 'Gestarte adviezen', unit: 'aantal', decimals: 0 }],
        rows: regions.flatMap((r, ri) =>
          periods.map((p, pi) => ({ Regio: r.key, Perioden: p.key, GestarteAdviezen: 1000 * (ri + 1) + pi })),
        ),
      },
    ],
  });
}

describe('a cube over several periods', () => {
  it('shows every period in the workbook, with the range in the title', async () => {
    const dataset = cube();
    const models = defaultWorkbookTables(dataset);
    const long = models.find((m) => m.id === 'reeks');
    expect(long?.periodTitle).toBe('2018–2020');
    expect(long?.rows.filter((r) => r.kind === 'data')).toHaveLength(6);
    const workbook = await loadWorkbook(await renderWorkbook(dataset, { tables: models, edition: 1 }));
    const values: number[] = [];
    for (const ws of workbook.worksheets) {
      if (!String(ws.getCell('A1').value ?? '').startsWith('Gestarte adviezen per jaar')) continue;
      expect(String(ws.getCell('A1').value)).toContain('2018–2020');
      ws.eachRow((row) => {
        const v = row.getCell(2).value;
        if (typeof v === 'number') values.push(v);
      });
    }
    expect(values.sort((a, b) => a - b)).toEqual([1000, 1001, 1002, 2000, 2001, 2002]);
  });
});
