import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEdition } from '../../src/render/render-edition.js';
import { loadResources } from '../../src/resources.js';
import { EXAMPLES, loadExample } from '../helpers/examples.js';
import { type PdfReadBack, readPdf } from '../helpers/pdf-text.js';
import { loadWorkbook } from './xlsx/workbook-reading.js';

/** Rows of label + figures printed under each table title of the PDF, by title line. */
function pdfTables(pdf: PdfReadBack): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const page of pdf.pages) {
    let current: Map<string, string[]> | undefined;
    for (const cells of page.cells) {
      const line = cells.join(' ');
      if (/^Kerncijfers a\) per Veilig Thuis-regio, /.test(line)) {
        current = new Map();
        out.set(line, current);
        continue;
      }
      if (!current) continue;
      if (line.startsWith('Bron:')) {
        current = undefined;
        continue;
      }
      const figures = cells.slice(1).filter((c) => c !== '\u2020');
      if (cells[0] && figures.length === 12)
        current.set(
          cells[0].replace(/ \u2020$/, ''),
          figures.map((f) => f.replace(/^\u2020 ?/, '')),
        );
    }
  }
  return out;
}

/** The figures of the workbook sheet whose A1 starts with `title`, as shown: label → formatted figures. */
function sheetFigures(workbook: ExcelJS.Workbook, title: string): Map<string, string[]> {
  const sheet = workbook.worksheets.find((ws) => String(ws.getCell('A1').value ?? '').startsWith(title));
  if (!sheet) throw new Error(`no sheet titled ${title}`);
  const out = new Map<string, string[]>();
  sheet.eachRow((row) => {
    const label = String(row.getCell(1).value ?? '').trim();
    const values: string[] = [];
    for (let c = 2; c <= 13; c++) {
      const v = row.getCell(c).value;
      if (typeof v === 'number') values.push(new Intl.NumberFormat('nl-NL').format(v).replace(/\./g, ' '));
      else if (typeof v === 'string' && /^[.]?$/.test(v)) values.push(v);
    }
    if (label && values.length === 12) out.set(label, values);
  });
  return out;
}

describe('one table definition drives both formats', () => {
  let pdf: PdfReadBack;
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    const result = await renderEdition(
      { dataset: loadExample(EXAMPLES.corrected), previous: loadExample(EXAMPLES.asPublished), erratum: { date: '2020-04-28', text: '' } },
      loadResources(),
    );
    const bytes = (name: string) => result.artifacts.find((a) => a.name === name)?.bytes ?? Buffer.alloc(0);
    pdf = await readPdf(bytes('publicatie.pdf'));
    workbook = await loadWorkbook(bytes('tabellenbijlage.xlsx'));
  });

  it('prints every figure of the Kerncijfers table identically in the PDF and in the workbook', () => {
    const tables = pdfTables(pdf);
    const body = tables.get('Kerncijfers a) per Veilig Thuis-regio, 1e halfjaar van 2019*');
    expect(body?.size).toBe(27);
    const sheet = sheetFigures(workbook, 'Kerncijfers 1) per Veilig Thuis-regio, 1e halfjaar van 2019*');
    expect([...sheet.keys()]).toEqual([...(body?.keys() ?? [])]);
    for (const [label, figures] of body ?? []) expect(sheet.get(label), label).toEqual(figures);
  });

  it('prints the corrected version in the erratum with the same figures as the body and the workbook', () => {
    const tables = pdfTables(pdf);
    const corrected = tables.get('Kerncijfers a) per Veilig Thuis-regio, 1e halfjaar van 2019*, gecorrigeerde versie');
    const body = tables.get('Kerncijfers a) per Veilig Thuis-regio, 1e halfjaar van 2019*');
    expect(corrected?.size).toBe(27);
    expect(corrected).toEqual(body);
  });
});
