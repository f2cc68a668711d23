import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { getCell, parseDataset, parseDatasetText } from '../../../src/model/dataset.js';
import { toDatasetJsonSchema } from '../../../src/model/dataset-schema.js';
import { EXAMPLES, ROOT, loadExample, readExampleJson } from '../../helpers/examples.js';

type Raw = ReturnType<typeof readExampleJson>;
type RawTable = { id: string; rows: Record<string, unknown>[]; dimensions: { key: string; codes: { key: string }[] }[] };

function kern(raw: Raw): RawTable {
  return raw.tables.find((t) => t.id === 'kerncijfers') as unknown as RawTable;
}

function refusal(change: (raw: Raw) => void): AppError {
  const raw = readExampleJson(EXAMPLES.corrected);
  change(raw);
  try {
    parseDataset(raw, 'bad.json');
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the dataset was accepted');
}

describe('dataset validation', () => {
  it('accepts the three examples and keeps symbols apart from numbers', () => {
    const corrected = loadExample(EXAMPLES.corrected);
    expect(getCell(corrected, 'kerncijfers', 'GestarteAdviezen')).toEqual({ kind: 'value', value: 53080 });
    const mh = loadExample(EXAMPLES.mensenhandel2023);
    const cell = getCell(mh, 'huiselijk-geweld-aard-regio', 'AfgerondeDienstenOnderzoek', { AardGeweld: 'T001', Regio: 'LD01' });
    expect(cell).toEqual({ kind: 'symbol', symbol: '.' });
    expect(loadExample(EXAMPLES.asPublished).tables).toHaveLength(8);
  });

  it('refuses a number stored as text, naming table, row and cell', () => {
    const error = refusal((raw) => {
      const row = kern(raw).rows[3];
      if (row) row.GestarteAdviezen = '1145';
    });
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.details[0]?.path).toBe('tables[0].rows[3].GestarteAdviezen');
    expect(error.details[0]?.message).toContain('table "kerncijfers", row 4 (Regio=VT03, Perioden=2019HJ01), cell GestarteAdviezen');
    expect(error.details[0]?.message).toContain('write numbers as JSON numbers');
  });

  it('refuses NaN, negative counts and wrong types', () => {
    const nan = refusal((raw) => {
      const row = kern(raw).rows[1];
      if (row) row.OntvangenMeldingen = Number.NaN;
    });
    expect(nan.details[0]?.message).toMatch(/row 2 .*cell OntvangenMeldingen: is not a finite number/);
    const negative = refusal((raw) => {
      const row = kern(raw).rows[2];
      if (row) row.Overdrachten = -5;
    });
    expect(negative.details[0]?.message).toMatch(/row 3 .*cell Overdrachten: a count cannot be negative \(-5\)/);
    const wrongType = refusal((raw) => {
      const row = kern(raw).rows[2];
      if (row) row.Overdrachten = true;
    });
    expect(wrongType.details[0]?.message).toMatch(/cell Overdrachten: must be a number or one of the symbols "\." and "", not boolean/);
    // null is what new-period leaves for a figure still to be filled: said as such.
    const missing = refusal((raw) => {
      const row = kern(raw).rows[2];
      if (row) row.Overdrachten = null;
    });
    expect(missing.details[0]?.message).toMatch(/cell Overdrachten: has no figure yet \(null, as new-period leaves it\)/);
    const decimals = refusal((raw) => {
      const row = kern(raw).rows[2];
      if (row) row.Overdrachten = 12.5;
    });
    expect(decimals.details[0]?.message).toMatch(/more decimals than the measure allows \(0\)/);
  });

  it('refuses unknown codes and duplicate cells', () => {
    const unknown = refusal((raw) => {
      const row = kern(raw).rows[5];
      if (row) row.Regio = 'VT99';
    });
    expect(unknown.details[0]?.message).toContain('"VT99" is not a code of dimension "Regio"');
    expect(unknown.details[0]?.path).toBe('tables[0].rows[5].Regio');
    const duplicate = refusal((raw) => {
      const table = kern(raw);
      const row = table.rows[5];
      if (row) table.rows.push({ ...row });
    });
    expect(duplicate.details[0]?.message).toMatch(/row 28 .*duplicate cell combination, already given in row 6/);
  });

  it('refuses a missing cell and a missing row of a complete table', () => {
    const missingCell = refusal((raw) => {
      const row = kern(raw).rows[7];
      if (row) delete row.GeslotenCasussen;
    });
    expect(missingCell.details[0]?.message).toMatch(/row 8 .*cell GeslotenCasussen: is missing/);
    const missingRow = refusal((raw) => {
      kern(raw).rows.splice(4, 1);
    });
    expect(missingRow.details[0]?.message).toMatch(/1 of 27 code combinations have no row, e.g. Regio=VT04, Perioden=2019HJ01/);
  });

  it('refuses structural errors with the JSON path, and bad JSON with line and column', () => {
    const structural = refusal((raw) => {
      (raw.publication as Record<string, unknown>).status = 'concept';
    });
    expect(structural.details[0]?.path).toBe('publication.status');
    expect(() => parseDatasetText('{\n  "formatVersion": 1,\n  oops\n}', 'broken.json')).toThrow(
      /broken.json is not valid JSON at line 3, column 3/,
    );
  });

  it('refuses a footnote marker without its footnote', () => {
    const error = refusal((raw) => {
      const table = kern(raw) as RawTable & { title: string };
      table.title = 'Kerncijfers[^7] per Veilig Thuis-regio';
    });
    expect(error.details[0]?.message).toContain('footnote marker [^7]');
  });

  it('publishes the JSON Schema the code enforces (docs/dataset.schema.json is up to date)', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'docs/dataset.schema.json'), 'utf8'));
    expect(committed).toEqual(toDatasetJsonSchema());
  });
});
