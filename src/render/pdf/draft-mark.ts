import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

/** The word a draft carries on every page, in its metadata and in its file names. */
export const DRAFT_MARK = 'CONCEPT';

/**
 * Marks a PDF as a draft for review: "CONCEPT" across every page (pdfmake's watermark) and in the
 * document title, subject and keywords. Kept apart from the layout so that a final render is the
 * same definition without this step (and so the same bytes as before drafts existed).
 */
export function markAsDraft(definition: TDocumentDefinitions): TDocumentDefinitions {
  const info = definition.info ?? {};
  return {
    ...definition,
    watermark: { text: DRAFT_MARK, color: '#c00000', opacity: 0.18, bold: true, angle: -45 },
    info: {
      ...info,
      title: `${DRAFT_MARK}: ${info.title ?? ''}`,
      subject: `${DRAFT_MARK}, niet publiceren. ${info.subject ?? ''}`.trim(),
      keywords: [info.keywords, 'concept'].filter(Boolean).join(', '),
    },
  };
}
