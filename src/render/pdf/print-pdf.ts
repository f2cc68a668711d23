import path from 'node:path';
import type pdfmakeModule from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { RenderResources } from '../types.js';
import { loadPdfmake } from './shared-fonts.js';
import { installTagging } from './tagging/install.js';

/** pdfmake with fonts shared by every PDF this process prints (shared-fonts.ts). */
const pdfmake = loadPdfmake<typeof pdfmakeModule>();

/** How to print: tagged (PDF/UA-1, the default) or plain (only to measure what tagging costs). */
export interface PrintOptions {
  readonly tagged?: boolean;
}

/**
 * Prints a document definition to PDF bytes. pdfmake may read only the font folders and no URL.
 * pdfmake changes the definition it is given, so pass a fresh one each time. Tagged output is a
 * PDF/UA-1 document: PDF 1.7, structure tree, marked content, XMP with pdfuaid (docs/pdf.md).
 */
export async function printPdf(
  definition: TDocumentDefinitions,
  resources: Pick<RenderResources, 'fonts' | 'fontDirs'>,
  options: PrintOptions = {},
): Promise<Buffer> {
  const allowed = resources.fontDirs.map((dir) => path.resolve(dir) + path.sep);
  pdfmake.setFonts(resources.fonts);
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((file: string) => allowed.some((dir) => path.resolve(file).startsWith(dir)));
  const tagged = options.tagged ?? true;
  if (tagged) installTagging();
  const printed: TDocumentDefinitions = tagged
    ? { ...definition, version: '1.7', subset: 'PDF/UA', tagged: true, displayTitle: true, language: definition.language ?? 'nl-NL' }
    : definition;
  const buffer = await pdfmake.createPdf(printed).getBuffer();
  return Buffer.from(buffer);
}
