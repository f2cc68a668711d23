// Direct tests of the chapter-text markup (src/render/text/markup.ts): how a text is read into
// blocks and runs, and how dataset text is escaped so that it stays plain text.
import { describe, expect, it } from 'vitest';
import { buildTextContext } from '../../../src/render/publication.js';
import {
  type Block,
  escapeMarkup,
  findDirectives,
  type Inline,
  inlinesToText,
  parseInlines,
  parseMarkup,
} from '../../../src/render/text/markup.js';
import { createTextEngine } from '../../../src/render/text/template-engine.js';
import { loadTemplates } from '../../../src/resources.js';
import { EXAMPLES, loadExample, seedSentences } from '../../helpers/examples.js';

/** No-break and thin spaces as plain spaces, to compare with the seed's text. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

function blocksOf<K extends Block['kind']>(blocks: readonly Block[], kind: K): Extract<Block, { kind: K }>[] {
  return blocks.filter((b): b is Extract<Block, { kind: K }> => b.kind === kind);
}

describe('chapter 2 of the 2019 example, read into blocks', () => {
  const dataset = loadExample(EXAMPLES.corrected);
  const engine = createTextEngine(loadTemplates(), dataset);
  const blocks = parseMarkup(
    engine.render('beleidsinformatie/02-uitkomsten.hbs', buildTextContext(dataset, { edition: 1, correctedOn: undefined })),
  );
  const seed = seedSentences();

  it('reads the key sentence as a key block, with the figures of the seed', () => {
    const keys = blocksOf(blocks, 'key');
    expect(keys).toHaveLength(1);
    expect(plain(inlinesToText(keys[0]?.inlines ?? []))).toBe(seed.key);
  });

  it('reads the findings as one list of ten bullets with the seed percentages, and their notes as markers', () => {
    const lists = blocksOf(blocks, 'bullets');
    expect(lists).toHaveLength(1);
    const items = lists[0]?.items ?? [];
    expect(items.map((item) => Number(/(\d+) procent/.exec(plain(inlinesToText(item)))?.[1]))).toEqual(seed.percentages);
    // "... over kindermishandeling gaat[^1];": the note is a run of its own, the text around it plain.
    expect(items[1]?.map((run) => ({ ...run, text: plain(run.text) }))).toEqual([
      { text: '46 procent van de adviezen over kindermishandeling gaat' },
      { text: '1)', note: true },
      { text: ';' },
    ]);
    expect(
      items
        .flat()
        .filter((run) => run.note)
        .map((run) => run.text),
    ).toEqual(['1)', '1)', '2)', '3)']);
  });

  it('reads headings, footnotes and the table directive, in the order of the text', () => {
    expect(blocks.map((b) => b.kind)).toEqual([
      'paragraph',
      'heading',
      'paragraph',
      'heading',
      'paragraph',
      'key',
      'paragraph',
      'paragraph',
      'bullets',
      'footnote',
      'footnote',
      'footnote',
      'directive',
    ]);
    expect(blocksOf(blocks, 'heading').map((h) => [h.level, inlinesToText(h.inlines)])).toEqual([
      [2, 'Huiselijk geweld'],
      [2, 'Kindermishandeling'],
    ]);
    expect(blocksOf(blocks, 'footnote').map((f) => f.ref)).toEqual(['1', '2', '3']);
    expect(inlinesToText(blocksOf(blocks, 'footnote')[2]?.inlines ?? [])).toBe('Of een vermoeden van acute onveiligheid.');
    expect(blocks.at(-1)).toEqual({ kind: 'directive', name: 'table', args: ['kerncijfers'] });
  });
});

describe('inline runs', () => {
  it('reads bold, italic and both, and the plain text between them', () => {
    expect(parseInlines('een **vet** en *schuin* woord, ***beide***')).toEqual<Inline[]>([
      { text: 'een ' },
      { text: 'vet', bold: true },
      { text: ' en ' },
      { text: 'schuin', italic: true },
      { text: ' woord, ' },
      { text: 'beide', bold: true, italic: true },
    ]);
  });

  it('reads [^1] to [^99] as note markers, and anything else in brackets as text', () => {
    expect(parseInlines('a[^1] b[^12]')).toEqual([{ text: 'a' }, { text: '1)', note: true }, { text: ' b' }, { text: '12)', note: true }]);
    expect(parseInlines('[^123] [^x] [^1')).toEqual([{ text: '[^123] [^x] [^1' }]);
    expect(parseInlines('**vet[^2]**')).toEqual([
      { text: 'vet', bold: true },
      { text: '2)', note: true },
    ]);
  });

  it('takes the character after a backslash as text; a backslash at the end stays', () => {
    expect(parseInlines('\\*\\*geen vet\\*\\* en \\[^1]')).toEqual([{ text: '**geen vet** en [^1]' }]);
    expect(parseInlines('a\\\\b')).toEqual([{ text: 'a\\b' }]);
    expect(parseInlines('eind\\')).toEqual([{ text: 'eind\\' }]);
  });

  it('gives the plain text of runs with notes as "1)"', () => {
    expect(inlinesToText(parseInlines('**Kerncijfers**[^1] per regio'))).toBe('Kerncijfers1) per regio');
    expect(inlinesToText([])).toBe('');
  });
});

describe('blocks', () => {
  it('tells headings of level 2 and 3 from text that only starts with "#"', () => {
    const blocks = parseMarkup('## Uitkomsten\n### Per regio\n# geen kop\n#### ook geen kop\n##geen spatie');
    expect(blocks).toEqual<Block[]>([
      { kind: 'heading', level: 2, inlines: [{ text: 'Uitkomsten' }] },
      { kind: 'heading', level: 3, inlines: [{ text: 'Per regio' }] },
      { kind: 'paragraph', inlines: [{ text: '# geen kop #### ook geen kop ##geen spatie' }] },
    ]);
  });

  it('joins the lines of a paragraph, breaks after two trailing spaces, and ends it at a blank line', () => {
    expect(parseMarkup('eerste regel\r\ntweede  \r\nderde\r\n\r\nnieuw')).toEqual<Block[]>([
      { kind: 'paragraph', inlines: [{ text: 'eerste regel tweede\nderde' }] },
      { kind: 'paragraph', inlines: [{ text: 'nieuw' }] },
    ]);
  });

  it('reads bullets with indented continuation lines; an unindented line after them starts a paragraph', () => {
    expect(parseMarkup('- een\n  verder\n- twee\nalinea')).toEqual<Block[]>([
      { kind: 'bullets', items: [[{ text: 'een verder' }], [{ text: 'twee' }]] },
      { kind: 'paragraph', inlines: [{ text: 'alinea' }] },
    ]);
  });

  it('ends a paragraph at a heading, key sentence, footnote or directive without a blank line', () => {
    const blocks = parseMarkup('tekst\n> **Kern**\ntekst\n::pagebreak\n[^1]: Noot *schuin*\n::figure werkproces  extra');
    expect(blocks).toEqual<Block[]>([
      { kind: 'paragraph', inlines: [{ text: 'tekst' }] },
      { kind: 'key', inlines: [{ text: 'Kern', bold: true }] },
      { kind: 'paragraph', inlines: [{ text: 'tekst' }] },
      { kind: 'directive', name: 'pagebreak', args: [] },
      { kind: 'footnote', ref: '1', inlines: [{ text: 'Noot ' }, { text: 'schuin', italic: true }] },
      { kind: 'directive', name: 'figure', args: ['werkproces', 'extra'] },
    ]);
  });

  it('finds directives with their line numbers, also indented ones, and nothing in plain text', () => {
    expect(findDirectives('tekst\r\n  ::table kerncijfers\n\n::pagebreak\nniet ::table x\n:: geen')).toEqual([
      { line: 2, text: '::table kerncijfers' },
      { line: 4, text: '::pagebreak' },
    ]);
  });
});

describe('escaping dataset text for the markup', () => {
  it('keeps every title and label of the 2019 example as plain text, character for character', () => {
    const dataset = loadExample(EXAMPLES.corrected);
    const texts = dataset.tables.flatMap((t) => [
      t.title,
      ...t.measures.map((m) => m.title),
      ...t.dimensions.flatMap((d) => [d.title, ...d.codes.map((c) => c.title)]),
    ]);
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) {
      const blocks = parseMarkup(escapeMarkup(text));
      expect(blocks, text).toEqual([{ kind: 'paragraph', inlines: [{ text: text.trim() }] }]);
    }
  });

  it('keeps text that looks like markup as that text: emphasis, notes, headings, bullets, directives, key sentences', () => {
    const nasty = [
      '**niet vet**',
      '*niet schuin*',
      'noot[^1] en [^2]: voetnoot',
      '## geen kop',
      '- geen opsomming',
      '::table kerncijfers',
      ':: los',
      '> geen kernzin',
      'a\\b',
      'regel\nnieuwe regel\r\n- geen opsomming',
      '<b>html</b> | `code` {x} _y_',
    ];
    for (const text of nasty) {
      const escaped = escapeMarkup(text);
      expect(parseMarkup(escaped), text).toEqual([{ kind: 'paragraph', inlines: [{ text: text.replace(/\r\n?|\n/g, ' ') }] }]);
      expect(findDirectives(escaped)).toEqual([]);
    }
  });

  it('escapes a markup character only once, and leaves ordinary text as it is', () => {
    expect(escapeMarkup('**x**')).toBe('\\*\\*x\\*\\*');
    expect(escapeMarkup('- x - y')).toBe('\\- x - y');
    expect(escapeMarkup('Noord- en Midden Limburg (VT)')).toBe('Noord- en Midden Limburg (VT)');
    expect(escapeMarkup('1e halfjaar van 2019')).toBe('1e halfjaar van 2019');
  });
});
