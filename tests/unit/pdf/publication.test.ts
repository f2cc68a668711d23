import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/model/dataset.js';
import { renderEdition } from '../../../src/render/render-edition.js';
import type { RenderRequest } from '../../../src/render/types.js';
import { loadResources } from '../../../src/resources.js';
import { EXAMPLES, loadExample, readExampleJson, seedKerncijfers, seedSentences, toDataset } from '../../helpers/examples.js';
import { type PdfReadBack, readPdf } from '../../helpers/pdf-text.js';

const resources = loadResources();

async function renderPdf(request: RenderRequest): Promise<{ bytes: Buffer; pdf: PdfReadBack }> {
  const result = await renderEdition(request, resources);
  const artifact = result.artifacts.find((a) => a.name === 'publicatie.pdf');
  if (!artifact) throw new Error('no publicatie.pdf');
  return { bytes: artifact.bytes, pdf: await readPdf(artifact.bytes) };
}

/** The figures of the Kerncijfers table as printed: region label → the 12 numbers on its line. */
function printedKerncijfers(pdf: PdfReadBack, labels: readonly string[]): Map<string, number[]> {
  const page = pdf.pages.find((p) => p.lines.some((l) => /^Kerncijfers a\) per Veilig Thuis-regio/.test(l)));
  if (!page) throw new Error('Kerncijfers table not found');
  const out = new Map<string, number[]>();
  // Each printed cell is its own text item, so a row's figures are read cell by cell.
  for (const cells of page.cells) {
    const [label, ...figures] = cells;
    if (label === undefined || !labels.includes(label) || !figures.every((f) => /^\d{1,3}( \d{3})*$/.test(f))) continue;
    out.set(
      label,
      figures.map((n) => Number(n.replace(/ /g, ''))),
    );
  }
  return out;
}

function kerncijfersFromDataset(dataset: Dataset): Map<string, number[]> {
  const table = dataset.tables.find((t) => t.id === 'kerncijfers');
  const regio = table?.dimensions.find((d) => d.key === 'Regio');
  const out = new Map<string, number[]>();
  for (const row of table?.rows ?? []) {
    const title = regio?.codes.find((c) => c.key === row.codes[0])?.title ?? '';
    out.set(
      title,
      row.cells.map((c) => (c.kind === 'value' ? c.value : Number.NaN)),
    );
  }
  return out;
}

describe('the publication PDF of the corrected 2019 example', () => {
  let corrected: Dataset;
  let pdf: PdfReadBack;
  let bytes: Buffer;

  beforeAll(async () => {
    corrected = loadExample(EXAMPLES.corrected);
    ({ pdf, bytes } = await renderPdf({ dataset: corrected }));
  });

  it('prints every figure of the Kerncijfers table on the row of its region, as in the dataset and the seed', () => {
    const seed = seedKerncijfers();
    expect(seed.size).toBe(27);
    const fromDataset = kerncijfersFromDataset(corrected);
    const printed = printedKerncijfers(pdf, [...seed.keys()]);
    expect([...printed.keys()]).toEqual([...seed.keys()]);
    for (const [label, figures] of seed) {
      expect(printed.get(label), label).toEqual(figures);
      expect(fromDataset.get(label), label).toEqual(figures);
    }
  });

  it('titles the table with its footnote marker, period and status mark, and prints source and footnotes under it', () => {
    const page = pdf.pages.find((p) => p.text.includes('Kerncijfers a) per Veilig Thuis-regio, 1e halfjaar van 2019*'));
    expect(page).toBeDefined();
    const text = page?.text ?? '';
    expect(text).toContain('Bron: CBS');
    expect(text).toContain('a) Alle kerncijfers hebben betrekking op de genoemde verslagperiode.');
    expect(text).toContain('b) Alleen overdrachten in casussen die afgesloten zijn in de verslagperiode.');
    // The spanning headers side by side on one line (the last may wrap within its columns).
    expect(text).toMatch(/Actieve casussen Actieve diensten onderzoek Actieve diensten Voorwaarden/);
    expect(text).toContain('aantal');
  });

  it('states the key sentence and every percentage of the seed, computed from the dataset', () => {
    const all = pdf.pages
      .map((p) => p.text)
      .join('\n')
      .replace(/\s+/g, ' ');
    const seed = seedSentences();
    expect(all).toContain(
      'In het 1e halfjaar van 2019 hebben de Veilig Thuis-organisaties 53 duizend adviezen gegeven en 65 duizend meldingen ontvangen.',
    );
    expect(seed.key).toContain('53 duizend adviezen');
    const printed = [...all.matchAll(/(\d+) procent/g)].map((m) => Number(m[1]));
    expect(printed).toEqual(seed.percentages);
    expect(all).toContain('In Nederland zijn 26 Veilig Thuis-organisaties actief.');
  });

  it('lists the chapters in the Inhoud with the pages on which they really start', () => {
    const contents = pdf.pages.find((p) => p.lines[0] === 'Inhoud');
    expect(contents).toBeDefined();
    const entries = (contents?.lines ?? []).flatMap((l) => {
      const m = /^(\d)\. (.+) (\d+)$/.exec(l);
      return m ? [{ title: `${m[1]}. ${m[2]}`, page: Number(m[3]), heading: m[2] ?? '' }] : [];
    });
    expect(entries.map((e) => e.title)).toEqual(['1. Werkwijze Veilig Thuis', '2. Uitkomsten', '3. Duiding van de kwaliteit']);
    for (const entry of entries) {
      const page = pdf.pages[entry.page - 1];
      expect(page?.lines.slice(0, 3), entry.title).toContain(entry.heading);
      expect(page?.lines.slice(0, 3)).toContain(entry.title.split(' ')[0]);
    }
  });

  it('has bookmarks for the chapters and sections, and the document metadata of a CBS publication', () => {
    expect(pdf.outline).toEqual(
      expect.arrayContaining([
        'Inhoud',
        'Inleiding',
        '1. Werkwijze Veilig Thuis',
        'Advies en ondersteuning',
        '2. Uitkomsten',
        '3. Duiding van de kwaliteit',
      ]),
    );
    expect(pdf.info.Title).toBe('Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019');
    expect(pdf.info.Author).toBe('CBS');
    expect(pdf.info.Language).toBe('nl-NL');
    expect(String(pdf.info.Subject)).toContain('1e halfjaar van 2019');
  });

  it('has the front matter and chapters of the seed, in its order', () => {
    const order = ['Verklaring van tekens', 'Inhoud', 'Inleiding', 'Werkwijze Veilig Thuis', 'Uitkomsten', 'Duiding van de kwaliteit'];
    const pages = order.map((h) => pdf.pages.findIndex((p) => p.lines.slice(0, 3).includes(h)));
    expect(pages.every((p) => p >= 0)).toBe(true);
    expect([...pages].sort((a, b) => a - b)).toEqual(pages);
    const all = pdf.pages.map((p) => p.text).join('\n');
    for (const activity of [
      'Advies en ondersteuning',
      'Veiligheidsbeoordeling',
      'Voorwaarden en Vervolg',
      'Onderzoek',
      'Monitoring',
      'Colofon',
    ]) {
      expect(all).toContain(activity);
    }
    expect(pdf.pages[0]?.text).toContain('Beleidsinformatie Veilig Thuis');
    expect(pdf.pages[0]?.text).toContain('1e halfjaar van 2019');
  });

  it('gives byte-identical files for identical input', async () => {
    const again = await renderPdf({ dataset: loadExample(EXAMPLES.corrected) });
    expect(again.bytes.equals(bytes)).toBe(true);
  });
});

describe('a dataset with other figures', () => {
  it("renders its own figures and region names, never the example's", async () => {
    const raw = readExampleJson(EXAMPLES.corrected);
    const kern = raw.tables.find((t) => t.id === 'kerncijfers') as {
      dimensions: { key: string; codes: { key: string; title: string }[] }[];
      rows: Record<string, unknown>[];
    };
    const regio = kern.dimensions.find((d) => d.key === 'Regio');
    const drenthe = regio?.codes.find((c) => c.title === 'Drenthe');
    if (!drenthe) throw new Error('Drenthe not in example');
    drenthe.title = 'Testregio Noordoost';
    for (const row of kern.rows) {
      for (const [key, value] of Object.entries(row)) if (typeof value === 'number') row[key] = value * 2 + 5;
    }
    const dataset = toDataset(raw);
    const { pdf } = await renderPdf({ dataset });
    const all = pdf.pages
      .map((p) => p.text)
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(all).toContain('Testregio Noordoost 2 295 2 475 2 925');
    expect(all).not.toMatch(/Drenthe 1 145/);
    expect(all).toContain('Totaal 106 165 129 925 147 645');
    expect(all).toContain('106 duizend adviezen gegeven en 130 duizend meldingen');
  });
});
