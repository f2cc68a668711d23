import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEdition } from '../../../src/render/render-edition.js';
import { MARGINS } from '../../../src/render/pdf/style.js';
import type { RenderedEdition } from '../../../src/render/types.js';
import { loadResources } from '../../../src/resources.js';
import { EXAMPLES, loadExample, readExampleJson, toDataset } from '../../helpers/examples.js';
import { type PageLayout, readLayout } from '../../helpers/pdf-layout.js';
import { readPdf } from '../../helpers/pdf-text.js';

const resources = loadResources();
/** Rounding of pdfjs's positions and of the fonts' side bearings. */
const TOLERANCE = 0.75;

function pdfOf(result: RenderedEdition, name: 'publicatie.pdf' | 'erratum.pdf'): Buffer {
  const artifact = result.artifacts.find((a) => a.name === name);
  if (!artifact) throw new Error(`no ${name}`);
  return artifact.bytes;
}

/** Every text item and path that lies left or right of the text column, as "page: what (x0-x1)". */
function outsideMargins(pages: readonly PageLayout[]): string[] {
  const left = MARGINS[0] - TOLERANCE;
  const out: string[] = [];
  for (const page of pages) {
    // A portrait or a landscape page.
    const right = page.width - MARGINS[2] + TOLERANCE;
    for (const t of page.texts) {
      if (t.x0 < left || t.x1 > right) out.push(`${page.number}: "${t.text}" (${t.x0.toFixed(1)}-${t.x1.toFixed(1)})`);
    }
    for (const p of page.paths) {
      // The cover's full-bleed fill is meant to reach the paper's edges.
      if (p.x1 - p.x0 >= page.width - 1) continue;
      if (p.x0 < left || p.x1 > right) out.push(`${page.number}: path (${p.x0.toFixed(1)}-${p.x1.toFixed(1)})`);
    }
  }
  return out;
}

describe('tables fit the text column', () => {
  let corrected: RenderedEdition;
  let wide: RenderedEdition;

  beforeAll(async () => {
    const request = {
      dataset: loadExample(EXAMPLES.corrected),
      previous: loadExample(EXAMPLES.asPublished),
      erratum: { date: '2020-04-28', text: 'Twee fouten hersteld.' },
    };
    corrected = await renderEdition(request, resources);
    // Figures a thousand times larger ("73 820 000"): twelve columns of them need a smaller size.
    const raw = readExampleJson(EXAMPLES.corrected);
    for (const table of raw.tables) {
      for (const row of table.rows as Record<string, unknown>[]) {
        for (const [key, value] of Object.entries(row)) if (typeof value === 'number') row[key] = value * 1000 + 567;
      }
    }
    wide = await renderEdition({ dataset: toDataset(raw) }, resources);
  });

  it('draws nothing of the 2019 publication outside the page margins', async () => {
    const pages = await readLayout(pdfOf(corrected, 'publicatie.pdf'));
    // The Kerncijfers table reaches the right margin: it uses the column, and no more.
    const kerncijfers = pages.filter((p) => p.texts.some((t) => t.text.startsWith('Kerncijfers')) && p.paths.length > 20);
    expect(kerncijfers.length).toBeGreaterThan(0);
    expect(outsideMargins(pages)).toEqual([]);
  });

  it('draws nothing of the erratum, with its marked tables, outside the page margins', async () => {
    expect(outsideMargins(await readLayout(pdfOf(corrected, 'erratum.pdf')))).toEqual([]);
  });

  it('puts a table too wide for the portrait column on a landscape page, inside its margins', async () => {
    const raw = readExampleJson(EXAMPLES.corrected);
    for (const table of raw.tables) {
      for (const row of table.rows as Record<string, unknown>[]) {
        for (const [key, value] of Object.entries(row)) if (typeof value === 'number') row[key] = value * 1_000_000 + 567;
      }
    }
    const result = await renderEdition({ dataset: toDataset(raw) }, resources);
    const pages = await readLayout(pdfOf(result, 'publicatie.pdf'));
    expect(outsideMargins(pages)).toEqual([]);
    const table = pages.find((p) => p.texts.some((t) => t.text.replace(/\u00a0/g, ' ') === '73 820 000 567'));
    expect(table && table.width > table.height).toBe(true);
    // The text after it is on portrait pages again.
    expect((pages.at(-1)?.width ?? 0) < (pages.at(-1)?.height ?? 0)).toBe(true);
  });

  it('sets a table of wide figures smaller, inside the page margins, with every figure whole', async () => {
    const pages = await readLayout(pdfOf(wide, 'publicatie.pdf'));
    expect(outsideMargins(pages)).toEqual([]);
    const figures = pages.flatMap((p) => p.texts.map((t) => t.text.replace(/\u00a0/g, ' ')));
    expect(figures).toContain('73 820 567');
    expect(figures).toContain('53 080 567');
  });

  it('prints each note on the page of its reference, with markers of at least 5.5 pt, table notes lettered apart', async () => {
    const pages = await readLayout(pdfOf(corrected, 'publicatie.pdf'));
    let notes = 0;
    for (const page of pages) {
      // A note line starts with its marker unraised: "1) Al dan niet ..."; its reference is a raised "1)".
      const noteLines = page.texts.filter((t) => /^\d+\) \S/.test(t.text));
      const markers = page.texts.filter((t) => /^[\da-z]+\)$/.test(t.text.trim()));
      for (const line of noteLines) {
        const ref = line.text.slice(0, line.text.indexOf(')') + 1);
        notes++;
        expect(
          markers.some((m) => m.text.trim() === ref && m.y0 > line.y0),
          `page ${page.number}: note "${line.text.slice(0, 30)}" without its reference above it`,
        ).toBe(true);
      }
      for (const m of markers) expect(m.y1 - m.y0, `page ${page.number}: marker ${m.text}`).toBeGreaterThanOrEqual(5.5);
      // The notes of the Kerncijfers table are lettered, so they cannot be taken for the text's notes.
      if (page.texts.some((t) => t.text.startsWith('Alle kerncijfers hebben'))) {
        expect(page.texts.some((t) => t.text.startsWith('a) Alle kerncijfers hebben'))).toBe(true);
      }
    }
    expect(notes).toBeGreaterThanOrEqual(6);
  });

  it('sets running text in lines of at most about 90 characters', async () => {
    const pages = await readLayout(pdfOf(corrected, 'publicatie.pdf'));
    const lengths: number[] = [];
    for (const page of pages) {
      // Running text is 10 pt; a line is the text items on one baseline.
      const lines = new Map<number, string>();
      for (const t of page.texts) {
        if (Math.abs(t.y1 - t.y0 - 10) > 0.2) continue;
        const y = Math.round(t.y0);
        lines.set(y, (lines.get(y) ?? '') + t.text);
      }
      lengths.push(...[...lines.values()].map((l) => l.length));
    }
    expect(lengths.length).toBeGreaterThan(150);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(95);
  });

  it('breaks no line inside "1e halfjaar", "versie 2.0", "artikel 1" or a figure, and links the web addresses', async () => {
    const bytes = pdfOf(corrected, 'publicatie.pdf');
    const pdf = await readPdf(bytes);
    const lines = pdf.pages.flatMap((p) => p.lines);
    lines.forEach((line, i) => {
      const next = lines[i + 1] ?? '';
      if (/\b\d+e$/.test(line)) expect(next, `after "${line}"`).not.toMatch(/^halfjaar\b/);
      if (/\b(versie|artikel)$/.test(line)) expect(next, `after "${line}"`).not.toMatch(/^\d/);
      if (/\b\d{1,3}$/.test(line)) expect(next, `after "${line}"`).not.toMatch(/^\d{3}\b/);
    });
    const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
    const urls: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      for (const a of await (await doc.getPage(n)).getAnnotations()) if (a.url) urls.push(a.url);
    }
    await doc.destroy();
    expect(urls).toContain('https://veiligthuis.nl/veiligthuis-interactief-protocol_v3/');
  });

  it("names the publication once on the erratum, with the title's comma in both footers and page numbers alike", async () => {
    const publication = await readPdf(pdfOf(corrected, 'publicatie.pdf'));
    const erratum = await readPdf(pdfOf(corrected, 'erratum.pdf'));
    const title = 'Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019';
    expect(erratum.pages[0]?.lines.filter((l) => l === title)).toHaveLength(1);
    expect(erratum.pages[0]?.lines.at(-1)).toBe(`Erratum ${title}, 28 april 2020 1`);
    expect(publication.pages[9]?.lines.at(-1)).toBe(`${title} 10`);
    // The Inhoud lists the Inleiding too.
    expect(publication.pages[3]?.lines.some((l) => /^Inleiding \d+$/.test(l))).toBe(true);
    expect(erratum.info.Subject).toBe('Correctie van 28 april 2020 op Beleidsinformatie Veilig Thuis over het 1e halfjaar van 2019');
  });

  it('repeats the header rows and the title with "(vervolg)" on every page a table continues on', async () => {
    const before = loadExample(EXAMPLES.corrected);
    const raw = readExampleJson(EXAMPLES.corrected);
    const cube = raw.tables.find((t) => t.id === 'huiselijk-geweld-aard-regio') as unknown as { rows: Record<string, unknown>[] };
    let changed = 0;
    for (const row of cube.rows) {
      if (typeof row.GestarteAdviezen === 'number' && changed < 90) {
        row.GestarteAdviezen += 5;
        changed++;
      }
    }
    const result = await renderEdition(
      { dataset: toDataset(raw), previous: before, erratum: { date: '2020-04-28', text: 'Correctie.' } },
      resources,
      {},
    );
    const erratum = await readPdf(pdfOf(result, 'erratum.pdf'));
    let continued = 0;
    for (const page of erratum.pages.slice(1)) {
      const top = page.lines.slice(0, 4);
      // A page whose top shows a table header either starts a table (its title first) or continues one.
      if (!top.some((l) => l.startsWith('Gestarte adviezen'))) continue;
      const startsTable = /versie$/.test(top[0] ?? '') && !top.join(' ').includes('(vervolg)');
      if (startsTable) continue;
      continued++;
      expect(top.join(' '), `page ${page.number}`).toMatch(/^Huiselijk geweld; .*, (foutieve|gecorrigeerde) versie \(vervolg\)/);
    }
    expect(continued).toBeGreaterThanOrEqual(1);
  });
});
