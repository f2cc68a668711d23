import { describe, expect, it } from 'vitest';
import { rowKey } from '../../../src/model/dataset.js';
import { diffDatasets } from '../../../src/render/errata/dataset-diff.js';
import { isCorrection, toErratumChanges } from '../../../src/render/errata/erratum-changes.js';
import { readExample } from './make-dataset.js';

describe('toErratumChanges', () => {
  const before = readExample('dataset.json');
  const after = readExample('dataset-gecorrigeerd.json');
  const changes = toErratumChanges(diffDatasets(before, after));
  const rows = changes.cells;

  it('lists for the seed the 34 corrections and the 21 figures that only moved with their region', () => {
    expect(rows.filter((r) => r.kind === 'value')).toHaveLength(31);
    expect(rows.filter((r) => r.kind === 'moved-value')).toHaveLength(3);
    expect(rows.filter((r) => r.kind === 'moved')).toHaveLength(21);
    expect(new Set(rows.map((r) => r.tableTitle))).toEqual(new Set(['Kerncijfers per Veilig Thuis-regio']));
  });

  it('gives per row what the first version showed, what the corrected one shows and where a moved figure stood', () => {
    const find = (label: string, measure: string) => rows.find((r) => r.rowLabel === label && r.measureKey === measure);
    expect(find('Zuid-Limburg', 'ActieveCasussen')).toMatchObject({
      kind: 'value',
      rowCodes: { Regio: 'VT25', Perioden: '2019HJ01' },
      columnTitle: 'Actieve casussen',
      oldValue: { kind: 'value', value: 2500 },
      shownValue: { kind: 'value', value: 2500 },
      newValue: { kind: 'value', value: 5895 },
      movedFromLabel: undefined,
      decimals: 0,
    });
    expect(find('Noord en Oost Gelderland', 'ActieveCasussen')).toMatchObject({
      kind: 'moved-value',
      shownValue: { kind: 'value', value: 1690 },
      oldValue: { kind: 'value', value: 1745 },
      newValue: { kind: 'value', value: 2020 },
      movedFromLabel: 'Noord- en Midden Limburg',
    });
    expect(find('Noord en Oost Gelderland', 'Overdrachten')).toMatchObject({
      kind: 'moved',
      columnTitle: 'Overdrachten',
      shownValue: { kind: 'value', value: 455 },
      newValue: { kind: 'value', value: 1250 },
    });
    expect(find('Gelderland-Zuid', 'GestarteCasussen')).toBeUndefined();
  });

  it('names the swap of the two regions once, with the codes of both', () => {
    expect(changes.relocations).toEqual([
      expect.objectContaining({
        tableId: 'kerncijfers',
        kind: 'swap',
        dimensionKey: 'Regio',
        fromTitle: 'Noord en Oost Gelderland',
        toTitle: 'Noord- en Midden Limburg',
      }),
    ]);
    expect(rows.filter(isCorrection)).toHaveLength(34);
    expect(rows[0]?.rowKey).toBe(rowKey(['NL01', '2019HJ01']));
  });

  it('keeps row then column order', () => {
    const labels = rows.map((r) => r.rowLabel).filter((l, i, all) => all.indexOf(l) === i);
    expect(labels.slice(0, 3)).toEqual(['Totaal', 'Amsterdam Amstelland', 'Brabant-Noordoost']);
    const swapped = rows.filter((r) => r.rowLabel === 'Noord en Oost Gelderland').map((r) => r.measureKey);
    expect(swapped).toEqual(after.tables[0]?.measures.map((m) => m.key));
  });
});
