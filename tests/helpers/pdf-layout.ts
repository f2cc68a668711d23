import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A box on a page in PDF points, origin at the bottom left as in PDF. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** What a page draws: its size, the boxes of its text items (with their text) and of its paths (lines, fills). */
export interface PageLayout {
  readonly number: number;
  readonly width: number;
  readonly height: number;
  readonly texts: readonly (Box & { readonly text: string })[];
  readonly paths: readonly Box[];
}

type Matrix = [number, number, number, number, number, number];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/**
 * Reads where a PDF draws: per page the boxes of its text (from pdfjs's text content) and of its
 * paths (from the operator list, with the transformation matrix followed through save/restore).
 */
export async function readLayout(bytes: Uint8Array): Promise<PageLayout[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: PageLayout[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const texts: (Box & { text: string })[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const [, , , , x, y] = item.transform as number[];
      texts.push({ x0: x ?? 0, y0: y ?? 0, x1: (x ?? 0) + item.width, y1: (y ?? 0) + item.height, text: item.str });
    }
    const paths: Box[] = [];
    const list = await page.getOperatorList();
    let ctm: Matrix = [1, 0, 0, 1, 0, 0];
    const stack: Matrix[] = [];
    list.fnArray.forEach((fn, i) => {
      const args = list.argsArray[i] as unknown[];
      if (fn === OPS.save) stack.push(ctm);
      else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
      else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
      else if (fn === OPS.constructPath) {
        const minMax = args[2] as ArrayLike<number> | null;
        if (!minMax || !Number.isFinite(minMax[0])) return;
        const corners = [
          apply(ctm, minMax[0] ?? 0, minMax[1] ?? 0),
          apply(ctm, minMax[2] ?? 0, minMax[3] ?? 0),
          apply(ctm, minMax[0] ?? 0, minMax[3] ?? 0),
          apply(ctm, minMax[2] ?? 0, minMax[1] ?? 0),
        ];
        const xs = corners.map((c) => c[0]);
        const ys = corners.map((c) => c[1]);
        paths.push({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) });
      }
    });
    pages.push({ number: n, width, height, texts, paths });
  }
  await doc.destroy();
  return pages;
}
