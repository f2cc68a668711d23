import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { applyTexts, formatTextsFile, parseTextsFile } from '../../../src/model/texts-file.js';
import { checkPeriodText } from '../../../src/render/text/period-texts.js';
import { createTextEngine, type TextContext } from '../../../src/render/text/template-engine.js';
import { errorOf } from '../../helpers/errors.js';
import { EXAMPLES, readExampleJson, toDataset } from '../../helpers/examples.js';

const TEMPLATE = { 'test/h.hbs': 'Voor. {{section "periode"}}Na.' };
const OPTIONAL = { 'test/h.hbs': '{{#section "periode"}}Standaardtekst.{{/section}}' };

/** The 2019 example with the given period texts (and none of its own). */
function withTexts(texts: Record<string, string>, change?: (raw: ReturnType<typeof readExampleJson>) => void) {
  const raw = readExampleJson(EXAMPLES.asPublished);
  (raw.publication as { texts: unknown }).texts = texts;
  change?.(raw);
  return toDataset(raw);
}

function render(files: Record<string, string>, texts: Record<string, string>, change?: Parameters<typeof withTexts>[1]): string {
  const dataset = withTexts(texts, change);
  const context = { publication: dataset.publication, period: '2e halfjaar van 2019', publicationYear: 2020 } as unknown as TextContext;
  return createTextEngine(files, dataset).render('test/h.hbs', context);
}

describe('period texts in a template', () => {
  it('prints a figure helper of an editor text from the dataset', () => {
    const out = render(TEMPLATE, { periode: 'In het {{period}} gaven zij {{duizend "kerncijfers" "GestarteAdviezen"}} adviezen.' });
    // 53 080 adviezen in the 2019 example's Kerncijfers for Nederland.
    expect(out).toBe('Voor. In het 2e halfjaar van 2019 gaven zij 53\u00a0duizend adviezen.\n\nNa.');
  });

  it('prints percentages and counts of codes', () => {
    const out = render(TEMPLATE, {
      periode:
        '{{percent "adviezen-adviesvrager" "GestarteAdviezen" Adviesvrager="A001"}}; {{countCodes "kerncijfers" "Regio" level="veilig-thuis-regio"}} regio’s.',
    });
    expect(out).toMatch(/^Voor\. \d+\u00a0procent; 26 regio’s\.\n\nNa\.$/);
  });

  it('stops the render naming a section the template needs and the edition lacks', () => {
    const error = errorOf(() => render(TEMPLATE, {}));
    expect(error.code).toBe('TEXTS_INVALID');
    expect(error.message).toContain('"periode"');
    expect(error.message).toContain('new-period');
  });

  it('prints the template default of an optional section, and the editor text where one is given', () => {
    expect(render(OPTIONAL, {})).toBe('Standaardtekst.');
    expect(render(OPTIONAL, { periode: 'Eigen tekst.' })).toBe('Eigen tekst.\n\n');
  });

  it('refuses a helper over a "." cell in an editor text, naming the section and line', () => {
    const error = errorOf(() =>
      render(TEMPLATE, { periode: 'Eerste regel.\n{{number "kerncijfers" "GestarteAdviezen" Regio="NL01"}}' }, (raw) => {
        const table = raw.tables.find((t) => t.id === 'kerncijfers') as { rows: Record<string, unknown>[] };
        const nl = table.rows.find((r) => r.Regio === 'NL01');
        if (nl) nl.GestarteAdviezen = '.';
      }),
    );
    expect(error.code).toBe('TEXTS_INVALID');
    expect(error.message).toContain('period text "periode", line 2');
    expect(error.message).toContain('"." (unknown or secret)');
  });

  it.each([
    ['{{#each publication.texts}}x{{/each}}', /blocks are not allowed/],
    ['{{> regel}}', /partials are not allowed/],
    ['{{{period}}}', /triple braces/],
    ['{{lookup publication "title"}}', /only \{\{duizend/],
    ['{{publication.title}}', /only \{\{duizend/],
    ['Tekst <b>vet</b>', /raw HTML/],
    ['::table kerncijfers', /directives/],
    ['{{duizend (value "kerncijfers" "GestarteAdviezen") "x"}}', /not as expressions/],
  ])('refuses %s in an editor text', (text, message) => {
    const error = errorOf(() => render(TEMPLATE, { periode: `Regel een.\n\n${text}` }));
    expect(error.code).toBe('TEXTS_INVALID');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('period text "periode", line 3');
  });

  it('keeps markup a helper cannot reach: the editor text is checked before it is compiled', () => {
    expect(() => checkPeriodText('x', 'Gewoon **vet** en *cursief*, met een voetnoot[^4].\n\n[^4]: Noot.')).not.toThrow();
  });
});

describe('the texts file', () => {
  const file = formatTextsFile('2019HJ01', [
    { name: 'inleiding', text: 'Het {{period}} is nieuw.' },
    { name: 'kwaliteit', text: 'Oud.', mark: 'overgenomen uit 2018HJ02: nakijken' },
  ]);

  it('reads back what formatTextsFile writes, with the lines of its sections', () => {
    const parsed = parseTextsFile(file);
    expect(parsed.period).toBe('2019HJ01');
    expect(parsed.sections.inleiding).toEqual({ text: 'Het {{period}} is nieuw.', line: 5 });
    expect(parsed.sections.kwaliteit?.mark).toBe('overgenomen uit 2018HJ02: nakijken');
  });

  it('refuses sections still marked as copied from the previous period', () => {
    const dataset = withTexts({});
    const error = errorOf(() => applyTexts(dataset, parseTextsFile(file), 'teksten.md'));
    expect(error.code).toBe('TEXTS_INVALID');
    expect(error.message).toMatch(/teksten\.md: line 9, section "kwaliteit": marked \[overgenomen uit 2018HJ02/);
  });

  it('refuses the texts of another period', () => {
    const other = parseTextsFile(file.replace('2019HJ01', '2019HJ02').replace(' [overgenomen uit 2018HJ02: nakijken]', ''));
    const error = errorOf(() => applyTexts(withTexts({}), other, 'teksten.md'));
    expect(error.message).toContain('period 2019HJ02, the dataset is of period 2019HJ01');
  });

  it('gives the confirmed sections to the dataset, replacing texts of the same name', () => {
    const confirmed = parseTextsFile(file.replace(' [overgenomen uit 2018HJ02: nakijken]', ''));
    const dataset = applyTexts(withTexts({ kwaliteit: 'oud', ander: 'blijft' }), confirmed);
    expect(dataset.publication.texts).toEqual({ kwaliteit: 'Oud.', ander: 'blijft', inleiding: 'Het {{period}} is nieuw.' });
  });

  it('names the file line of a forbidden construct and of text outside a section', () => {
    const error = errorOf(() => parseTextsFile('---\nperiode: 2019HJ02\n---\nlos\n# a\n\nTekst\n{{#if x}}y{{/if}}\n', 't.md'));
    expect(isAppError(error, 'TEXTS_INVALID')).toBe(true);
    const messages = error.details.map((d) => `${d.path}: ${d.message}`);
    expect(messages[0]).toContain('line 4: text before the first section');
    expect(messages[1]).toContain('period text "a", line 8');
    expect(() => parseTextsFile('# a\n\nTekst')).toThrow(/front matter/);
  });
});
