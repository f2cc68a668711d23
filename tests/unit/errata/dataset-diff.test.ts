import { describe, expect, it } from 'vitest';
import { type Cell, type Dataset, parseDataset } from '../../../src/model/dataset.js';
import { type DatasetDiff, diffDatasets, type TableDiff } from '../../../src/render/errata/dataset-diff.js';
import { FOUR_REGIONS, makeDataset, readExample, readProjectFile, type TableSpec } from './make-dataset.js';

/** One table of the seed erratum: row label → the twelve figures, in the order of the columns. */
type SeedTable = Map<string, number[]>;

/** Reads the "foutieve versie" and "gecorrigeerde versie" tables from the seed's erratum (tab-separated). */
function readSeedTables(): { wrong: SeedTable; corrected: SeedTable } {
  const text = readProjectFile('tests/fixtures/seed-erratum-kerncijfers.txt');
  const at = text.indexOf('gecorrigeerde versie');
  const parse = (part: string): SeedTable => {
    const table: SeedTable = new Map();
    for (const line of part.split('\n')) {
      const fields = line.split('\t').map((f) => f.replace(/<\/?b>/g, '').trim());
      const figures = fields.slice(1);
      if (figures.length !== 12 || !figures.every((f) => /^\d[\d ]*$/.test(f))) continue;
      table.set(
        fields[0] ?? '',
        figures.map((f) => Number(f.replace(/ /g, ''))),
      );
    }
    return table;
  };
  return { wrong: parse(text.slice(0, at)), corrected: parse(text.slice(at)) };
}

const SEED_SWAPPED = ['Noord en Oost Gelderland', 'Noord- en Midden Limburg'] as const;

function figureOf(cell: Cell | undefined): number | string {
  if (!cell) return 'missing';
  return cell.kind === 'value' ? cell.value : cell.symbol;
}

function kerncijfersOf(diff: DatasetDiff): TableDiff {
  const table = diff.tables.find((t) => t.id === 'kerncijfers');
  if (!table) throw new Error('kerncijfers is not in the diff');
  return table;
}

/** The figures of the dataset's kerncijfers table by region title, in measure order. */
function figuresByTitle(dataset: Dataset): SeedTable {
  const table = dataset.tables.find((t) => t.id === 'kerncijfers');
  const regions = table?.dimensions.find((d) => d.key === 'Regio');
  const out: SeedTable = new Map();
  for (const row of table?.rows ?? []) {
    const title = regions?.codes.find((c) => c.key === row.codes[0])?.title ?? '';
    out.set(
      title,
      row.cells.map((c) => (c.kind === 'value' ? c.value : Number.NaN)),
    );
  }
  return out;
}

describe('diffDatasets on the seed erratum of 28 April 2020', () => {
  const before = readExample('dataset.json');
  const after = readExample('dataset-gecorrigeerd.json');
  const diff = diffDatasets(before, after);
  const seed = readSeedTables();
  const measureKeys = after.tables.find((t) => t.id === 'kerncijfers')?.measures.map((m) => m.key) ?? [];

  it('reads the same figures from the example datasets as the seed prints (a check on the fixture)', () => {
    expect(seed.wrong.size).toBe(27);
    expect(seed.corrected.size).toBe(27);
    expect(figuresByTitle(before)).toEqual(seed.wrong);
    expect(figuresByTitle(after)).toEqual(seed.corrected);
  });

  it('when the corrected dataset swaps two region names, the diff reports exactly one swap naming both', () => {
    const table = kerncijfersOf(diff);
    expect(table.relocations).toHaveLength(1);
    const [swap] = table.relocations;
    expect(swap?.kind).toBe('swap');
    expect(swap?.dimension.key).toBe('Regio');
    expect([swap?.from.key, swap?.to.key]).toEqual(['VT15', 'VT16']);
    expect([swap?.from.title, swap?.to.title]).toEqual([...SEED_SWAPPED]);
  });

  it('finds every corrected figure of the seed, relative to the swapped rows, and no unchanged one', () => {
    // Expected, independently from the seed's two printed tables: the wrong version's row of the
    // other name for the two swapped regions, the row of the same name otherwise.
    const partner = (label: string): string =>
      label === SEED_SWAPPED[0] ? SEED_SWAPPED[1] : label === SEED_SWAPPED[1] ? SEED_SWAPPED[0] : label;
    const expected: string[] = [];
    for (const [label, figures] of seed.corrected) {
      const old = seed.wrong.get(partner(label)) ?? [];
      figures.forEach((value, i) => {
        if (old[i] !== value) expected.push(`${label} | ${measureKeys[i]} | ${old[i]} -> ${value}`);
      });
    }
    const found = kerncijfersOf(diff).changedCells.map(
      (c) => `${c.row.label} | ${c.measure.key} | ${figureOf(c.oldValue)} -> ${figureOf(c.newValue)}`,
    );
    expect(expected).toHaveLength(34);
    expect(found).toEqual(expected);
  });

  it('marks the corrections inside the swapped rows as moved-value, with the row they came from', () => {
    const moved = kerncijfersOf(diff).changedCells.filter((c) => c.kind === 'moved-value');
    expect(moved.map((c) => [c.row.label, c.measure.key, c.movedFrom?.label, figureOf(c.shownValue)])).toEqual([
      ['Noord en Oost Gelderland', 'ActieveCasussen', 'Noord- en Midden Limburg', 1690],
      ['Noord en Oost Gelderland', 'ActieveDienstenVoorwaardenEnVervolg', 'Noord- en Midden Limburg', 55],
      ['Noord- en Midden Limburg', 'ActieveCasussen', 'Noord en Oost Gelderland', 1745],
    ]);
    const others = kerncijfersOf(diff).changedCells.filter((c) => c.kind === 'value');
    expect(others.every((c) => c.movedFrom === undefined && !SEED_SWAPPED.includes(c.row.label as never))).toBe(true);
  });

  it('lists the figures that only moved with their row separately from the corrections', () => {
    const table = kerncijfersOf(diff);
    expect(table.movedCells).toHaveLength(21);
    for (const cell of table.movedCells) {
      expect(cell.kind).toBe('moved');
      expect(cell.oldValue).toEqual(cell.newValue);
      expect(cell.shownValue).not.toEqual(cell.newValue);
    }
  });

  it('names the columns of Kerncijfers that stayed the same once the swap is accounted for', () => {
    const table = kerncijfersOf(diff);
    expect(table.unchangedMeasures.map((m) => m.key)).toEqual([
      'GestarteAdviezen',
      'OntvangenMeldingen',
      'GestarteCasussen',
      'GeslotenCasussen',
      'GestarteDienstenOnderzoek',
      'GeslotenDienstenOnderzoek',
      'GestarteDienstenVoorwaardenEnVervolg',
      'GeslotenDienstenVoorwaardenEnVervolg',
      'Overdrachten',
    ]);
    expect(table.changedMeasures.map((m) => m.key)).toEqual([
      'ActieveCasussen',
      'ActieveDienstenOnderzoek',
      'ActieveDienstenVoorwaardenEnVervolg',
    ]);
    expect(table.unchangedMeasures.find((m) => m.key === 'GestarteCasussen')?.columnTitle).toBe('Actieve casussen, waarvan gestart');
    expect(table.unchangedMeasures.find((m) => m.key === 'Overdrachten')?.columnTitle).toBe('Overdrachten');
  });

  it('reports no other difference: the other seven tables are unchanged and nothing was added or removed', () => {
    expect(diff.identical).toBe(false);
    expect(diff.tables.map((t) => t.id)).toEqual(['kerncijfers']);
    expect(diff.unchangedTables).toHaveLength(7);
    const table = kerncijfersOf(diff);
    expect(table.oldTitle).toBeUndefined();
    expect(table.dimensions).toEqual([]);
    expect([table.addedRows, table.removedRows, table.addedMeasures, table.removedMeasures]).toEqual([[], [], [], []]);
  });

  it('gives the same result byte for byte on every run', () => {
    expect(JSON.stringify(diffDatasets(before, after))).toBe(JSON.stringify(diff));
  });
});

describe('diffDatasets on a table with several dimensions', () => {
  it('when two regions are swapped in every breakdown, the diff reports one swap and only the genuine correction', () => {
    const raw = JSON.parse(readProjectFile('examples/beleidsinformatie-2019-hj1/dataset.json')) as {
      tables: { id: string; rows: Record<string, unknown>[] }[];
    };
    const after = parseDataset(structuredClone(raw), 'after');
    const table = raw.tables.find((t) => t.id === 'huiselijk-geweld-aard-regio');
    const swap: Record<string, string> = { PV22: 'PV24', PV24: 'PV22' };
    let corrected = 0;
    for (const row of table?.rows ?? []) {
      const region = String(row.Regio);
      row.Regio = swap[region] ?? region;
      // One figure of Flevoland (PV24) was wrong as well in the first version, where it stood under Drenthe.
      if (region === 'PV24' && row.AardGeweld === 'T001' && row.AanvullendeInformatie === 'T001') {
        corrected = Number(row.GestarteAdviezen);
        row.GestarteAdviezen = corrected + 5;
      }
    }
    const before = parseDataset(raw, 'before');
    const [diff] = diffDatasets(before, after).tables;
    expect(diff?.id).toBe('huiselijk-geweld-aard-regio');
    expect(diff?.relocations.map((r) => [r.kind, r.dimension.key, r.from.title, r.to.title])).toEqual([
      ['swap', 'Regio', 'Drenthe (PV)', 'Flevoland (PV)'],
    ]);
    expect(diff?.changedCells.map((c) => [c.kind, c.row.label, c.measure.key, figureOf(c.oldValue), figureOf(c.newValue)])).toEqual([
      [
        'moved-value',
        `${diff?.changedCells[0]?.row.codes[0]?.title}, ${diff?.changedCells[0]?.row.codes[1]?.title}, Flevoland (PV)`,
        'GestarteAdviezen',
        corrected + 5,
        corrected,
      ],
    ]);
    expect(diff?.changedMeasures.map((m) => m.key)).toEqual(['GestarteAdviezen']);
  });
});

describe('diffDatasets on small datasets', () => {
  const withValues = (values: TableSpec['values'], extra: Partial<TableSpec> = {}): TableSpec => ({
    ...FOUR_REGIONS,
    ...extra,
    values: { ...FOUR_REGIONS.values, ...values },
  });

  it('identical datasets give an empty diff', () => {
    const diff = diffDatasets(makeDataset(FOUR_REGIONS), makeDataset(FOUR_REGIONS));
    expect(diff).toEqual({ identical: true, tables: [], unchangedTables: [{ id: 'kern', title: 'Kerncijfers[^1] per regio' }] });
  });

  it('when one figure is corrected, the diff reports that one cell and names the other columns unchanged', () => {
    const diff = diffDatasets(makeDataset(FOUR_REGIONS), makeDataset(withValues({ R2: [210, 415, 610] })));
    const [table] = diff.tables;
    expect(table?.changedCells.map((c) => [c.kind, c.row.label, c.measure.key, figureOf(c.oldValue), figureOf(c.newValue)])).toEqual([
      ['value', 'Drenthe', 'B', 410, 415],
    ]);
    expect(table?.changedCells[0]?.row.codes.map((c) => `${c.dimension}=${c.key}`)).toEqual(['Regio=R2', 'Perioden=2019HJ01']);
    expect(table?.relocations).toEqual([]);
    expect(table?.movedCells).toEqual([]);
    expect(table?.changedMeasures.map((m) => m.key)).toEqual(['B']);
    expect(table?.unchangedMeasures.map((m) => m.key)).toEqual(['A', 'C']);
  });

  it('when a "." becomes a number, the diff reports the change of symbol to figure', () => {
    const diff = diffDatasets(makeDataset(withValues({ R3: ['.', 590, 890] })), makeDataset(FOUR_REGIONS));
    const cells = diff.tables[0]?.changedCells ?? [];
    expect(cells).toHaveLength(1);
    expect(cells[0]?.oldValue).toEqual({ kind: 'symbol', symbol: '.' });
    expect(cells[0]?.newValue).toEqual({ kind: 'value', value: 290 });
  });

  it('when a region is added, the diff reports the added code and no changed cells', () => {
    const added: TableSpec = {
      ...FOUR_REGIONS,
      codes: [...FOUR_REGIONS.codes, ['R4', 'Zeeland']],
      values: { ...FOUR_REGIONS.values, R4: [5, 10, 15] },
    };
    const [table] = diffDatasets(makeDataset(FOUR_REGIONS), makeDataset(added)).tables;
    expect(table?.dimensions).toEqual([
      {
        dimension: { key: 'Regio', title: 'Veilig Thuis-regio' },
        oldTitle: undefined,
        addedCodes: [{ key: 'R4', title: 'Zeeland' }],
        removedCodes: [],
        renamedCodes: [],
      },
    ]);
    expect(table?.addedRows.map((r) => r.label)).toEqual(['Zeeland']);
    expect(table?.changedCells).toEqual([]);
    expect(table?.relocations).toEqual([]);
    expect(table?.unchangedMeasures.map((m) => m.key)).toEqual(['A', 'B', 'C']);
  });

  it('when a table is added and another removed, the diff reports both and compares no cells', () => {
    const other: TableSpec = { id: 'extra', codes: [['NL01', 'Totaal']], measures: ['X'], values: { NL01: [1] } };
    const gone: TableSpec = { id: 'oud', codes: [['NL01', 'Totaal']], measures: ['Y'], values: { NL01: [2] } };
    const diff = diffDatasets(makeDataset(FOUR_REGIONS, gone), makeDataset(other, FOUR_REGIONS));
    expect(diff.tables.map((t) => [t.id, t.status])).toEqual([
      ['extra', 'added'],
      ['oud', 'removed'],
    ]);
    expect(diff.tables.every((t) => t.changedCells.length === 0)).toBe(true);
    expect(diff.unchangedTables.map((t) => t.id)).toEqual(['kern']);
  });

  it('when a region is renamed, the diff reports its old and new title', () => {
    const renamed: TableSpec = { ...FOUR_REGIONS, codes: FOUR_REGIONS.codes.map(([k, t]) => [k, k === 'R3' ? 'Flevoland-Oost' : t]) };
    const [table] = diffDatasets(makeDataset(FOUR_REGIONS), makeDataset(renamed)).tables;
    expect(table?.dimensions[0]?.renamedCodes).toEqual([{ key: 'R3', oldTitle: 'Flevoland', newTitle: 'Flevoland-Oost' }]);
    expect(table?.changedCells).toEqual([]);
  });

  it('when a measure is added, removed or retitled, the diff names it', () => {
    const changed: TableSpec = {
      ...FOUR_REGIONS,
      measures: [{ key: 'A', title: 'Gestarte adviezen en vragen' }, FOUR_REGIONS.measures[1] ?? 'B', 'D'],
    };
    const [table] = diffDatasets(makeDataset(FOUR_REGIONS), makeDataset(changed)).tables;
    expect(table?.addedMeasures.map((m) => m.key)).toEqual(['D']);
    expect(table?.removedMeasures.map((m) => m.key)).toEqual(['C']);
    expect(table?.changedMeasureMetadata.map((m) => [m.measure.key, m.old.title, m.measure.title, m.fields])).toEqual([
      ['A', 'Gestarte adviezen', 'Gestarte adviezen en vragen', ['title']],
    ]);
    expect(table?.changedCells).toEqual([]);
    expect(table?.unchangedMeasures.map((m) => m.key)).toEqual(['A', 'B']);
  });

  it('when the figures of two rows are swapped, the diff reports one swap and no changed cells', () => {
    const swapped = withValues({ R1: FOUR_REGIONS.values.R3 ?? [], R3: FOUR_REGIONS.values.R1 ?? [] });
    const [table] = diffDatasets(makeDataset(swapped), makeDataset(FOUR_REGIONS)).tables;
    expect(table?.relocations.map((r) => [r.kind, r.from.title, r.to.title])).toEqual([['swap', 'Amsterdam Amstelland', 'Flevoland']]);
    expect(table?.changedCells).toEqual([]);
    expect(table?.movedCells).toHaveLength(6);
    expect(table?.unchangedMeasures.map((m) => m.key)).toEqual(['A', 'B', 'C']);
  });

  it('when the figures of a region stood under a code that was replaced, the diff reports a move', () => {
    const spec = (code: readonly [string, string], figures: number[]): TableSpec => ({
      id: 'vervangen',
      codes: [['R1', 'Drenthe'], code],
      measures: ['A', 'B', 'C', 'D'],
      values: { R1: [1, 2, 3, 4], [code[0]]: figures },
    });
    const before = makeDataset(spec(['R9', 'Zeeland (oud)'], [11, 22, 33, 44]));
    const after = makeDataset(spec(['R4', 'Zeeland'], [11, 22, 33, 45]));
    const [table] = diffDatasets(before, after).tables;
    expect(table?.relocations.map((r) => [r.kind, r.from.title, r.to.title])).toEqual([['move', 'Zeeland (oud)', 'Zeeland']]);
    expect(table?.changedCells.map((c) => [c.kind, c.measure.key, figureOf(c.oldValue), figureOf(c.newValue), c.movedFrom?.label])).toEqual(
      [['moved-value', 'D', 44, 45, 'Zeeland (oud)']],
    );
    expect(table?.dimensions[0]?.addedCodes.map((c) => c.key)).toEqual(['R4']);
    expect(table?.dimensions[0]?.removedCodes.map((c) => c.key)).toEqual(['R9']);
    expect(table?.addedRows).toEqual([]);
    expect(table?.removedRows).toEqual([]);
  });

  it('rows of small, mostly equal counts do not produce a false swap', () => {
    const small: TableSpec = {
      id: 'klein',
      codes: [
        ['R1', 'Een'],
        ['R2', 'Twee'],
        ['R3', 'Drie'],
      ],
      measures: ['A', 'B', 'C', 'D', 'E', 'F'],
      values: {
        R1: [0, 0, 5, 0, 5, 0],
        R2: [0, 0, 5, 0, 5, 5],
        R3: [0, 5, 0, 0, 5, 0],
      },
    };
    // R1 now reads like R2 did and R2 like R1, but on one distinguishing cell only: two corrections.
    const corrected: TableSpec = { ...small, values: { R1: [0, 0, 5, 0, 5, 5], R2: [0, 0, 5, 0, 5, 0], R3: [0, 5, 0, 0, 5, 0] } };
    const [table] = diffDatasets(makeDataset(small), makeDataset(corrected)).tables;
    expect(table?.relocations).toEqual([]);
    expect(table?.changedCells.map((c) => `${c.row.label}.${c.measure.key}`)).toEqual(['Een.F', 'Twee.F']);
  });

  it('a row that could have come from two rows equally well is not reported as moved', () => {
    const spec: TableSpec = {
      id: 'gelijk',
      codes: [
        ['R1', 'Een'],
        ['R2', 'Twee'],
        ['R3', 'Drie'],
      ],
      measures: ['A', 'B', 'C', 'D'],
      values: { R1: [10, 20, 30, 40], R2: [10, 20, 30, 40], R3: [1, 2, 3, 4] },
    };
    // Drie now reads as Een and Twee did; both of these changed too, so either could be its source.
    const corrected: TableSpec = { ...spec, values: { R1: [5, 6, 7, 8], R2: [9, 9, 9, 9], R3: [10, 20, 30, 40] } };
    const [table] = diffDatasets(makeDataset(spec), makeDataset(corrected)).tables;
    expect(table?.relocations).toEqual([]);
  });

  it('lists changed cells in code-list order, whatever the order of the rows in the file', () => {
    const reversed = makeDataset(withValues({ R1: [101, 200, 300], R3: [291, 590, 890] }));
    const shuffled = { ...reversed, tables: reversed.tables.map((t) => ({ ...t, rows: [...t.rows].reverse() })) };
    const [table] = diffDatasets(makeDataset(FOUR_REGIONS), shuffled).tables;
    expect(table?.changedCells.map((c) => c.row.label)).toEqual(['Amsterdam Amstelland', 'Flevoland']);
  });

  it('when the dimensions differ, the table is reported as not comparable instead of cell by cell', () => {
    const before = makeDataset(FOUR_REGIONS);
    const after = {
      ...before,
      tables: before.tables.map((t) => ({
        ...t,
        dimensions: [{ ...(t.dimensions[0] as NonNullable<(typeof t.dimensions)[0]>), key: 'Gebied' }, ...t.dimensions.slice(1)],
      })),
    };
    const [table] = diffDatasets(before, after).tables;
    expect(table?.comparable).toBe(false);
    expect(table?.addedDimensions.map((d) => d.key)).toEqual(['Gebied']);
    expect(table?.removedDimensions.map((d) => d.key)).toEqual(['Regio']);
    expect(table?.changedCells).toEqual([]);
  });
});
