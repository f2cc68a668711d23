import { describe, expect, it } from 'vitest';
import { toChangedCellsRecord } from '../../../src/jobs/changed-cells.js';
import { diffDatasets } from '../../../src/render/errata/dataset-diff.js';
import { toErratumChanges } from '../../../src/render/errata/erratum-changes.js';
import { toDatasetPlace, toDatasetReport } from '../../../src/jobs/dataset-report.js';
import { EXAMPLES, loadExample, readExampleJson } from '../../helpers/examples.js';

const NBSP = '\u00a0';

describe('dataset report (what the editor page shows after an upload)', () => {
  it('when the dataset is valid, says what it holds', () => {
    const report = toDatasetReport(JSON.stringify(readExampleJson(EXAMPLES.asPublished)));
    expect(report.valid).toBe(true);
    expect(report.code).toBeNull();
    expect(report.errors).toEqual([]);
    expect(report.publication).toEqual({
      id: 'beleidsinformatie-veilig-thuis-2019-hj1',
      template: 'beleidsinformatie',
      title: 'Beleidsinformatie Veilig Thuis',
      period: '1e halfjaar van 2019',
      edition: 1,
      publicationDate: '2020-01-30',
      status: 'voorlopig',
    });
    expect(report.tables[0]).toEqual({ id: 'kerncijfers', title: 'Kerncijfers per Veilig Thuis-regio', rows: 27, measures: 12 });
  });

  it('when a figure is written as text, names the table, the row with its codes and titles, and the cell', () => {
    const raw = readExampleJson(EXAMPLES.asPublished);
    (raw.tables[0]!.rows as Record<string, unknown>[])[3]!.GestarteAdviezen = '1.145';
    const report = toDatasetReport(JSON.stringify(raw));
    expect(report.valid).toBe(false);
    expect(report.code).toBe('DATASET_INVALID');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toEqual({
      path: 'tables[0].rows[3].GestarteAdviezen',
      message: expect.stringContaining('cell GestarteAdviezen: is the text "1.145"'),
      place: {
        table: 1,
        tableId: 'kerncijfers',
        tableTitle: 'Kerncijfers per Veilig Thuis-regio',
        row: 4,
        rowCodes: [
          { dimension: 'Regio', code: 'VT03', title: 'Drenthe' },
          { dimension: 'Perioden', code: '2019HJ01', title: '1e halfjaar van 2019' },
        ],
        cell: 'GestarteAdviezen',
        cellTitle: 'Gestarte adviezen',
        cellKind: 'measure',
        field: null,
      },
    });
  });

  it('when the file is not JSON, reports it with line and column and no place', () => {
    const report = toDatasetReport('{\n  "formatVersion": 1,\n}');
    expect(report.valid).toBe(false);
    expect(report.code).toBe('DATASET_UNREADABLE');
    expect(report.errors[0]?.message).toMatch(/line 3, column \d+/);
    expect(report.errors[0]?.place).toBeNull();
  });

  it('places a problem outside the rows by its path within the table, and one outside the tables nowhere', () => {
    const raw = readExampleJson(EXAMPLES.asPublished);
    expect(toDatasetPlace(raw, 'tables[1].measures[0].parent')).toMatchObject({
      table: 2,
      tableId: 'adviezen-adviesvrager',
      row: null,
      rowCodes: [],
      cell: null,
      field: 'measures[0].parent',
    });
    expect(toDatasetPlace(raw, 'tables[0].rows[0].Regio')).toMatchObject({ row: 1, cell: 'Regio', cellKind: 'dimension' });
    expect(toDatasetPlace(raw, 'publication.publicationDate')).toBeNull();
    expect(toDatasetPlace(raw, 'tables[99].rows[0].X')).toMatchObject({ table: 100, tableId: null, row: 1, rowCodes: [] });
  });
});

describe('changed cells record (kept with a corrected edition)', () => {
  const before = loadExample(EXAMPLES.asPublished);
  const after = loadExample(EXAMPLES.corrected);

  it('when the seed is corrected, lists the 55 changed figures as printed, swaps with the row they came from', () => {
    const record = toChangedCellsRecord(toErratumChanges(diffDatasets(before, after)));
    expect(record.total).toBe(55);
    expect(record.cells).toHaveLength(55);
    expect(record.cells[0]).toEqual({
      tableId: 'kerncijfers',
      tableTitle: 'Kerncijfers per Veilig Thuis-regio',
      rowLabel: 'Totaal',
      columnTitle: 'Actieve casussen',
      oldText: `64${NBSP}040`,
      newText: `73${NBSP}820`,
      kind: 'value',
      movedFromLabel: null,
    });
    expect(record.cells).toContainEqual(
      expect.objectContaining({
        rowLabel: 'Noord en Oost Gelderland',
        columnTitle: 'Gestarte adviezen',
        kind: 'moved',
        movedFromLabel: 'Noord- en Midden Limburg',
      }),
    );
  });

  it('keeps at most the limit of cells, with the true total', () => {
    const record = toChangedCellsRecord(toErratumChanges(diffDatasets(before, after)), 10);
    expect(record.total).toBe(55);
    expect(record.cells).toHaveLength(10);
  });

  it('when nothing changed, the record is empty', () => {
    expect(toChangedCellsRecord(toErratumChanges(diffDatasets(before, before)))).toEqual({ total: 0, cells: [] });
  });
});
