import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEdition } from '../../src/render/render-edition.js';
import { loadResources } from '../../src/resources.js';
import { EXAMPLES, loadExample } from '../helpers/examples.js';
import { readPdf } from '../helpers/pdf-text.js';
import { loadWorkbook } from './xlsx/workbook-reading.js';

const resources = loadResources();
const previous = loadExample(EXAMPLES.asPublished);
const corrected = loadExample(EXAMPLES.corrected);
const erratum = { date: '2020-04-28', text: readFileSync(EXAMPLES.corrected.replace('dataset-gecorrigeerd.json', 'erratum.md'), 'utf8') };

describe('drafts: every page and the metadata say CONCEPT; a final render with the assigned edition is the render as before', () => {
  it('a draft of a correction: CONCEPT on every page of both PDFs and in their titles; the workbook title sheet says Concept and no edition', async () => {
    const draft = await renderEdition({ dataset: corrected, previous, erratum, draft: true }, resources);
    for (const name of ['publicatie.pdf', 'erratum.pdf'] as const) {
      const bytes = draft.artifacts.find((a) => a.name === name)?.bytes as Buffer;
      const pdf = await readPdf(bytes);
      expect(pdf.pages.length).toBeGreaterThan(0);
      for (const page of pdf.pages) expect(page.text, `${name} page ${page.number}`).toContain('CONCEPT');
      expect(String(pdf.info.Title)).toMatch(/^CONCEPT: /);
      expect(String(pdf.info.Keywords)).toContain('concept');
    }
    const workbook = await loadWorkbook(draft.artifacts.find((a) => a.name === 'tabellenbijlage.xlsx')?.bytes as Buffer);
    const title = workbook.worksheets[0];
    const texts: string[] = [];
    title?.eachRow((row) => {
      row.eachCell((cell) => {
        texts.push(String(cell.text));
      });
    });
    expect(texts.join('\n')).toContain('Tabellenbijlage (CONCEPT, niet publiceren)');
    expect(texts).toContain('Concept: nog niet goedgekeurd, nog geen editienummer');
    expect(workbook.title).toMatch(/^CONCEPT: /);
  });

  it('the final render with the edition the record assigned equals the render without it, byte for byte; a draft differs', async () => {
    const plain = await renderEdition({ dataset: corrected, previous, erratum }, resources);
    const assigned = await renderEdition({ dataset: corrected, previous, erratum, edition: 2 }, resources);
    expect(assigned.edition).toBe(2);
    for (const a of plain.artifacts) {
      expect(assigned.artifacts.find((b) => b.name === a.name)?.bytes.equals(a.bytes), a.name).toBe(true);
    }
    const pdf = await readPdf(plain.artifacts[0]?.bytes as Buffer);
    expect(pdf.pages.some((p) => p.text.includes('CONCEPT'))).toBe(false);
    const later = await renderEdition({ dataset: corrected, previous, erratum, edition: 5 }, resources);
    expect(later.edition).toBe(5);
  });
});
