import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { describe, expect, it } from 'vitest';
import { printPdf } from '../../../src/render/pdf/print-pdf.js';
import { sharedFontCount } from '../../../src/render/pdf/shared-fonts.js';
import { loadFonts } from '../../../src/resources.js';

// Fonts parsed once per process (src/render/pdf/shared-fonts.ts): every PDF reuses them, and the
// bytes are those of a print with freshly parsed fonts.

const fonts = loadFonts();

function definition(title: string): TDocumentDefinitions {
  return {
    info: { title, creationDate: new Date(Date.UTC(2020, 3, 28)) },
    content: [
      { text: title, bold: true, fontSize: 16 },
      { text: ['Gewone tekst, ', { text: 'cursief', italics: true }, ' en ', { text: 'vet cursief', bold: true, italics: true }, '.'] },
      {
        table: {
          body: [
            ['Aard geweld', 'Aantal'],
            ['Lichamelijk geweld', '12 345'],
          ],
        },
      },
    ],
  };
}

describe('shared fonts', () => {
  it('prints the same bytes with fonts parsed before as with fonts parsed for the PDF, and parses each font once', async () => {
    const before = sharedFontCount();
    const first = await printPdf(definition('Eerste'), fonts);
    const parsed = sharedFontCount();
    expect(parsed).toBeDefined();
    // The four Roboto styles at most, wherever this process printed before.
    expect(parsed).toBeLessThanOrEqual(4);
    expect(parsed).toBeGreaterThanOrEqual(before ?? 0);
    await printPdf(definition('Tweede'), fonts);
    const again = await printPdf(definition('Eerste'), fonts);
    expect(sharedFontCount()).toBe(parsed);
    expect(again.equals(first)).toBe(true);
  });
});
