import { describe, expect, it } from 'vitest';
import { hyphenateToFit, syllables, textWidthInPoints } from '../../../src/render/pdf/hyphenate.js';
import { buildPdfTable } from '../../../src/render/pdf/pdf-table.js';
import { buildTableModel } from '../../../src/render/tables/table-model.js';
import { EXAMPLES, loadExample } from '../../helpers/examples.js';

describe('Dutch hyphenation of table headers', () => {
  it("breaks compounds where TeX's Dutch patterns break them, not inside their parts", () => {
    // The words issue 19 names: the hand-made rules gave "Hu-we-lijksd-wang" and "vei-lig-heid-spart-ners".
    expect(syllables('Huwelijksdwang').join('-')).toBe('Hu-we-lijks-dwang');
    expect(syllables('veiligheidspartners').join('-')).toBe('vei-lig-heids-part-ners');
    expect(syllables('Veiligheidsbeoordeling').join('-')).toBe('Vei-lig-heids-be-oor-de-ling');
    expect(syllables('Jeugdbescherming').join('-')).toBe('Jeugd-be-scher-ming');
    expect(syllables('Overdrachten').join('-')).toBe('Over-drach-ten');
    expect(syllables('Ontvangen').join('-')).toBe('Ont-van-gen');
  });

  it('leaves short words, numbers and words with other characters whole', () => {
    expect(syllables('gaat')).toEqual(['gaat']);
    expect(syllables('53080')).toEqual(['53080']);
    expect(syllables('VT-regio')).toEqual(['VT-regio']);
  });

  it('splits only the words wider than the cell, at a break that fits, with a visible hyphen', () => {
    const width = textWidthInPoints('Veiligheids-', 6.5) + 1;
    const fitted = hyphenateToFit('Veiligheidsbeoordeling na melding', width, 6.5);
    expect(fitted).toBe('Veiligheids- beoorde- ling na melding');
    for (const line of fitted.split(' ')) expect(textWidthInPoints(line, 6.5)).toBeLessThanOrEqual(width);
    expect(hyphenateToFit('Huwelijksdwang', textWidthInPoints('Huwelijks-', 6.5) + 0.5, 6.5)).toBe('Huwelijks- dwang');
    expect(hyphenateToFit('Overdrachten', 100, 6.5)).toBe('Overdrachten');
  });
});

/** The text of each header cell of a pdfmake table, its runs joined, no-break spaces as spaces. */
function pdfHeaderTexts(content: unknown): string[] {
  const table = (content as { stack?: unknown[] }).stack?.find(
    (c): c is { table: { body: unknown[][]; headerRows: number } } => typeof c === 'object' && c !== null && 'table' in c,
  )?.table;
  if (!table) throw new Error('no table in the content');
  const text = (node: unknown): string =>
    typeof node === 'string'
      ? node
      : Array.isArray(node)
        ? node.map(text).join('')
        : typeof node === 'object' && node !== null && 'text' in node
          ? text(node.text)
          : '';
  return table.body
    .slice(0, table.headerRows)
    .flat()
    .map((cell) => text(cell).replace(/\u00a0/g, ' '))
    .filter((t) => t !== '');
}

/** The places where a word may break, as lengths of the parts before them. */
function breakPoints(word: string): number[] {
  const parts = syllables(word);
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('').length);
}

describe('hyphenation of the 2019 example', () => {
  const dataset = loadExample(EXAMPLES.corrected);
  const kerncijfers = dataset.tables.find((t) => t.id === 'kerncijfers');
  if (!kerncijfers) throw new Error('no kerncijfers');
  const model = buildTableModel(dataset, kerncijfers, { stubHeader: '' });

  it('breaks the Kerncijfers header of the PDF where the seed breaks it ("meldin- gen", "Over- drach- ten"), and only words that do not fit', () => {
    const headerTexts = pdfHeaderTexts(buildPdfTable(model));
    expect(headerTexts.filter((text) => text.includes('- '))).toEqual(['Ontvan- gen meldin- gen', 'Over- drach- ten b)']);
    expect(headerTexts).toContain('Gestarte adviezen');
    expect(headerTexts).toContain('Actieve diensten Voorwaarden en Vervolg');
  });

  it('breaks Dutch words of the tables at syllables, and puts the words of compounds first', () => {
    const expected: Record<string, string> = {
      meldingen: 'mel-din-gen',
      adviezen: 'ad-vie-zen',
      Kindermishandeling: 'Kin-der-mis-han-de-ling',
      Partnergeweld: 'Part-ner-ge-weld',
      Ouderenmishandeling: 'Ou-de-ren-mis-han-de-ling',
      Voorwaarden: 'Voor-waar-den',
      Veiligheidsbeoordelingen: 'Vei-lig-heids-be-oor-de-lin-gen',
    };
    for (const [word, parts] of Object.entries(expected)) expect(syllables(word).join('-'), word).toBe(parts);
  });

  it('keeps every letter of every measure and code title, and breaks each word only where Dutch allows, at any width', () => {
    const titles = dataset.tables.flatMap((t) => [
      ...t.measures.map((m) => m.title),
      ...t.dimensions.flatMap((d) => d.codes.map((c) => c.title)),
    ]);
    let broken = 0;
    for (const title of new Set(titles)) {
      for (const width of [15, 25, 40]) {
        const words = title.split(' ');
        // Word by word: each word is fitted on its own ("Noord- en" keeps its own hyphen).
        expect(hyphenateToFit(title, width, 6.5)).toBe(words.map((word) => hyphenateToFit(word, width, 6.5)).join(' '));
        for (const word of words) {
          const lines = hyphenateToFit(word, width, 6.5).split(' ');
          const parts = lines.map((line, i) => (i < lines.length - 1 ? line.replace(/-$/, '') : line));
          expect(parts.join(''), `${word} at ${width} pt`).toBe(word);
          const at = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('').length);
          for (const point of at) expect(breakPoints(word), `${word}: ${lines.join(' ')}`).toContain(point);
          broken += at.length;
        }
      }
    }
    expect(broken).toBeGreaterThan(50);
  });

  it('puts each syllable on a line of its own when even two do not fit, and leaves an empty text empty', () => {
    expect(hyphenateToFit('Overdrachten', 1, 6.5)).toBe('Over- drach- ten');
    expect(hyphenateToFit('', 10, 6.5)).toBe('');
    // No-break and thin spaces between the digits of a figure are as wide as a space.
    expect(textWidthInPoints('53\u00a0080', 7)).toBe(textWidthInPoints('53 080', 7));
    expect(textWidthInPoints('53\u202f080', 7)).toBe(textWidthInPoints('53 080', 7));
  });
});
