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

/** Text of ODS XML: tags dropped, <text:s text:c="n"/> as n spaces, entities decoded. */
function odsText(xml: string): string {
  return xml
    .replace(/<text:s(?: text:c="(\d+)")?\/>/g, (_, n: string | undefined) => ' '.repeat(Number(n ?? 1)))
    .replace(/<[^>]+>/g, '')
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
}

/**
 * Every sheet of an ODS content.xml as LibreOffice shows it: sheet name → rows → the text of each
 * cell (the formatted text LibreOffice stores beside the value, as on screen), up to the last used column.
 */
function odsSheets(content: string): Map<string, string[][]> {
  const sheets = new Map<string, string[][]>();
  for (const sheet of content.matchAll(/<table:table table:name="([^"]*)"[^>]*>([\s\S]*?)<\/table:table>/g)) {
    const rows: string[][] = [];
    for (const row of (sheet[2] ?? '').matchAll(/<table:table-row[^>]*?(?:\/>|>([\s\S]*?)<\/table:table-row>)/g)) {
      const cells: string[] = [];
      const cellPattern = /<table:(?:covered-)?table-cell([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g;
      for (const cell of (row[1] ?? '').matchAll(cellPattern)) {
        const repeated = Number(/table:number-columns-repeated="(\d+)"/.exec(cell[1] ?? '')?.[1] ?? 1);
        const text = [...(cell[2] ?? '').matchAll(/<text:p>([\s\S]*?)<\/text:p>/g)].map((p) => odsText(p[1] ?? '')).join('\n');
        if (text === '' && repeated > 1000) break; // the empty columns up to the sheet's edge
        for (let i = 0; i < repeated; i++) cells.push(text);
      }
      rows.push(cells);
    }
    sheets.set(odsText(sheet[1] ?? ''), rows);
  }
  return sheets;
}

describe.skipIf(!soffice)('the workbook in LibreOffice', () => {
  /** content.xml of the workbook as LibreOffice saves it (ODS): one conversion serves both tests. */
  let content = '';

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
    const file = path.join(dir, 'tabellenbijlage.xlsx');
    writeFileSync(file, bytes);
    const out = convert(file, 'ods');
    content =
      readZip(readFileSync(path.join(out, 'tabellenbijlage.ods')))
        .find((e) => e.name === 'content.xml')
        ?.data.toString('utf8') ?? '';
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('opens it and shows the figures as CBS writes them: "53 080", a corrected one marked', () => {
    const sheets = odsSheets(content);
    const table1 = sheets.get('Tabel 1') ?? [];
    const row = (rows: string[][], label: string) => rows.find((cells) => cells[0] === label) ?? [];
    expect(table1[0]).toEqual(['Kerncijfers 1) per Veilig Thuis-regio, 1e halfjaar van 2019*']);
    expect(
      row(table1, 'Totaal')
        .slice(1, 4)
        .map((s) => s.trim()),
    ).toEqual(['53 080', '64 960', '73 820 \u2020']);
    expect(row(table1, 'Utrecht')[1]?.trim()).toBe('1 234 567');
    expect(row(table1, 'Gooi en Vechtstreek')[1]?.trim()).toBe('865');
    const zeeland = (sheets.get('Tabel 18') ?? []).filter((cells) => cells[0] === 'Zeeland (VT)');
    expect(zeeland.some((cells) => cells.includes('.'))).toBe(true);
    // The machine-readable sheet shows plain numbers.
    expect((sheets.get('Tabel 1 (data)') ?? [])[1]?.slice(0, 5)).toEqual(['Totaal', '1e halfjaar van 2019*', '53080', '64960', '73820']);
  });

  it("reads the contents' links as links inside the workbook", () => {
    const hrefs = [...content.matchAll(/<text:a [^>]*xlink:href="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.length).toBeGreaterThanOrEqual(18 + 8 + 3);
    for (const href of hrefs) expect(href).toMatch(/^#(&apos;|')?[^'&]+(&apos;|')?\.A1$/);
    expect(hrefs.some((h) => h.includes('Tabel 18 (data)'))).toBe(true);
  });
});
