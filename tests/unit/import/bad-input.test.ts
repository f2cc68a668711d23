import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { importDataset } from '../../../src/import/import-dataset.js';
import { runTool } from '../../helpers/run-tool.js';
import { ROOT } from '../xlsx/workbook-reading.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/import');
const work = mkdtempSync(path.join(tmpdir(), 'import-bad-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A copy of the v4 seed fixture with observation `index` changed, the observations written one per
 * line (observation 1 on line 3).
 */
function v4With(name: string, change: (observation: Record<string, unknown>) => Record<string, unknown>, index = 1): string {
  const dir = path.join(work, name);
  cpSync(path.join(FIXTURES, 'statline-v4-84a0e7b2'), dir, { recursive: true });
  const file = path.join(dir, 'Observations.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { '@odata.context': string; value: Record<string, unknown>[] };
  const value = raw.value.map((o, i) => (i === index ? change(o) : o));
  writeFileSync(
    file,
    `{"@odata.context":${JSON.stringify(raw['@odata.context'])},"value":[\n${value.map((o) => JSON.stringify(o)).join(',\n')}\n]}\n`,
  );
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('bad input to the importer names the place and writes nothing', () => {
  it('a figure as text', async () => {
    const e = await failure(importDataset(v4With('text', (o) => ({ ...o, Value: '545' }))));
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.message).toContain('Observations.json, line 3 (Id 1): field "Value": the figure is text ("545")');
  });

  it('a code missing from its code list', async () => {
    const e = await failure(importDataset(v4With('code', (o) => ({ ...o, Regio: 'VT99' }))));
    expect(e.message).toContain('Observations.json, line 3 (Id 1): field "Regio": code "VT99" is not in the code list of Regio');
  });

  it('a duplicate observation', async () => {
    const e = await failure(importDataset(v4With('duplicate', (o) => ({ ...o, Id: 1, Measure: 'GestarteAdviezen' }))));
    expect(e.message).toMatch(
      /Observations\.json, line 3 \(Id 1\): duplicate observation: GestarteAdviezen for AardGeweld=T001, .*Regio=NL01/,
    );
  });

  it('a decimal beyond the measure’s decimals', async () => {
    const e = await failure(importDataset(v4With('decimals', (o) => ({ ...o, Value: 545.5 }))));
    expect(e.message).toContain("Observations.json, line 3 (Id 1): OntvangenMeldingen: 545.5 has more decimals than the measure's 0");
  });

  it('an unknown ValueAttribute', async () => {
    const e = await failure(importDataset(v4With('attribute', (o) => ({ ...o, ValueAttribute: 'Secret' }))));
    expect(e.message).toContain('Observations.json, line 3 (Id 1): field "ValueAttribute": "Secret" is unknown');
  });

  it('a CSV row with too few fields', async () => {
    const csv = path.join(work, 'short.csv');
    const lines = readFileSync(path.join(FIXTURES, 'csv-wide-aard.csv'), 'utf8').split('\n');
    lines[3] = 'T001;VT02;2022JJ00;1.760';
    writeFileSync(csv, lines.join('\n'));
    const e = await failure(
      importDataset(csv, { mapping: path.join(FIXTURES, 'csv-wide-aard.mapping.json'), publicationDate: '2023-05-01' }),
    );
    expect(e.message).toContain('short.csv, line 4: 4 fields, the header has 6');
  });

  it('a CSV that is not UTF-8', async () => {
    const csv = path.join(work, 'latin1.csv');
    const text = readFileSync(path.join(FIXTURES, 'csv-long-percentages.csv'), 'utf8').replace('Drenthe (VT)', 'Fryslân (VT)');
    writeFileSync(csv, Buffer.from(text, 'latin1'));
    const e = await failure(
      importDataset(csv, { mapping: path.join(FIXTURES, 'csv-long-percentages.mapping.json'), publicationDate: '2024-05-01' }),
    );
    expect(e.message).toMatch(/latin1\.csv, line 6: the file is not UTF-8/);
  });

  it('a figure as text and too many decimals in a CSV, with line and column', async () => {
    const csv = path.join(work, 'figures.csv');
    const text = readFileSync(path.join(FIXTURES, 'csv-long-percentages.csv'), 'utf8')
      .replace('"12,4"', 'twaalf')
      .replace('"9,8"', '"9,75"');
    writeFileSync(csv, text);
    const e = await failure(
      importDataset(csv, { mapping: path.join(FIXTURES, 'csv-long-percentages.mapping.json'), publicationDate: '2024-05-01' }),
    );
    expect(e.details.map((d) => d.message)).toEqual([
      'figures.csv, line 2, field "Waarde": "twaalf" is not a figure (write numbers with decimal ",", "." for unknown, nothing for the blank)'.replace(
        'figures.csv',
        csv,
      ),
      `${csv}, line 4, field "Waarde": "9,75" has 2 decimals, measure AcuteOnveiligheid allows 1`,
    ]);
  });

  it('asks for what the files cannot tell: a period without status', async () => {
    const dir = path.join(work, 'nostatus');
    cpSync(path.join(FIXTURES, 'statline-v4-84a0e7b2'), dir, { recursive: true });
    const codes = path.join(dir, 'PeriodenCodes.json');
    writeFileSync(codes, readFileSync(codes, 'utf8').replace('"Status": "Voorlopig"', '"Status": null'));
    const e = await failure(importDataset(dir));
    expect(e.message).toContain(
      'PeriodenCodes.json, entity 1 (2023JJ00): field "Status" is "": give the status of this period with --status',
    );
    const ok = await importDataset(dir, { periodStatus: 'voorlopig' });
    expect(ok.notes).toContain('Perioden 2023JJ00: status "voorlopig" from --status (the code list gives none)');
  });

  it('the CLI exits non-zero and leaves no file behind', async () => {
    const out = path.join(work, 'never.json');
    const result = await runTool('src/cli-import.ts', [v4With('cli', (o) => ({ ...o, Regio: 'XX' })), '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error IMPORT_INVALID');
    expect(existsSync(out)).toBe(false);
  }, 30_000);
});
