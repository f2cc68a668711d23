import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/model/dataset.js';
import { defaultWorkbookTables, renderWorkbook } from '../../../src/render/xlsx/build-workbook.js';
import { loadDataset, loadWorkbook, packageParts, ROOT, textOf } from './workbook-reading.js';

const FIXTURE = path.join(ROOT, 'tests/fixtures/xlsx/text-injection.json');

let dataset: Dataset;
let bytes: Buffer;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  dataset = loadDataset(FIXTURE);
  bytes = await renderWorkbook(dataset, { tables: defaultWorkbookTables(dataset), edition: 1 });
  workbook = await loadWorkbook(bytes);
});

function allTexts(): Map<string, ExcelJS.Cell> {
  const out = new Map<string, ExcelJS.Cell>();
  for (const ws of workbook.worksheets) {
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') out.set(cell.value, cell);
      });
    });
  }
  return out;
}

describe('text from the dataset in the workbook', () => {
  it('never becomes a formula: no cell of any sheet holds one', () => {
    for (const ws of workbook.worksheets) {
      ws.eachRow((row) => {
        row.eachCell((cell) => {
          expect(cell.type, `${ws.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula, `${ws.name}!${cell.address}`).toBeUndefined();
        });
      });
    }
    for (const [name, xml] of packageParts(bytes)) {
      if (name.startsWith('xl/worksheets/sheet')) expect(xml, name).not.toMatch(/<f[ >]/);
    }
  });

  it('keeps labels beginning with = + - @ as plain strings, verbatim', () => {
    const texts = allTexts();
    for (const label of ['=SUM(A1:A9)', '+31 6 1234 5678', '-5 procent', '@handtekening']) {
      const cell = texts.get(label);
      expect(cell, label).toBeDefined();
      expect(cell?.type).toBe(ExcelJS.ValueType.String);
    }
    const ws = workbook.getWorksheet('Tabel 1');
    expect(textOf(ws?.getCell('A1') as ExcelJS.Cell)).toBe('=1+1 {{title}} <script>alert(1)</script> 1), 2020');
    expect(texts.has("1) =cmd|' /C calc'!A0")).toBe(true);
    expect(texts.has('=A1 verwijst nergens naar.')).toBe(true);
  });

  it('stores markup and template syntax verbatim', () => {
    const texts = allTexts();
    for (const label of [
      "<script>alert('x')</script>",
      '{{#each x}}{{this}}{{/each}}',
      '-2+3 ook niet; {{{raw}}} en <b>vet</b> blijven tekst.',
    ]) {
      expect(texts.has(label), label).toBe(true);
    }
  });

  it('shows an OOXML escape sequence in a label as written, not as the character it encodes', () => {
    expect(allTexts().has('_x0041_ blijft _x0041_')).toBe(true);
  });

  it('shows the publication title on the title page and in the properties as plain text', () => {
    const ws = workbook.getWorksheet('Titelpagina');
    const a1 = ws?.getCell('A1') as ExcelJS.Cell;
    expect(a1.type).toBe(ExcelJS.ValueType.String);
    expect(a1.value).toBe('=HYPERLINK("http://example.invalid","Klik")');
    expect(workbook.title).toContain('=HYPERLINK(');
  });

  it('writes a unit per column when the units differ, and each column with its own decimals', () => {
    const ws = workbook.getWorksheet('Tabel 1') as ExcelJS.Worksheet;
    const unitRow = (ws.views[0] as { ySplit: number }).ySplit;
    expect([textOf(ws.getCell(unitRow, 2)), textOf(ws.getCell(unitRow, 3))]).toEqual(['aantal', '%']);
    const first = unitRow + 1;
    expect(ws.getCell(first, 2).value).toBe(1234567);
    expect(ws.getCell(first, 2).numFmt).toBe('# ### ##0');
    expect(ws.getCell(first, 3).value).toBe(100);
    expect(ws.getCell(first, 3).numFmt).toBe('0.0');
    expect(ws.getCell(first + 2, 3).value).toBe(0.1);
    // "" (cannot occur) and "." (unknown) are text, kept apart.
    expect(ws.getCell(first + 3, 2).value).toBe('.');
    expect(ws.getCell(first + 4, 2).value).toBe('');
    expect(ws.getCell(first + 4, 2).type).toBe(ExcelJS.ValueType.String);
  });
});
