import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, toPlainTitle } from '../../../src/model/dataset.js';
import { defaultWorkbookTables, renderWorkbook } from '../../../src/render/xlsx/build-workbook.js';
import {
  checkFigures,
  decodeXml,
  EXAMPLE_2019,
  loadDataset,
  loadWorkbook,
  packageParts,
  type RawTable,
  readRaw,
  type SheetSpec,
  sheetXmlByName,
  textOf,
} from './workbook-reading.js';

const CUBE = 'huiselijk-geweld-aard-regio';
const CUBE_MEASURES = [
  'GestarteAdviezen',
  'OntvangenMeldingen',
  'CasussenMetOntvangenMeldingen',
  'AfgerondeDienstenOnderzoek',
  'AfgerondeDienstenVoorwaardenEnVervolg',
];

/** What an editor finds on each table sheet of the 2019 tabellenbijlage, in order. */
const SHEETS_2019: readonly SheetSpec[] = [
  { tableId: 'kerncijfers', rows: ['Regio'], columns: [], fixed: {} },
  { tableId: 'adviezen-adviesvrager', rows: ['Adviesvrager'], columns: [], fixed: {} },
  { tableId: 'meldingen-melder', rows: ['Melder'], columns: [], fixed: {} },
  { tableId: 'veiligheidsbeoordelingen', rows: ['Inhoud'], columns: [], fixed: {} },
  { tableId: 'veiligheidstaxatie', rows: ['Taxatie'], columns: [], fixed: {} },
  { tableId: 'onderzoek-uitkomst', rows: ['Vermoeden', 'Uitkomst'], columns: [], fixed: {} },
  { tableId: 'overdrachten-partij', rows: ['Partij'], columns: [], fixed: {} },
  ...CUBE_MEASURES.map((measure) => ({
    tableId: CUBE,
    rows: ['Regio'],
    columns: ['AardGeweld'],
    measure,
    fixed: { AanvullendeInformatie: 'T001' },
  })),
  ...CUBE_MEASURES.map((measure) => ({
    tableId: CUBE,
    rows: ['Regio'],
    columns: ['AanvullendeInformatie'],
    measure,
    fixed: { AardGeweld: 'T001' },
  })),
  { tableId: CUBE, rows: ['AardGeweld', 'AanvullendeInformatie', 'Regio'], columns: [], fixed: {} },
];

let dataset: Dataset;
let raw: { tables: RawTable[] };
let bytes: Buffer;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  dataset = loadDataset(EXAMPLE_2019);
  raw = readRaw(EXAMPLE_2019);
  bytes = await renderWorkbook(dataset, { tables: defaultWorkbookTables(dataset), edition: 1 });
  workbook = await loadWorkbook(bytes);
});

function sheet(name: string): ExcelJS.Worksheet {
  const ws = workbook.getWorksheet(name);
  if (!ws) throw new Error(`no sheet "${name}"`);
  return ws;
}

function rawTable(id: string): RawTable {
  const table = raw.tables.find((t) => t.id === id);
  if (!table) throw new Error(`no table ${id}`);
  return table;
}

describe('the tabellenbijlage of the 2019 example', () => {
  it('opens with the title page, the contents and the Verklaring van tekens, then one sheet per table and the data sheets', () => {
    const names = workbook.worksheets.map((ws) => ws.name);
    expect(names.slice(0, 4)).toEqual(['Titelpagina', 'Inhoud', 'Verklaring van tekens', 'Toelichting']);
    expect(names.slice(4, 22)).toEqual(SHEETS_2019.map((_, i) => `Tabel ${i + 1}`));
    expect(names.slice(22)).toEqual([1, 2, 3, 4, 5, 6, 7, 18].map((n) => `Tabel ${n} (data)`));
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[[\]:*?/\\]/);
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });

  it('shows every figure of every table sheet as the dataset gives it, found by the labels the sheet shows', () => {
    let total = 0;
    SHEETS_2019.forEach((spec, i) => {
      const result = checkFigures(sheet(`Tabel ${i + 1}`), rawTable(spec.tableId), spec);
      expect(result.mismatches).toEqual([]);
      total += result.checked;
    });
    // 27×12 kerncijfers + the six small tables + 10 views of 43 regions + the long table of 3 096 × 5.
    expect(total).toBe(27 * 12 + 4 + 5 + 6 + 6 + 12 + 8 + 5 * 43 * 8 + 5 * 43 * 9 + 3096 * 5);
  });

  it('keeps the symbol "." as text, apart from the numbers, right-aligned', () => {
    const spec = SHEETS_2019[17] as SheetSpec;
    const result = checkFigures(sheet('Tabel 18'), rawTable(CUBE), spec);
    expect(result.symbols).toBe(rawTable(CUBE).rows.reduce((n, row) => n + CUBE_MEASURES.filter((m) => row[m] === '.').length, 0));
    const ws = sheet('Tabel 18');
    let seen = 0;
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        if (cell.value === '.' && cell.fullAddress.col > 1) {
          seen++;
          expect(cell.type).toBe(ExcelJS.ValueType.String);
          expect(cell.alignment?.horizontal).toBe('right');
        }
      });
    });
    expect(seen).toBe(result.symbols);
  });

  it('writes figures as numbers with a format that groups thousands with a space', () => {
    const ws = sheet('Tabel 1');
    const total = ws.getCell('B6');
    expect(total.value).toBe(53080);
    expect(total.type).toBe(ExcelJS.ValueType.Number);
    // exceljs drops the escape when reading; the file itself holds "#\ ##0" (a literal space).
    expect(total.numFmt).toBe('# ##0');
    expect(textOf(ws.getCell('A15'))).toBe('Groningen');
    expect(ws.getCell('K15').value).toBe(60);
    expect(ws.getCell('K15').numFmt).toBe('0');
    expect(packageParts(bytes).get('xl/styles.xml')).toContain('formatCode="#\\ ##0"');
  });

  it('titles each table with footnote markers as "1)", the period and the status mark', () => {
    expect(textOf(sheet('Tabel 1').getCell('A1'))).toBe('Kerncijfers 1) per Veilig Thuis-regio, 1e halfjaar van 2019*');
    expect(textOf(sheet('Tabel 8').getCell('A1'))).toBe("Gestarte adviezen naar aard van het geweld en regio's, 1e halfjaar van 2019*");
  });

  it('merges the Kerncijfers header exactly as the table spans it', () => {
    const ws = sheet('Tabel 1');
    const view = ws.views[0] as { ySplit: number };
    const top = view.ySplit - 2;
    expect(textOf(ws.getCell(top, 2))).toBe('Gestarte adviezen');
    const headerMerges = ws.model.merges.filter((range) => Number(/\d+/.exec(range)?.[0]) < view.ySplit).sort();
    const sub = top + 1;
    expect(headerMerges).toEqual(
      [`B${top}:B${sub}`, `C${top}:C${sub}`, `D${top}:F${top}`, `G${top}:I${top}`, `J${top}:L${top}`, `M${top}:M${sub}`].sort(),
    );
    expect(['D', 'G', 'J'].map((c) => textOf(ws.getCell(`${c}${top}`)))).toEqual([
      'Actieve casussen',
      'Actieve diensten onderzoek',
      'Actieve diensten Voorwaarden en Vervolg',
    ]);
    expect(['E', 'F', 'H', 'I', 'K', 'L'].map((c) => textOf(ws.getCell(`${c}${sub}`)))).toEqual([
      'waarvan gestart',
      'waarvan gesloten',
      'waarvan gestart',
      'waarvan gesloten',
      'waarvan gestart',
      'waarvan gesloten',
    ]);
    expect(textOf(ws.getCell(`M${top}`))).toBe('Overdrachten 2)');
    expect(textOf(ws.getCell(view.ySplit, 2))).toBe('aantal');
  });

  it('puts source and footnotes directly under the table, then the explanation and the measure definitions', () => {
    const ws = sheet('Tabel 1');
    const texts: string[] = [];
    ws.eachRow((row) => {
      texts.push(textOf(row.getCell(1)));
    });
    const source = texts.indexOf('Bron: CBS');
    expect(texts[source - 1]).toBe('Zuidoost-Brabant');
    expect(texts.slice(source + 1, source + 3)).toEqual([
      '1) Alle kerncijfers hebben betrekking op de genoemde verslagperiode.',
      '2) Alleen overdrachten in casussen die afgesloten zijn in de verslagperiode. Overdrachten zijn op persoonsniveau.',
    ]);
    expect(texts).toContain('Tabeltoelichting');
    expect(texts).toContain('Actieve casussen, waarvan gestart');
    expect(texts).toContain('Actieve casussen die in de verslagperiode zijn gestart.');
  });

  it('notes under and over an illustrative table that its figures are not official', () => {
    const ws = sheet('Tabel 2');
    expect(textOf(ws.getCell('A2'))).toBe('Illustratieve cijfers: geen officiële CBS-cijfers.');
    const texts: string[] = [];
    ws.eachRow((row) => {
      texts.push(textOf(row.getCell(1)));
    });
    expect(texts.filter((t) => t.startsWith('Illustratieve cijfers'))).toHaveLength(2);
    expect(textOf(sheet('Tabel 1').getCell('A2'))).toBe('');
  });

  it('indents nested row labels, shows group rows as labels and totals in bold', () => {
    const ws = sheet('Tabel 18');
    const view = ws.views[0] as { ySplit: number };
    const first = view.ySplit + 1;
    expect([0, 1, 2].map((d) => ws.getCell(first + d, 1).alignment?.indent ?? 0)).toEqual([0, 1, 2]);
    expect([0, 1, 2].map((d) => textOf(ws.getCell(first + d, 1)))).toEqual(['Totaal', 'Totaal', 'Nederland']);
    expect(ws.getCell(first, 2).value).toBeNull();
    expect(ws.getCell(first + 2, 1).font?.bold).toBe(true);
    expect(ws.getCell(first + 2, 2).font?.bold).toBe(true);
    expect(ws.getCell(first + 3, 1).font?.bold).toBeFalsy();
    // The row-label header names the row dimensions, so two "Totaal" rows can be told apart.
    expect(textOf(ws.getCell(view.ySplit - 1, 1))).toMatch(/^Aard van het geweld\n.*Aanvullende informatie\n.*Regio's$/);
  });

  it('freezes the header and the row labels and prints landscape, one page wide', () => {
    for (let n = 1; n <= 18; n++) {
      const ws = sheet(`Tabel ${n}`);
      const view = ws.views[0] as { state: string; xSplit: number; ySplit: number };
      expect(view.state).toBe('frozen');
      expect(view.xSplit).toBe(1);
      expect(view.ySplit).toBeGreaterThan(2);
      expect(ws.pageSetup.orientation).toBe('landscape');
      expect(ws.pageSetup.fitToPage).toBe(true);
      expect(ws.pageSetup.fitToWidth).toBe(1);
      expect(ws.pageSetup.fitToHeight).toBe(0);
      expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(12);
    }
  });

  it('gives each dataset table a machine-readable Excel table with one header row, no merges, numbers as numbers', () => {
    const parts = packageParts(bytes);
    const tables = [...parts.entries()].filter(([name]) => /^xl\/tables\/table\d+\.xml$/.test(name)).map(([, xml]) => xml);
    expect(tables).toHaveLength(8);
    for (const xml of tables) {
      expect(xml).toMatch(/ref="A1:[A-Z]+\d+"/);
      expect(xml).not.toMatch(/headerRowCount="(0|[2-9])"/);
    }
    const ws = sheet('Tabel 18 (data)');
    expect(ws.model.merges).toEqual([]);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      'Aard van het geweld',
      'Aanvullende informatie',
      "Regio's",
      'Perioden',
      ...rawTable(CUBE).measures.map((m) => `${m.title} (${m.unit})`),
      'Aard van het geweld (code)',
      'Aanvullende informatie (code)',
      "Regio's (code)",
      'Perioden (code)',
    ]);
    const cube = rawTable(CUBE);
    const byCodes = new Map(cube.rows.map((row) => [`${row.AardGeweld}|${row.AanvullendeInformatie}|${row.Regio}`, row]));
    expect(ws.rowCount).toBe(1 + cube.rows.length);
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const codes = [10, 11, 12].map((c) => textOf(row.getCell(c))).join('|');
      const expected = byCodes.get(codes);
      expect(expected, `row ${r}`).toBeDefined();
      CUBE_MEASURES.forEach((m, i) => {
        expect(row.getCell(5 + i).value, `${codes} ${m}`).toBe(expected?.[m]);
      });
    }
  });

  it('links every table from the contents with an internal link to an existing sheet', () => {
    const sheets = sheetXmlByName(bytes);
    const contents = sheets.get('Inhoud');
    const locations = [...(contents?.xml ?? '').matchAll(/<hyperlink ref="([A-Z]+\d+)" location="([^"]+)"\/>/g)].map((m) => ({
      ref: m[1] ?? '',
      sheet: /^'(.*)'!A1$/.exec(decodeXml(m[2] ?? ''))?.[1]?.replace(/''/g, "'") ?? '',
    }));
    expect(contents?.xml).not.toMatch(/<hyperlink [^>]*r:id=/);
    expect(contents?.rels ?? '').not.toMatch(/hyperlink/);
    const names = new Set(workbook.worksheets.map((ws) => ws.name));
    for (const link of locations) expect(names.has(link.sheet), link.sheet).toBe(true);
    const linked = new Set(locations.map((l) => l.sheet));
    for (let n = 1; n <= 18; n++) expect(linked.has(`Tabel ${n}`)).toBe(true);
    expect(linked.has('Tabel 18 (data)')).toBe(true);
    // The link text is the sheet name, next to the table's title and period.
    const ws = sheet('Inhoud');
    const first = locations.find((l) => l.sheet === 'Tabel 1')?.ref ?? '';
    expect(textOf(ws.getCell(first))).toBe('Tabel 1');
    const row = ws.getCell(first).row;
    expect(textOf(ws.getCell(row, 2))).toBe('Kerncijfers per Veilig Thuis-regio');
    expect(textOf(ws.getCell(row, 3))).toBe('1e halfjaar van 2019*');
    // No other sheet has a link.
    for (const [name, part] of sheets) if (name !== 'Inhoud') expect(part.xml, name).not.toContain('<hyperlink');
  });

  it('shows on the title page the title, period, status, date, edition, source, contact and the illustrative note', () => {
    const ws = sheet('Titelpagina');
    const texts: string[] = [];
    ws.eachRow((row) => {
      texts.push(
        (row.values as unknown[])
          .slice(1)
          .map((v) => (v === undefined || v === null ? '' : String(v)))
          .join(' | '),
      );
    });
    const all = texts.join('\n');
    for (const expected of [
      'Beleidsinformatie Veilig Thuis',
      '1e halfjaar van 2019',
      'Status van de cijfers | Voorlopige cijfers (in de tabellen aangeduid met *)',
      'Publicatiedatum | 30 januari 2020',
      'Editie | 1',
      'Bron | CBS',
      'Centraal Bureau voor de Statistiek',
      'Henri Faasdreef 312, 2492 JP Den Haag',
      'www.cbs.nl',
      'Tel. 088 570 70 70',
      'www.cbs.nl/infoservice',
      String(dataset.publication.illustrativeNote),
    ]) {
      expect(all).toContain(expected);
    }
    expect(all).not.toContain('Gecorrigeerde editie');
  });

  it('explains the symbols as the publication does', () => {
    const ws = sheet('Verklaring van tekens');
    const pairs: string[] = [];
    ws.eachRow((row) => {
      pairs.push(`${textOf(row.getCell(1))}\t${textOf(row.getCell(2))}`);
    });
    expect(pairs).toContain('Niets (blanco)\tEen cijfer kan op logische gronden niet voorkomen');
    expect(pairs).toContain('.\tHet cijfer is onbekend, onvoldoende betrouwbaar of geheim');
    expect(pairs).toContain('*\tVoorlopige cijfers');
    expect(pairs).toContain('**\tNader voorlopige cijfers');
    expect(pairs).toContain("2017/'18–2019/'20\tOogstjaar, boekjaar, enz., 2017/'18 tot en met 2019/'20");
    expect(pairs.some((p) => p.startsWith('In geval van afronding kan het voorkomen'))).toBe(true);
  });

  it('sets the document properties: title, subject, creator CBS, company, Dutch, dated by the publication', async () => {
    expect(workbook.creator).toBe('CBS');
    expect(workbook.lastModifiedBy).toBe('CBS');
    expect(workbook.company).toBe('Centraal Bureau voor de Statistiek');
    expect(workbook.title).toBe('Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019: tabellenbijlage');
    expect(workbook.subject).toContain('Beleidsinformatie Veilig Thuis');
    expect((workbook as unknown as { language: string }).language).toBe('nl-NL');
    expect(workbook.created.toISOString()).toBe('2020-01-30T00:00:00.000Z');
    expect(workbook.modified.toISOString()).toBe('2020-01-30T00:00:00.000Z');
    const core = packageParts(bytes).get('docProps/core.xml') ?? '';
    expect(core).toContain('<dc:language>nl-NL</dc:language>');
  });

  it('gives the same bytes for the same input, also a while later', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const again = await renderWorkbook(dataset, { tables: defaultWorkbookTables(dataset), edition: 1 });
    expect(again.equals(bytes)).toBe(true);
  });

  it('gives row labels with footnote markers as "1)"', () => {
    const ws = sheet('Tabel 4');
    const labels: string[] = [];
    ws.eachRow((row) => {
      labels.push(textOf(row.getCell(1)));
    });
    expect(labels).toContain(toPlainTitle('Overdracht[^1]'));
    expect(labels).toContain(
      '1) Naar het cliëntsysteem, naar het lokale veld, naar een instelling of professional die al bij het gezin of huishouden betrokken is of naar een multidisciplinair team.',
    );
  });
});

describe('the presentation sheets', () => {
  it('sets a note marker apart from the word it marks: "Kerncijfers 1)", not "Kerncijfers1)"', () => {
    expect(textOf(sheet('Tabel 1').getCell('A1'))).toMatch(/^Kerncijfers 1\) per Veilig Thuis-regio/);
  });

  it("gathers every table's source, notes and explanation on a Toelichting sheet", () => {
    const texts: string[] = [];
    sheet('Toelichting').eachRow((row) => {
      texts.push(textOf(row.getCell(1)));
    });
    expect(texts[0]).toBe('Toelichting');
    const kern = texts.indexOf('Tabel 1. Kerncijfers 1) per Veilig Thuis-regio, 1e halfjaar van 2019*');
    expect(kern).toBeGreaterThan(0);
    expect(texts.slice(kern, kern + 4)).toEqual([
      'Tabel 1. Kerncijfers 1) per Veilig Thuis-regio, 1e halfjaar van 2019*',
      'Bron: CBS',
      '1) Alle kerncijfers hebben betrekking op de genoemde verslagperiode.',
      expect.stringMatching(/^2\) Alleen overdrachten/),
    ]);
    expect(texts).toContain('Tabeltoelichting');
    expect(texts).toContain('Adviezen die in de verslagperiode zijn gestart.');
  });

  it('prints a table sheet up to its notes, so no printed page holds only the explanation under repeated headers', () => {
    const ws = sheet('Tabel 1');
    const area = ws.pageSetup.printArea ?? '';
    const lastPrinted = Number(/(\d+)$/.exec(area)?.[1]);
    let explanation = 0;
    ws.eachRow((row, n) => {
      if (textOf(row.getCell(1)) === 'Tabeltoelichting') explanation = n;
    });
    expect(explanation).toBeGreaterThan(0);
    expect(lastPrinted).toBeLessThan(explanation);
    expect(textOf(ws.getCell(lastPrinted, 1))).not.toBe('');
  });
});
