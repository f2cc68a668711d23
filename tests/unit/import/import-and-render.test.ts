import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/import/import-dataset.js';
import { parseDatasetText } from '../../../src/model/dataset.js';
import type { Cell, Dataset } from '../../../src/model/dataset.js';
import { formatCell } from '../../../src/model/number-format.js';
import { buildPublicationTables, loadManifest } from '../../../src/render/publication.js';
import { renderEdition } from '../../../src/render/render-edition.js';
import { loadResources } from '../../../src/resources.js';
import { readPdf } from '../../helpers/pdf-text.js';
import { loadWorkbook, ROOT, textOf } from '../xlsx/workbook-reading.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/import');
const resources = loadResources();

interface Case {
  readonly name: string;
  readonly source: string;
  readonly options: Parameters<typeof importDataset>[1];
  readonly format: string;
  /** Figures (cells) the fixture holds. */
  readonly figures: number;
}

const CASES: Case[] = [
  { name: 'StatLine v4 (the seed table)', source: 'statline-v4-84a0e7b2', options: {}, format: 'statline-v4', figures: 500 },
  { name: 'StatLine v3 (the seed table)', source: 'statline-v3-84a0e7b2', options: {}, format: 'statline-v3', figures: 500 },
  { name: 'StatLine v4 half-years (ZIP, two pages)', source: 'statline-v4-halfjaren.zip', options: {}, format: 'statline-v4', figures: 18 },
  {
    name: 'CSV wide (";", BOM, thousands separators)',
    source: 'csv-wide-aard.csv',
    options: { mapping: path.join(FIXTURES, 'csv-wide-aard.mapping.json'), publicationDate: '2023-05-01' },
    format: 'csv',
    figures: 18,
  },
  {
    name: 'CSV long (",", decimal comma percentages)',
    source: 'csv-long-percentages.csv',
    options: { mapping: path.join(FIXTURES, 'csv-long-percentages.mapping.json'), publicationDate: '2024-05-01' },
    format: 'csv',
    figures: 6,
  },
];

function cellText(cell: Cell, decimals: number): string {
  return formatCell(cell, decimals).replace(/[\u00a0\u202f]/g, ' ');
}

/** Every figure of the publication's tables found in the PDF, row by row in reading order. */
async function figuresInPdf(dataset: Dataset, pdf: Buffer): Promise<{ found: number; blanks: number }> {
  const manifest = loadManifest(resources.templates, dataset.publication.template);
  const models = buildPublicationTables(dataset, manifest, resources.templates);
  const lines = (await readPdf(pdf)).pages.flatMap((p) => p.cells.map((c) => c.join('|')));
  let at = 0;
  let found = 0;
  let blanks = 0;
  for (const model of models) {
    for (const row of model.rows) {
      if (row.kind !== 'data') continue;
      const texts = row.cells.map((c, i) => cellText(c, model.columns[i]?.decimals ?? 0));
      const expected = [row.label, ...texts.filter((t) => t !== '')].join('|');
      const index = lines.indexOf(expected, at);
      expect(index, `PDF line "${expected}"`).toBeGreaterThanOrEqual(0);
      at = index + 1;
      found += texts.filter((t) => t !== '').length;
      blanks += texts.filter((t) => t === '').length;
    }
  }
  return { found, blanks };
}

/** Every figure of the dataset in the workbook's machine-readable sheets, by codes. */
function figuresInWorkbook(dataset: Dataset, workbook: ExcelJS.Workbook): number {
  let count = 0;
  for (const table of dataset.tables) {
    const sheet = workbook.worksheets.find((ws) => ws.name.endsWith('(data)'));
    expect(sheet, `data sheet of ${table.id}`).toBeDefined();
    if (!sheet) continue;
    const header = Array.from(sheet.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const codeColumn = (dimTitle: string) => header.indexOf(`${dimTitle} (code)`);
    const byKey = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const key = table.dimensions
        .map((d) => (d.codes.length === 1 ? d.codes[0]?.key : textOf(row.getCell(codeColumn(d.title)))))
        .join('|');
      byKey.set(key, row);
    });
    for (const row of table.rows) {
      const sheetRow = byKey.get(row.codes.join('|'));
      expect(sheetRow, `data row ${row.codes.join(', ')}`).toBeDefined();
      table.measures.forEach((m, mi) => {
        const column = header.findIndex((h) => h.startsWith(`${m.title} (`) || h.endsWith(`, ${m.title} (${m.unit})`));
        expect(column, `column of ${m.key}`).toBeGreaterThan(0);
        const value = sheetRow?.getCell(column).value;
        const cell = row.cells[mi] as Cell;
        if (cell.kind === 'value') expect(value).toBe(cell.value);
        else expect(value ?? '').toBe(cell.symbol);
        count++;
      });
    }
  }
  return count;
}

describe('import, render and read back every figure', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const result = await importDataset(path.join(FIXTURES, c.source), c.options);
      expect(result.format).toBe(c.format);
      expect(result.figures).toBe(c.figures);
      const rendered = await renderEdition({ dataset: result.dataset }, resources);
      const pdf = rendered.artifacts.find((a) => a.name === 'publicatie.pdf')?.bytes as Buffer;
      const xlsx = rendered.artifacts.find((a) => a.name === 'tabellenbijlage.xlsx')?.bytes as Buffer;
      const { found, blanks } = await figuresInPdf(result.dataset, pdf);
      expect(found + blanks).toBe(c.figures);
      expect(figuresInWorkbook(result.dataset, await loadWorkbook(xlsx))).toBe(c.figures);
    }, 60_000);
  }

  it('brings the seed table across from v4 and v3 exactly: every figure, "." apart from the blank, statuses and levels', async () => {
    const example = JSON.parse(readFileSync(path.join(ROOT, 'examples/statline-2023-mensenhandel/dataset.json'), 'utf8'));
    const want = example.tables[0];
    for (const source of ['statline-v4-84a0e7b2', 'statline-v3-84a0e7b2']) {
      const { input } = await importDataset(path.join(FIXTURES, source));
      const table = input.tables[0];
      expect(table?.title).toBe(want.title);
      expect(table?.complete).toBe(false);
      expect(table?.dimensions.find((d) => d.key === 'Regio')?.codes).toEqual(want.dimensions[2].codes);
      expect(table?.dimensions.find((d) => d.key === 'Perioden')?.codes).toEqual(want.dimensions[3].codes);
      const rename = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_1$/, ''), v]));
      expect(table?.rows.map(rename)).toEqual(want.rows);
      expect(input.publication.status).toBe('voorlopig');
    }
  });

  it('gives each half-year its own status mark and the title the range, in PDF and workbook', async () => {
    const { dataset } = await importDataset(path.join(FIXTURES, 'statline-v4-halfjaren.zip'));
    const periods = dataset.tables[0]?.dimensions.find((d) => d.kind === 'time')?.codes.map((c) => c.status);
    expect(periods).toEqual(['definitief', 'nader voorlopig', 'voorlopig']);
    const rendered = await renderEdition({ dataset }, resources);
    const text = (await readPdf(rendered.artifacts[0]?.bytes as Buffer)).pages.map((p) => p.lines.join('\n')).join('\n');
    expect(text).toContain('Veilig Thuis; adviezen per halfjaar, regio (testtabel), 2020 1e halfjaar \u2013 2021 1e halfjaar');
    expect(text.split('\n')).toEqual(expect.arrayContaining(['2020 1e halfjaar', '2020 2e halfjaar**', '2021 1e halfjaar*']));
    const workbook = await loadWorkbook(rendered.artifacts[1]?.bytes as Buffer);
    const data = workbook.worksheets.find((ws) => ws.name.endsWith('(data)'));
    const shown = new Set<string>();
    data?.eachRow((row) => row.eachCell((cell) => shown.add(textOf(cell))));
    for (const p of ['2020 1e halfjaar', '2020 2e halfjaar**', '2021 1e halfjaar*']) expect(shown).toContain(p);
    const titlePage = workbook.worksheets[0];
    const texts: string[] = [];
    titlePage?.eachRow((row) => row.eachCell((cell) => texts.push(textOf(cell))));
    expect(texts).toContain(
      '2020 1e halfjaar: definitief; 2020 2e halfjaar: nader voorlopig (aangeduid met **); 2021 1e halfjaar: voorlopig (aangeduid met *).',
    );
  }, 60_000);

  it("renders the 2023 example with the README's command, every figure in the PDF and the workbook", async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'readme-2023-'));
    try {
      const file = 'examples/statline-2023-mensenhandel/dataset.json';
      await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--dataset', file, '--out', out], { cwd: ROOT });
      const dataset = parseDatasetText(readFileSync(path.join(ROOT, file), 'utf8'), file);
      const figures = (dataset.tables[0]?.rows.length ?? 0) * (dataset.tables[0]?.measures.length ?? 0);
      const { found, blanks } = await figuresInPdf(dataset, readFileSync(path.join(out, 'publicatie.pdf')));
      expect(found + blanks).toBe(figures);
      expect(figuresInWorkbook(dataset, await loadWorkbook(readFileSync(path.join(out, 'tabellenbijlage.xlsx'))))).toBe(figures);
      expect(figures).toBe(500);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
