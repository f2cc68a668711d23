import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/import/import-dataset.js';
import { formatDatasetJson } from '../../../src/model/dataset-json.js';
import { readFigure } from '../../../src/import/csv.js';
import { ROOT } from '../xlsx/workbook-reading.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/import');
const EXAMPLE_2019 = path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/dataset.json');
const work = mkdtempSync(path.join(tmpdir(), 'import-options-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('importer options and assumptions', () => {
  it('--into adds a table to an existing dataset and leaves every other table as it was; again, it replaces it', async () => {
    const options = { mapping: path.join(FIXTURES, 'csv-wide-aard.mapping.json'), into: EXAMPLE_2019, as: 'aard-2022' };
    const first = await importDataset(path.join(FIXTURES, 'csv-wide-aard.csv'), options);
    const before = JSON.parse(readFileSync(EXAMPLE_2019, 'utf8'));
    expect(first.input.tables.map((t) => t.id)).toEqual([...before.tables.map((t: { id: string }) => t.id), 'aard-2022']);
    expect(first.input.publication).toEqual(before.publication);
    expect(JSON.parse(formatDatasetJson(first.input)).tables.slice(0, -1)).toEqual(before.tables);
    const file = path.join(work, 'into.json');
    writeFileSync(file, formatDatasetJson(first.input));
    const again = await importDataset(path.join(FIXTURES, 'csv-wide-aard.csv'), { ...options, into: file });
    expect(again.notes).toContain(`table "aard-2022" of ${file} is replaced`);
    expect(formatDatasetJson(again.input)).toBe(formatDatasetJson(first.input));
    // One writer for every dataset file the tools write: the 2e halfjaar example (written by
    // new-period and scripts/construct-2019-hj2.ts) comes out of it again byte for byte.
    const hj2 = readFileSync(path.join(ROOT, 'examples/beleidsinformatie-2019-hj2/dataset.json'), 'utf8');
    expect(formatDatasetJson(JSON.parse(hj2))).toBe(hj2);
  });

  it("--into a file that is not a dataset's JSON names the file and where it broke, as any dataset file", async () => {
    const options = { mapping: path.join(FIXTURES, 'csv-wide-aard.mapping.json'), as: 'aard-2022' };
    const broken = path.join(work, 'kapot.json');
    writeFileSync(broken, '{\n  "formatVersion": 1,\n  "publication": {,\n}');
    await expect(importDataset(path.join(FIXTURES, 'csv-wide-aard.csv'), { ...options, into: broken })).rejects.toMatchObject({
      code: 'DATASET_UNREADABLE',
      message: expect.stringContaining(`${broken} is not valid JSON at line 3`),
    });
    const deep = path.join(work, 'diep.json');
    writeFileSync(deep, `${'['.repeat(5000)}${']'.repeat(5000)}`);
    await expect(importDataset(path.join(FIXTURES, 'csv-wide-aard.csv'), { ...options, into: deep })).rejects.toMatchObject({
      code: 'DATASET_UNREADABLE',
      message: expect.stringContaining(`${deep} nests objects and arrays deeper than`),
    });
  });

  it('reads the CSV figures as a Dutch editor writes them', () => {
    expect(readFigure('52.815', ',')).toEqual({ cell: 52815, decimals: 0 });
    expect(readFigure('3\u00a0120', ',')).toEqual({ cell: 3120, decimals: 0 });
    expect(readFigure('1.234,5', ',')).toEqual({ cell: 1234.5, decimals: 1 });
    expect(readFigure('-0,5', ',')).toEqual({ cell: -0.5, decimals: 1 });
    expect(readFigure(' . ', ',')).toEqual({ cell: '.', decimals: 0 });
    expect(readFigure('', ',')).toEqual({ cell: '', decimals: 0 });
    expect(readFigure('1.5', ',')).toHaveProperty('error');
    expect(readFigure('12,4', '.')).toHaveProperty('error');
    expect(readFigure('1,234.5', '.')).toEqual({ cell: 1234.5, decimals: 1 });
  });

  it('v3 without UntypedDataSet: TypedDataSet’s nulls become "." and the import says how many it assumed', async () => {
    const dir = path.join(work, 'typed-only');
    cpSync(path.join(FIXTURES, 'statline-v3-84a0e7b2'), dir, { recursive: true });
    unlinkSync(path.join(dir, 'UntypedDataSet.json'));
    const result = await importDataset(dir);
    const nulls = JSON.parse(readFileSync(path.join(dir, 'TypedDataSet.json'), 'utf8')).value.flatMap((row: Record<string, unknown>) =>
      Object.values(row).filter((v) => v === null),
    ).length;
    expect(nulls).toBeGreaterThan(0);
    expect(result.notes).toContain(
      `TypedDataSet.json writes null for both "." and the blank: ${nulls} null figure(s) taken as "." (unknown); give UntypedDataSet.json to keep them apart`,
    );
  });

  it('a new dataset takes the table’s title, its periods as the period and the latest period’s status', async () => {
    const { input } = await importDataset(path.join(FIXTURES, 'statline-v4-halfjaren.zip'), { publicationId: 'halfjaren' });
    expect(input.publication).toEqual({
      id: 'halfjaren',
      template: 'statline-tabel',
      title: 'Veilig Thuis; adviezen per halfjaar, regio (testtabel)',
      period: { key: '2021HJ01', title: '2020 1e halfjaar \u2013 2021 1e halfjaar' },
      status: 'voorlopig',
      publicationDate: '2021-10-28',
      edition: 1,
    });
  });
});
