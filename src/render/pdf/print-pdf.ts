import path from 'node:path';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { RenderResources } from '../types.js';

/**
 * Prints a document definition to PDF bytes. pdfmake may read only the font folders and no URL.
 * pdfmake changes the definition it is given, so pass a fresh one each time.
 */
export async function printPdf(definition: TDocumentDefinitions, resources: Pick<RenderResources, 'fonts' | 'fontDirs'>): Promise<Buffer> {
  const allowed = resources.fontDirs.map((dir) => path.resolve(dir) + path.sep);
  pdfmake.setFonts(resources.fonts);
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((file: string) => allowed.some((dir) => path.resolve(file).startsWith(dir)));
  const buffer = await pdfmake.createPdf(definition).getBuffer();
  return Buffer.from(buffer);
}
