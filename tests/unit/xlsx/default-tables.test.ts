import { describe, expect, it } from 'vitest';
import { defaultWorkbookTables } from '../../../src/render/xlsx/build-workbook.js';
import { EXAMPLE_2019, EXAMPLE_2023, loadDataset } from './workbook-reading.js';

describe('the tables an editor gets by default', () => {
  it('are every table of the 2019 example, with readable views of the cube before its long form', () => {
    const models = defaultWorkbookTables(loadDataset(EXAMPLE_2019));
    expect(models).toHaveLength(18);
    expect(models.slice(0, 7).map((m) => m.id)).toEqual([
      'kerncijfers',
      'adviezen-adviesvrager',
      'meldingen-melder',
      'veiligheidsbeoordelingen',
      'veiligheidstaxatie',
      'onderzoek-uitkomst',
      'overdrachten-partij',
    ]);
    expect(models.at(-1)?.id).toBe('huiselijk-geweld-aard-regio');
    expect(models.at(-1)?.rows.filter((r) => r.kind === 'data')).toHaveLength(3096);
  });

  it('show per measure the regions down and the categories of one breakdown across, the other at its total', () => {
    const models = defaultWorkbookTables(loadDataset(EXAMPLE_2019));
    const byAard = models[7];
    expect(byAard?.id).toBe('huiselijk-geweld-aard-regio--GestarteAdviezen-AardGeweld');
    expect(byAard?.title).toBe("Gestarte adviezen naar aard van het geweld en regio's");
    expect(byAard?.columns.map((c) => c.codes.AardGeweld)).toEqual(['T001', 'H001', 'H002', 'H003', 'H004', 'H005', 'H006', 'H007']);
    expect(byAard?.rows).toHaveLength(43);
    expect(byAard?.rows[0]?.label).toBe('Nederland');
    expect(byAard?.rows[0]?.cells[0]).toEqual({ kind: 'value', value: 53080 });
    const byExtra = models[12];
    expect(byExtra?.title).toBe("Gestarte adviezen naar aanvullende informatie en regio's");
    expect(byExtra?.columns).toHaveLength(9);
  });

  it('keep an excerpt to its own rows: no views that would need left-out combinations', () => {
    const models = defaultWorkbookTables(loadDataset(EXAMPLE_2023));
    expect(models.map((m) => m.id)).toEqual(['huiselijk-geweld-aard-regio']);
  });
});
