import { beforeAll, describe, expect, it } from 'vitest';
import { buildPdfTable } from '../../../src/render/pdf/pdf-table.js';
import { printPdf } from '../../../src/render/pdf/print-pdf.js';
import { buildStandaloneDocument } from '../../../src/render/pdf/publication-document.js';
import { loadManifest } from '../../../src/render/publication.js';
import { renderEdition } from '../../../src/render/render-edition.js';
import { buildTableModel } from '../../../src/render/tables/table-model.js';
import { loadResources } from '../../../src/resources.js';
import { EXAMPLES, loadExample } from '../../helpers/examples.js';
import { checkPdfUa, type StructElement, structureOutline, type UaReport } from '../../helpers/pdf-ua.js';
import { readPdf } from '../../helpers/pdf-text.js';
import { makeDataset } from '../errata/make-dataset.js';

/*
 * PDF/UA-1 as far as a machine can judge it (the Matterhorn checkpoints listed in docs/pdf.md):
 * the PDFs are read back with qpdf's JSON and pdfjs-dist, not trusted from the code that made them.
 */

const resources = loadResources();
const metadata = { title: 'Testdocument', subject: 'Test', keywords: 'test', date: new Date('2020-04-28T08:30:00Z') };

function standalone(content: Parameters<typeof buildStandaloneDocument>[0]['content']) {
  return buildStandaloneDocument({ heading: 'Erratum', subtitle: 'Testpublicatie', runningTitle: 'Lopende titel', content, metadata });
}

function count(element: StructElement, role: string): number {
  return element.kids.reduce((n, k) => n + ('role' in k ? count(k, role) : 0), element.role === role ? 1 : 0);
}

function find(element: StructElement, role: string): StructElement[] {
  const out = element.role === role ? [element] : [];
  for (const k of element.kids) if ('role' in k) out.push(...find(k, role));
  return out;
}

/** Asserts that `wanted` occur in `list` in this order (other entries may stand between them). */
function expectInOrder(list: readonly string[], wanted: readonly string[]): void {
  let at = -1;
  for (const entry of wanted) {
    const next = list.findIndex((e, i) => i > at && e === entry);
    expect(next, `"${entry}" after position ${at} in:\n${list.join('\n')}`).toBeGreaterThan(at);
    at = next;
  }
}

describe('the 2019 corrected edition is tagged PDF/UA-1', () => {
  let publication: Buffer;
  let erratum: Buffer;
  let reports: { publication: UaReport; erratum: UaReport };

  beforeAll(async () => {
    const result = await renderEdition(
      {
        dataset: loadExample(EXAMPLES.corrected),
        previous: loadExample(EXAMPLES.asPublished),
        erratum: { date: '2020-04-28', text: 'Bij de actieve casussen zijn fouten hersteld.' },
      },
      resources,
    );
    const bytes = (name: string) => result.artifacts.find((a) => a.name === name)?.bytes ?? Buffer.alloc(0);
    publication = bytes('publicatie.pdf');
    erratum = bytes('erratum.pdf');
    reports = { publication: await checkPdfUa(publication), erratum: await checkPdfUa(erratum) };
  }, 60_000);

  it('publicatie.pdf meets every machine-checkable condition', () => {
    expect(publication.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(reports.publication.violations).toEqual([]);
  });

  it('erratum.pdf meets every machine-checkable condition', () => {
    expect(erratum.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(reports.erratum.violations).toEqual([]);
  });

  it('the structure lists the chapters, headings, the Kerncijfers table with its header cells and the figure, in order', async () => {
    const outline = await structureOutline(publication);
    const manifest = loadManifest(resources.templates, 'beleidsinformatie');
    const alt = manifest.figures.werkproces?.alt ?? '';
    expect(alt).toMatch(/veiligheidsbeoordeling/);
    expectInOrder(outline, [
      'H1 Beleidsinformatie Veilig Thuis',
      'H2 Verklaring van tekens',
      'H2 Colofon',
      'H1 Inhoud',
      'TOC',
      'H1 Inleiding',
      'H1 1.Werkwijze Veilig Thuis',
      'H2 Algemeen proces Veilig Thuis',
      `Figure ${alt}`,
      'H2 Advies en ondersteuning',
      'H1 2.Uitkomsten',
      'H3 Kerncijfersa) per Veilig Thuis-regio, 1e halfjaar van 2019*',
      'Table',
      'TH Gestarte adviezen',
      'TH Ontvangen meldingen',
      'TH Actieve casussen',
      'TH Overdrachten b)',
      'TH aantal',
      'TH Totaal',
      'TH Amsterdam Amstelland',
      'H1 3.Duiding van de kwaliteit',
      'H1 Erratum',
    ]);
    // Every chapter is a Sect of the Document.
    const sections = reports.publication.root.kids.filter((k) => 'role' in k && k.role === 'Sect');
    expect(sections).toHaveLength(5);
  });

  it('the Kerncijfers header cells head columns, span as on paper, and the region names head rows', () => {
    const tables = find(reports.publication.root, 'Table');
    const kerncijfers = tables.find((t) => count(t, 'TD') === 12 * 27);
    expect(kerncijfers, 'a table of 27 rows of 12 figures').toBeDefined();
    if (!kerncijfers) return;
    expect(count(kerncijfers, 'THead')).toBe(1);
    const head = find(kerncijfers, 'THead')[0]!;
    const scopes = find(head, 'TH').map((th) => (th.dict['/A'] as Record<string, unknown>)['/Scope']);
    expect(new Set(scopes)).toEqual(new Set(['/Column']));
    expect(reports.publication.outline).toContain('TH colspan=3');
    const body = find(kerncijfers, 'TBody')[0]!;
    const rows = find(body, 'TR');
    expect(rows).toHaveLength(27);
    for (const row of rows) {
      const first = row.kids[0] as StructElement;
      expect(first.role).toBe('TH');
      expect((first.dict['/A'] as Record<string, unknown>)['/Scope']).toBe('/Row');
    }
  });

  it('only the running footers are artifacts, so no content is hidden from a screen reader', async () => {
    const pdf = await readPdf(publication);
    reports.publication.artifactText.forEach((text, i) => {
      const page = i + 1;
      if (page <= 2) expect(text).toBe('');
      else expect(text).toBe(`Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019${page}`);
    });
    expect(pdf.pages).toHaveLength(reports.publication.artifactText.length);
    reports.erratum.artifactText.forEach((text, i) => {
      expect(text).toBe(`Erratum Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019, 28 april 2020${i + 1}`);
    });
  });

  it('the table of contents links are Link elements with their annotations', () => {
    // Every chapter, the Inleiding included, and the erratum; web addresses in the text are links too.
    const toc = find(reports.publication.root, 'TOC')[0];
    expect(toc).toBeDefined();
    if (!toc) return;
    expect(count(toc, 'TOCI')).toBe(5);
    expect(find(toc, 'Link')).toHaveLength(5);
    for (const link of find(reports.publication.root, 'Link')) expect(link.kids.some((k) => 'objr' in k)).toBe(true);
  });
});

describe('tagging is generic', () => {
  it('a table that breaks across pages has one THead; the header repeated on later pages is an artifact', async () => {
    const codes = Array.from({ length: 150 }, (_, i) => [`R${i}`, `Regio ${i + 1}`] as const);
    const dataset = makeDataset({
      id: 'lang',
      title: 'Lange tabel',
      codes,
      measures: [
        { key: 'A', title: 'Gestarte adviezen' },
        { key: 'B', title: 'Ontvangen meldingen' },
      ],
      values: Object.fromEntries(codes.map(([key], i) => [key, [i * 5, i * 10]])),
    });
    const table = dataset.tables[0]!;
    const model = buildTableModel(dataset, table);
    const bytes = await printPdf(standalone([buildPdfTable(model, { unbreakable: false })]), resources);
    const report = await checkPdfUa(bytes);
    expect(report.violations).toEqual([]);
    expect(report.artifactText.length).toBeGreaterThanOrEqual(3);
    expect(count(report.root, 'THead')).toBe(1);
    expect(count(report.root, 'TR')).toBe(150 + 2);
    // Pages after the first draw the header again, as an artifact besides the footer.
    expect(report.artifactText[0]).not.toMatch(/Gestarte/);
    for (const text of report.artifactText.slice(1)) expect(text).toMatch(/Gestarte adviezen.*Lopende titel/);
    const pdf = await readPdf(bytes);
    expect(pdf.pages[1]?.text).toMatch(/Gestarte adviezen/);
  });

  it('a draft mark drawn as background or watermark is an artifact on every page', async () => {
    const definition = {
      ...standalone([{ text: 'Een alinea tekst.', style: 'body' }]),
      background: () => ({ text: 'CONCEPT', fontSize: 60, opacity: 0.2, absolutePosition: { x: 150, y: 400 } }),
      watermark: { text: 'Concept', opacity: 0.1 },
    };
    const bytes = await printPdf(definition, resources);
    const report = await checkPdfUa(bytes);
    expect(report.violations).toEqual([]);
    expect(report.artifactText[0]).toMatch(/CONCEPT/);
    expect(report.artifactText[0]).toMatch(/Concept/);
    const outline = await structureOutline(bytes);
    expect(outline.join('\n')).not.toMatch(/concept/i);
  });

  it('a title with & and < stays valid XML in the XMP metadata', async () => {
    const definition = standalone([{ text: 'Tekst.' }]);
    definition.info = { ...definition.info, title: 'Huiselijk geweld & <kinder>mishandeling' };
    const bytes = await printPdf(definition, resources);
    const report = await checkPdfUa(bytes);
    expect(report.violations).toEqual([]);
    const { info } = await readPdf(bytes);
    expect(info.Title).toBe('Huiselijk geweld & <kinder>mishandeling');
  });

  it('a figure without alt text in the manifest stops the render with a clear message', async () => {
    const dataset = loadExample(EXAMPLES.corrected);
    const templates = { ...resources.templates };
    const manifest = JSON.parse(templates['beleidsinformatie/manifest.json'] ?? '{}');
    delete manifest.figures;
    templates['beleidsinformatie/manifest.json'] = JSON.stringify(manifest);
    await expect(renderEdition({ dataset }, { ...resources, templates })).rejects.toThrow(/werkproces.*alt/);
  });

  it('the generic statline-tabel publication (the 2023 example) is tagged as well', async () => {
    const result = await renderEdition({ dataset: loadExample(EXAMPLES.mensenhandel2023) }, resources);
    const bytes = result.artifacts.find((a) => a.name === 'publicatie.pdf')?.bytes ?? Buffer.alloc(0);
    const report = await checkPdfUa(bytes);
    expect(report.violations).toEqual([]);
    expectInOrder(report.outline, ['H1', 'Table', 'TH']);
  });
});
