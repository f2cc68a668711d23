// Issue 15 point 3: dataset text is text. Markup in a period title is printed, never obeyed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../../src/model/dataset.js';
import { buildPublicationParts } from '../../../src/render/publication.js';
import { escapeMarkup, inlinesToText, parseMarkup } from '../../../src/render/text/markup.js';
import { loadTemplates } from '../../../src/resources.js';

const templates = loadTemplates();
const example = (): Record<string, { period: { title: string } }> =>
  JSON.parse(readFileSync(new URL('../../../examples/beleidsinformatie-2019-hj1/dataset.json', import.meta.url), 'utf8'));

function blocksOf(periodTitle?: string) {
  const raw = example();
  if (periodTitle !== undefined) (raw.publication as { period: { title: string } }).period.title = periodTitle;
  const parts = buildPublicationParts(parseDataset(raw, 'test'), templates, { edition: { edition: 1, correctedOn: undefined } });
  return parts.chapters.flatMap((c) => c.blocks);
}

describe('dataset text in the chapter markup', () => {
  it('escapes what would start a heading, bullet or directive, and line breaks', () => {
    for (const text of ['## kop', '- punt', '::pagebreak', '> kern', 'a\n::pagebreak\n## b', '**vet** *schuin* [^1]']) {
      const blocks = parseMarkup(escapeMarkup(text));
      expect(blocks).toHaveLength(1);
      expect(blocks[0]?.kind).toBe('paragraph');
      const inlines = blocks[0]?.kind === 'paragraph' ? blocks[0].inlines : [];
      expect(inlinesToText(inlines)).toBe(text.replace(/\n/g, ' '));
      expect(inlines.every((i) => !i.bold && !i.italic && !i.note)).toBe(true);
    }
  });

  it('prints **, ## and ::pagebreak in a period title literally: no extra page breaks, headings or bold', () => {
    const plain = blocksOf();
    const hostile = blocksOf('1e halfjaar **2019**\n::pagebreak\n## Kop');
    const count = (blocks: typeof plain, kind: string) => blocks.filter((b) => b.kind === kind).length;
    expect(hostile).toHaveLength(plain.length);
    expect(count(hostile, 'directive')).toBe(count(plain, 'directive'));
    expect(count(hostile, 'heading')).toBe(count(plain, 'heading'));
    const texts = hostile.flatMap((b) => (b.kind === 'paragraph' || b.kind === 'key' ? [b.inlines] : []));
    const withTitle = texts.filter((inlines) => inlinesToText(inlines).includes('1e halfjaar **2019** ::pagebreak ## Kop'));
    expect(withTitle.length).toBeGreaterThan(0);
    for (const inlines of withTitle) expect(inlines.some((i) => i.bold && i.text.includes('2019'))).toBe(false);
  });
});
