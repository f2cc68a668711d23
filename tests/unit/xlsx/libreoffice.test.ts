import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cell, rowKey } from '../../../src/model/dataset.js';
import { defaultWorkbookTables, renderWorkbook } from '../../../src/render/xlsx/build-workbook.js';
import { readZip } from '../../../src/render/xlsx/zip-package.js';
import { correctedCell, EXAMPLE_2019, loadDataset } from './workbook-reading.js';

const soffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
if (!soffice) console.warn('[xlsx] LibreOffice (soffice) is not installed: the LibreOffice conversion tests are skipped.');

const CSV_ALL_SHEETS_AS_SHOWN = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1';

let dir = '';
let profile = '';

/** Converts the workbook with a private LibreOffice profile; returns the output folder. */
function convert(file: string, target: string): string {
  const out = path.join(dir, target.split(':')[0] ?? 'out');
  const result = spawnSync(
    soffice,
    [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', target, '--outdir', out, file],
    { encoding: 'utf8', timeout: 150_000 },
  );
  if (result.status !== 0) throw new Error(`soffice failed (${result.status}): ${result.stderr}`);
  return out;
}

describe.skipIf(!soffice)('the workbook in LibreOffice', () => {
  let file = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'xlsx-lo-'));
    profile = path.join(tmpdir(), `lo-${randomUUID()}`);
    const dataset = loadDataset(EXAMPLE_2019);
    // A figure above a million, to see its thousands separated as CBS writes them: "1 234 567".
    const kerncijfers = dataset.tables.find((t) => t.id === 'kerncijfers');
    const utrecht = kerncijfers?.rows[kerncijfers.rowIndex.get(rowKey(['VT20', '2019HJ01'])) ?? -1];
    if (!utrecht) throw new Error('no Utrecht row');
    (utrecht.cells as Cell[])[0] = { kind: 'value', value: 1234567 };
    const bytes = await renderWorkbook(dataset, {
      tables: defaultWorkbookTables(dataset),
      edition: 2,
      correctedOn: '2020-04-28',
      erratum: {
        date: '2020-04-28',
        changes: {
          relocations: [],
          cells: [correctedCell()],
        },
      },
    });
    file = path.join(dir, 'tabellenbijlage.xlsx');
    writeFileSync(file, bytes);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('opens it and shows the figures as CBS writes them: "53 080", a corrected one marked', { timeout: 180_000 }, () => {
    const out = convert(file, CSV_ALL_SHEETS_AS_SHOWN);
    const csv = (sheet: string) => readFileSync(path.join(out, `tabellenbijlage-${sheet}.csv`), 'utf8');
    const table1 = csv('Tabel 1').split('\n');
    expect(table1[0]).toBe('"Kerncijfers 1) per Veilig Thuis-regio, 1e halfjaar van 2019*",,,,,,,,,,,,');
    const total = table1.find((line) => line.startsWith('Totaal,'));
    expect(
      total
        ?.split(',')
        .slice(1, 4)
        .map((s) => s.trim()),
    ).toEqual(['53 080', '64 960', '73 820 \u2020']);
    expect(
      table1
        .find((line) => line.startsWith('Utrecht,'))
        ?.split(',')[1]
        ?.trim(),
    ).toBe('1 234 567');
    expect(
      table1
        .find((line) => line.startsWith('Gooi en Vechtstreek,'))
        ?.split(',')[1]
        ?.trim(),
    ).toBe('865');
    const long = csv('Tabel 18').split('\n');
    const zeeland = long.filter((line) => line.startsWith('Zeeland (VT),'));
    expect(zeeland.some((line) => line.split(',').includes('.'))).toBe(true);
    // The machine-readable sheet shows plain numbers.
    expect(csv('Tabel 1 (data)').split('\n')[1]).toMatch(/^Totaal,1e halfjaar van 2019\*,53080,64960,73820,/);
  });

  it("reads the contents' links as links inside the workbook", { timeout: 180_000 }, () => {
    const out = convert(file, 'ods');
    const content = readZip(readFileSync(path.join(out, 'tabellenbijlage.ods'))).find((e) => e.name === 'content.xml');
    const hrefs = [...(content?.data.toString('utf8') ?? '').matchAll(/<text:a [^>]*xlink:href="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.length).toBeGreaterThanOrEqual(18 + 8 + 3);
    for (const href of hrefs) expect(href).toMatch(/^#(&apos;|')?[^'&]+(&apos;|')?\.A1$/);
    expect(hrefs.some((h) => h.includes('Tabel 18 (data)'))).toBe(true);
  });
});
