import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/model/dataset.js';
import { renderEdition } from '../../../src/render/render-edition.js';
import type { RenderedEdition, RenderRequest } from '../../../src/render/types.js';
import { loadResources } from '../../../src/resources.js';
import { EXAMPLES, loadExample, parseSeedTable, ROOT, readExampleJson, toDataset } from '../../helpers/examples.js';
import { type PdfReadBack, readPdf } from '../../helpers/pdf-text.js';

const resources = loadResources();
const MARK = '\u2020';

/** The seed's erratum tables (verbatim fixture): "foutieve" and "gecorrigeerde" version, label → figures. */
function seedErratumTables(): { wrong: Map<string, number[]>; corrected: Map<string, number[]> } {
  const text = readFileSync(path.join(ROOT, 'tests/fixtures/seed-erratum-kerncijfers.txt'), 'utf8');
  const split = text.indexOf('gecorrigeerde versie');
  return { wrong: parseSeedTable(text.slice(0, split)), corrected: parseSeedTable(text.slice(split)) };
}

interface PrintedRow {
  readonly label: string;
  readonly labelMarked: boolean;
  readonly figures: number[];
  readonly marked: boolean[];
}

/** The rows of the Kerncijfers table whose title line contains `title`, read cell by cell from the PDF. */
function printedTable(pdf: PdfReadBack, title: string): PrintedRow[] {
  const isTitle = (l: string) => l.startsWith('Kerncijfers') && l.includes(title);
  const page = pdf.pages.find((p) => p.lines.some(isTitle));
  if (!page) throw new Error(`table "${title}" not found`);
  const start = page.lines.findIndex(isTitle);
  const rows: PrintedRow[] = [];
  for (const cells of page.cells.slice(start + 1)) {
    if (cells[0]?.startsWith('Bron:')) break;
    // A marked cell prints as "†" and the figure, possibly as two text items.
    const joined: string[] = [];
    for (const c of cells) {
      if (joined.length > 0 && joined[joined.length - 1] === MARK) joined[joined.length - 1] = `${MARK} ${c}`;
      else joined.push(c);
    }
    const [label, ...rest] = joined;
    if (!label || rest.length !== 12 || !rest.every((c) => /^(\u2020 )?\d{1,3}( \d{3})*$/.test(c))) continue;
    const labelMarked = label.endsWith(MARK);
    rows.push({
      label: labelMarked ? label.slice(0, -1).trim() : label,
      labelMarked,
      figures: rest.map((c) => Number(c.replace(/[^\d]/g, ''))),
      marked: rest.map((c) => c.startsWith(MARK)),
    });
  }
  return rows;
}

async function render(request: RenderRequest): Promise<RenderedEdition & { pdf: (name: string) => Promise<PdfReadBack> }> {
  const result = await renderEdition(request, resources);
  return {
    ...result,
    pdf: async (name) => {
      const a = result.artifacts.find((x) => x.name === name);
      if (!a) throw new Error(`no ${name}`);
      return readPdf(a.bytes);
    },
  };
}

describe('the corrected edition of the 2019 example (the seed erratum of 28 April 2020)', () => {
  let asPublished: Dataset;
  let corrected: Dataset;
  let result: Awaited<ReturnType<typeof render>>;
  let erratum: PdfReadBack;
  let publication: PdfReadBack;
  const request = () => ({ dataset: corrected, previous: asPublished, erratum: { date: '2020-04-28', text: '' } });

  beforeAll(async () => {
    asPublished = loadExample(EXAMPLES.asPublished);
    corrected = loadExample(EXAMPLES.corrected);
    result = await render(request());
    erratum = await result.pdf('erratum.pdf');
    publication = await result.pdf('publicatie.pdf');
  });

  it('is edition 2, corrected on 28 April 2020, with all three files', () => {
    expect(result.edition).toBe(2);
    expect(result.correctedOn).toBe('2020-04-28');
    expect(result.artifacts.map((a) => a.name)).toEqual(['publicatie.pdf', 'tabellenbijlage.xlsx', 'erratum.pdf']);
  });

  it('prints both tables of the seed erratum completely, figure for figure', () => {
    const seed = seedErratumTables();
    expect(seed.wrong.size).toBe(27);
    for (const [suffix, expected] of [
      ['foutieve versie', seed.wrong],
      ['gecorrigeerde versie', seed.corrected],
    ] as const) {
      const rows = printedTable(erratum, suffix);
      expect(rows.map((r) => r.label)).toEqual([...expected.keys()]);
      for (const row of rows) expect(row.figures, `${suffix}: ${row.label}`).toEqual(expected.get(row.label));
    }
  });

  it('marks exactly the corrected cells, and the two swapped region names', () => {
    const seed = seedErratumTables();
    const corrected = printedTable(erratum, 'gecorrigeerde versie');
    const wrong = printedTable(erratum, 'foutieve versie');
    const swapped = ['Noord en Oost Gelderland', 'Noord- en Midden Limburg'];
    expect(corrected.filter((r) => r.labelMarked).map((r) => r.label)).toEqual(swapped);
    expect(wrong.filter((r) => r.labelMarked).map((r) => r.label)).toEqual(swapped);
    // Outside the swapped rows a cell is marked exactly when the seed's two versions differ.
    let marks = 0;
    for (const row of corrected) {
      const before = seed.wrong.get(row.label) ?? [];
      row.figures.forEach((value, i) => {
        if (!swapped.includes(row.label)) expect(row.marked[i], `${row.label} column ${i + 1}`).toBe(value !== before[i]);
        if (row.marked[i]) marks++;
      });
    }
    expect(marks).toBe(34);
    // Within the swapped rows: the corrected active counts, compared with the row they came from.
    const noog = corrected.find((r) => r.label === 'Noord en Oost Gelderland');
    expect(noog?.marked).toEqual([false, false, true, false, false, false, false, false, true, false, false, false]);
  });

  it('tells the editor what the seed erratum tells: the swap, the corrected counts, the unchanged ones', () => {
    const text = erratum.pages
      .map((p) => p.text)
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(text).toContain('Datum: 28 april 2020');
    expect(text).toContain('verwisseling van de namen van de Veilig Thuis-regio');
    expect(text).toMatch(/Noord en Oost Gelderland en Noord- en Midden Limburg/);
    expect(text).toMatch(/actieve casussen, actieve diensten onderzoek en actieve diensten Voorwaarden en Vervolg/);
    expect(text).toMatch(/gestarte adviezen, ontvangen meldingen en overdrachten zijn, afgezien van de verwisselde namen, ongewijzigd/);
    expect(erratum.info.Title).toBe('Erratum: Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019');
  });

  it('marks the publication as corrected on the title page and in the colofon, with the erratum at the end', () => {
    expect(publication.pages[1]?.text).toContain('Gecorrigeerde editie, 28 april 2020');
    const all = publication.pages.map((p) => p.text).join('\n');
    expect(all).toMatch(/Dit is editie 2 van deze publicatie, gecorrigeerd op 28 april 2020/);
    const contents = publication.pages.find((p) => p.lines[0] === 'Inhoud');
    const entry = contents?.lines.find((l) => l.startsWith('Erratum'));
    const page = Number(entry?.split(' ').pop());
    expect(publication.pages[page - 1]?.lines[0]).toBe('Erratum');
    expect(publication.outline).toContain('Erratum');
    // The body shows the corrected figures.
    const body = printedTable(publication, 'Kerncijfers a) per Veilig Thuis-regio, 1e halfjaar van 2019*');
    expect(body.find((r) => r.label === 'Totaal')?.figures[2]).toBe(73820);
  });

  it('gives byte-identical files when rendered again', async () => {
    const again = await renderEdition(request(), resources);
    for (const a of again.artifacts) {
      expect(a.bytes.equals(result.artifacts.find((b) => b.name === a.name)?.bytes ?? Buffer.alloc(0)), a.name).toBe(true);
    }
  });
});

describe('other corrections', () => {
  const base = () => readExampleJson(EXAMPLES.corrected);
  const kern = (raw: ReturnType<typeof base>) =>
    raw.tables.find((t) => t.id === 'kerncijfers') as unknown as {
      rows: Record<string, unknown>[];
      dimensions: { key: string; codes: { key: string; title: string; level?: string }[] }[];
    };

  async function erratumText(before: Dataset, after: Dataset): Promise<{ text: string; pdf: PdfReadBack }> {
    const result = await render({
      dataset: after,
      previous: before,
      erratum: { date: '2020-05-01', text: 'Een **eigen** toelichting van de redactie.' },
    });
    const pdf = await result.pdf('erratum.pdf');
    return {
      text: pdf.pages
        .map((p) => p.text)
        .join('\n')
        .replace(/\s+/g, ' '),
      pdf,
    };
  }

  it("a single corrected cell is the only mark, and the editor's own text is printed", async () => {
    const before = toDataset(base());
    const raw = base();
    const row = kern(raw).rows.find((r) => r.Regio === 'VT09');
    if (row) row.Overdrachten = 1410;
    const { text, pdf } = await erratumText(before, toDataset(raw));
    expect(text).toContain('Een eigen toelichting van de redactie.');
    const after = printedTable(pdf, 'gecorrigeerde versie');
    const marked = after.flatMap((r) => r.marked.flatMap((m, i) => (m ? [`${r.label}:${i}:${r.figures[i]}`] : [])));
    expect(marked).toEqual(['Groningen:11:1410']);
    expect(printedTable(pdf, 'foutieve versie').find((r) => r.label === 'Groningen')?.figures[11]).toBe(1405);
  });

  it('an added region is named in the summary', async () => {
    const before = toDataset(base());
    const raw = base();
    const table = kern(raw);
    table.dimensions[0]?.codes.push({ key: 'VT27', title: 'Proefregio Waddeneilanden', level: 'veilig-thuis-regio' });
    const template = table.rows[1] ?? {};
    table.rows.push({ ...template, Regio: 'VT27' });
    const { text } = await erratumText(before, toDataset(raw));
    expect(text).toContain('Proefregio Waddeneilanden');
  });

  it('a symbol that becomes a figure is marked as a correction', async () => {
    const beforeRaw = base();
    const beforeRow = kern(beforeRaw).rows.find((r) => r.Regio === 'VT08');
    if (beforeRow) beforeRow.GeslotenDienstenOnderzoek = '.';
    const { pdf } = await erratumText(toDataset(beforeRaw), toDataset(base()));
    const text = pdf.pages.map((p) => p.text).join('\n');
    expect(text).toMatch(/Gooi en Vechtstreek 865 830 930 585 370 5 5 † \. 250/);
    const after = printedTable(pdf, 'gecorrigeerde versie').find((r) => r.label === 'Gooi en Vechtstreek');
    expect(after?.marked[7]).toBe(true);
    expect(after?.figures[7]).toBe(0);
  });

  it('names every code of a changed row of a table with several dimensions, as the rows it stands under', async () => {
    const raw = base();
    const cube = raw.tables.find((t) => t.id === 'huiselijk-geweld-aard-regio') as unknown as { rows: Record<string, unknown>[] };
    const row = cube.rows.find((r) => r.AardGeweld !== 'T001' && r.AanvullendeInformatie === 'T001' && r.Regio === 'NL01');
    if (!row || typeof row.GestarteAdviezen !== 'number') throw new Error('no row to correct');
    row.GestarteAdviezen += 5;
    const { pdf } = await erratumText(toDataset(base()), toDataset(raw));
    const lines = pdf.pages.flatMap((p) => p.lines);
    const title = lines.findIndex((l) => l.includes('gecorrigeerde versie'));
    const body = lines.slice(
      title,
      lines.findIndex((l, i) => i > title && l.startsWith('Bron:')),
    );
    const nederland = body.findIndex((l) => l.startsWith('Nederland'));
    // The aard of geweld and the aanvullende informatie stand right above the region, as group rows.
    const dims = (cube as unknown as { dimensions: { key: string; codes: { key: string; title: string }[] }[] }).dimensions;
    const aard = dims.find((d) => d.key === 'AardGeweld')?.codes.find((c) => c.key === row.AardGeweld)?.title;
    expect(nederland).toBeGreaterThan(1);
    expect(body.slice(nederland - 2, nederland)).toEqual([aard, 'Totaal']);
  });

  it('a correction of thousands of rows is not laid out in the PDF but referred to the workbook', async () => {
    const raw = base();
    const cube = raw.tables.find((t) => t.id === 'huiselijk-geweld-aard-regio') as unknown as { rows: Record<string, unknown>[] };
    for (const row of cube.rows) if (typeof row.GestarteAdviezen === 'number') row.GestarteAdviezen += 5;
    const { text, pdf } = await erratumText(toDataset(base()), toDataset(raw));
    expect(text).toMatch(/zijn [\d ]+ cijfers in [\d ]+ rijen gecorrigeerd\. Dat zijn te veel om hier als tabel te tonen/);
    expect(pdf.pages.length).toBeLessThan(6);
  });
});
