import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, getCell, parseDataset } from '../../../src/model/dataset.js';
import { newPeriodSkeleton } from '../../../src/model/new-period.js';
import { applyTexts, parseTextsFile, sectionNames } from '../../../src/model/texts-file.js';
import { datasetWithTexts } from '../../../src/jobs/submit-texts.js';
import { buildPublicationParts } from '../../../src/render/publication.js';
import { renderEdition, resolveEdition } from '../../../src/render/render-edition.js';
import type { Block, Inline } from '../../../src/render/text/markup.js';
import { loadResources } from '../../../src/resources.js';
import { errorOf } from '../../helpers/errors.js';
import { EXAMPLES, loadExample, readExampleJson, ROOT } from '../../helpers/examples.js';
import { readPdf } from '../../helpers/pdf-text.js';

const HJ2 = path.join(ROOT, 'examples/beleidsinformatie-2019-hj2');
const resources = loadResources();

/** The 2e halfjaar example with its texts file, as the CLI renders it. */
function hj2(file = 'dataset.json'): Dataset {
  const texts = parseTextsFile(readFileSync(path.join(HJ2, 'teksten.md'), 'utf8'), 'teksten.md');
  return applyTexts(loadExample(path.join(HJ2, file)), texts, 'teksten.md');
}

/** Every word the publication's text chapters and front pages print, in order, on one line. */
function printedText(dataset: Dataset): string {
  const parts = buildPublicationParts(dataset, resources.templates, { edition: { edition: 1, correctedOn: undefined } });
  const inline = (runs: readonly Inline[]) => runs.map((r) => r.text).join('');
  const block = (b: Block): string =>
    b.kind === 'bullets' ? b.items.map(inline).join(' ') : b.kind === 'directive' ? '' : inline(b.inlines);
  return [...parts.front.flat(), ...parts.chapters.flatMap((c) => c.blocks)]
    .map(block)
    .join(' ')
    .replace(/[\s\u00a0]+/g, ' ');
}

/** The sentences of the 1e halfjaar that were true of that period only (issue 16). */
const FIRST_HALF_ONLY = [
  /is de eerste verslagperiode waarover/,
  /Uit gesprekken met Veilig Thuis blijkt dat de gegevens over het [^.]* vollediger/,
  /Vijf Veilig Thuis-organisaties zijn pas in de loop van/,
  /De kerncijfers zijn de officiële cijfers/,
];

describe('the 2e halfjaar 2019 example', () => {
  let pdfText: string;
  beforeAll(async () => {
    const result = await renderEdition({ dataset: hj2() }, resources);
    const pdf = await readPdf(result.artifacts.find((a) => a.name === 'publicatie.pdf')?.bytes ?? Buffer.alloc(0));
    pdfText = pdf.pages.map((p) => p.text).join('\n');
  });

  it('prints none of the 1e halfjaar’s period sentences, which the 1e halfjaar does print', () => {
    const first = printedText(loadExample(EXAMPLES.asPublished));
    const second = printedText(hj2());
    for (const sentence of FIRST_HALF_ONLY) {
      expect(first, String(sentence)).toMatch(sentence);
      expect(second, String(sentence)).not.toMatch(sentence);
    }
    expect(second).toContain('Het 2e halfjaar van 2019 is de tweede verslagperiode volgens deze versie; alle 26 organisaties');
  });

  it('prints the editor’s own key findings instead of the template’s when given', () => {
    const base = hj2();
    const own = {
      ...base,
      publication: {
        ...base.publication,
        texts: {
          ...base.publication.texts,
          bevindingen: '- {{percent "meldingen-melder" "OntvangenMeldingen" Melder="B002"}} van de meldingen komt van beroepskrachten.',
        },
      },
    };
    expect(printedText(base)).toContain('van de adviezen wordt gegeven aan mensen die beroepsmatig om advies vragen');
    const text = printedText(own);
    expect(text).toMatch(/\d+ procent van de meldingen komt van beroepskrachten\./);
    expect(text).not.toContain('van de adviezen wordt gegeven aan mensen die beroepsmatig om advies vragen');
    // The editor's bullets replace the template's whole list.
    expect(text).not.toContain('van de overdrachten naar jeugdzorg of jeugdhulp gaat');
  });

  it('prints the figures of its period texts from its dataset, in the PDF', () => {
    const dataset = hj2();
    const part = getCell(dataset, 'adviezen-adviesvrager', 'GestarteAdviezen', { Adviesvrager: 'A003' });
    const whole = getCell(dataset, 'adviezen-adviesvrager', 'GestarteAdviezen', { Adviesvrager: 'T001' });
    if (part.kind !== 'value' || whole.kind !== 'value') throw new Error('the example lacks its figures');
    const percent = Math.round((100 * part.value) / whole.value);
    expect(pdfText.replace(/\s+/g, ' ')).toContain(`Bij ${percent} procent van de adviezen is niet bekend`);
    expect(pdfText).toContain('2e halfjaar van 2019');
    expect(pdfText).not.toMatch(/1e halfjaar van 2019 is de eerste/);
  });

  it('has Kerncijfers that add up: Nederland within the rounding of its regions, parts at most their parent, multiples of 5', () => {
    const dataset = hj2();
    const kern = dataset.tables.find((t) => t.id === 'kerncijfers');
    if (!kern) throw new Error('no kerncijfers');
    const regions = kern.dimensions[0]?.codes.map((c) => c.key) ?? [];
    expect(regions).toHaveLength(27);
    const value = (measure: string, regio: string) => {
      const c = getCell(dataset, 'kerncijfers', measure, { Regio: regio });
      return c.kind === 'value' ? c.value : Number.NaN;
    };
    for (const measure of kern.measures) {
      const parts = regions.filter((r) => r !== 'NL01');
      const sum = parts.reduce((a, r) => a + value(measure.key, r), 0);
      expect(Math.abs(value(measure.key, 'NL01') - sum), measure.key).toBeLessThanOrEqual(2.5 * parts.length);
      for (const regio of regions) {
        const v = value(measure.key, regio);
        expect(v % 5, `${measure.key} ${regio}`).toBe(0);
        if (measure.parent) expect(v, `${measure.key} ≤ ${measure.parent} in ${regio}`).toBeLessThanOrEqual(value(measure.parent, regio));
      }
    }
  });

  it('renders its corrected edition with the erratum', async () => {
    const result = await renderEdition(
      { dataset: hj2('dataset-gecorrigeerd.json'), previous: hj2(), erratum: { date: '2020-09-15', text: 'Hersteld.' } },
      resources,
      {},
    );
    expect(result.edition).toBe(2);
    expect(result.artifacts.map((a) => a.name)).toEqual(['publicatie.pdf', 'tabellenbijlage.xlsx', 'erratum.pdf']);
  });
});

describe('a new period from the last one (new-period)', () => {
  const sections = sectionNames(resources.templates, 'beleidsinformatie', ['inleiding.hbs', '02-uitkomsten.hbs', '03-kwaliteit.hbs']);
  const skeleton = newPeriodSkeleton(readExampleJson(EXAMPLES.asPublished), { period: '2019HJ02', sections });

  it('lists the template’s period texts in order and takes each from the last period, marked to be reviewed', () => {
    // The required ones; the optional 'kwaliteit' follows because the last period had a text for it.
    expect(sections).toEqual(['inleiding', 'kwaliteit-periode']);
    const texts = parseTextsFile(skeleton.texts);
    expect(texts.period).toBe('2019HJ02');
    expect(Object.keys(texts.sections)).toEqual([...sections, 'kwaliteit']);
    for (const s of Object.values(texts.sections)) expect(s.mark).toBe('overgenomen uit 2019HJ01: nakijken');
    expect(texts.sections.kwaliteit?.text).toContain('Vijf Veilig Thuis-organisaties');
  });

  it('refuses a skeleton without figures, naming table, row and cell', () => {
    const error = errorOf(() => parseDataset(skeleton.dataset, 'skelet.json'));
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.message).toContain('table "kerncijfers", row 1 (Regio=NL01, Perioden=2019HJ02), cell GestarteAdviezen: has no figure yet');
  });

  it('refuses the skeleton with figures while its status and date are not confirmed, and its copied texts while marked', () => {
    const filled = { ...skeleton.dataset, tables: readExampleJson(path.join(HJ2, 'dataset.json')).tables } as unknown;
    const dataset = parseDataset(filled, 'skelet.json');
    expect(errorOf(() => resolveEdition({ dataset })).code).toBe('SKELETON_INCOMPLETE');
    expect(errorOf(() => resolveEdition({ dataset })).message).toContain('publication.status, publication.publicationDate');
    const marked = errorOf(() => applyTexts(dataset, parseTextsFile(skeleton.texts, 'teksten.md'), 'teksten.md'));
    expect(marked.code).toBe('TEXTS_INVALID');
    expect(marked.details.map((d) => d.path)).toEqual([
      'line 5, section "inleiding"',
      expect.stringMatching(/section "kwaliteit-periode"$/),
      expect.stringMatching(/section "kwaliteit"$/),
    ]);
    // Without any texts the render stops at the first period text the template needs.
    const { unconfirmed: _u, ...publication } = (filled as { publication: Record<string, unknown> }).publication;
    const confirmed = parseDataset({ ...(filled as object), publication }, 'skelet.json');
    const missing = errorOf(() =>
      buildPublicationParts(confirmed, resources.templates, { edition: { edition: 1, correctedOn: undefined } }),
    );
    expect(missing.code).toBe('TEXTS_INVALID');
    expect(missing.message).toContain('needs the period text "inleiding"');
  });
});

describe('the texts field of the API', () => {
  it('stores the texts in the dataset it submits, and names the field of a problem', () => {
    const raw = readExampleJson(EXAMPLES.asPublished);
    const merged = datasetWithTexts(raw, '---\nperiode: 2019HJ01\n---\n# kwaliteit\n\nNieuw.\n') as typeof raw;
    expect((merged.publication as { texts: Record<string, string> }).texts.kwaliteit).toBe('Nieuw.');
    expect(datasetWithTexts(raw, undefined)).toBe(raw);
    const error = errorOf(() => datasetWithTexts(raw, '---\nperiode: 2019HJ01\n---\n# kwaliteit\n\n{{> x}}\n'));
    expect(error.code).toBe('TEXTS_INVALID');
    expect(error.details[0]?.path).toBe('texts: line 4, section "kwaliteit"');
  });
});
