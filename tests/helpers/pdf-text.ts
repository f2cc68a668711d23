import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** One page of a PDF read back: its lines (text items grouped by baseline, left to right). */
export interface PdfPage {
  readonly number: number;
  readonly lines: readonly string[];
  /** The text items of each line, for reading table cells one by one. */
  readonly cells: readonly (readonly string[])[];
  readonly text: string;
}

/** The PDF read back with pdfjs: pages, metadata and outline titles. */
export interface PdfReadBack {
  readonly pages: readonly PdfPage[];
  readonly info: Record<string, unknown>;
  readonly outline: readonly string[];
}

/** Replaces no-break spaces by plain spaces, so "53 080" compares as typed. */
export function plain(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

/** Reads a PDF's text back, line by line, with pdfjs-dist. */
export async function readPdf(bytes: Uint8Array): Promise<PdfReadBack> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    const rows = new Map<number, { x: number; s: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const y = Math.round(item.transform[5] * 2) / 2;
      // A raised note marker (5.5-6.5 pt, raised by three quarters of its size) belongs to its line.
      const key = [...rows.keys()].find((k) => Math.abs(k - y) <= 4.6) ?? y;
      const row = rows.get(key) ?? [];
      row.push({ x: item.transform[4], s: plain(item.str) });
      rows.set(key, row);
    }
    const ordered = [...rows.entries()].sort((a, b) => b[0] - a[0]).map(([, items]) => items.sort((a, b) => a.x - b.x));
    const cells = ordered.map((items) => items.map((i) => i.s.trim()));
    const lines = ordered.map((items) =>
      items
        .map((i) => i.s)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    pages.push({ number: n, lines, cells, text: lines.join('\n') });
  }
  const meta = await doc.getMetadata();
  const outline = ((await doc.getOutline()) ?? []).flatMap(function flat(o): string[] {
    return [o.title, ...(o.items ?? []).flatMap(flat)];
  });
  await doc.destroy();
  return { pages, info: meta.info as Record<string, unknown>, outline };
}
