import type { StyleDictionary } from 'pdfmake/interfaces.js';

/** A4 in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
/** Page margins: left, top, right, bottom. */
export const MARGINS: [number, number, number, number] = [62, 64, 62, 64];
/** Width of the text column. */
export const CONTENT_WIDTH = PAGE.width - MARGINS[0] - MARGINS[2];

/** The sober CBS palette: dark blue for headings, light blue for accents and fills. */
export const COLORS = {
  ink: '#1a1a1a',
  heading: '#271d6c',
  accent: '#00a1cd',
  muted: '#5a5a5a',
  headerFill: '#e9f5fa',
  keyFill: '#e9f5fa',
} as const;

/** The named styles of the publication. */
export const STYLES: StyleDictionary = {
  body: { fontSize: 10, lineHeight: 1.35, color: COLORS.ink },
  h1: { fontSize: 24, bold: true, color: COLORS.heading, lineHeight: 1.1 },
  chapterNumber: { fontSize: 40, bold: true, color: COLORS.accent },
  h2: { fontSize: 12, bold: true, color: COLORS.heading, margin: [0, 10, 0, 4] },
  h3: { fontSize: 10, bold: true, color: COLORS.heading, margin: [0, 8, 0, 3] },
  footnote: { fontSize: 7.5, color: COLORS.muted, lineHeight: 1.2, margin: [0, 1, 0, 1] },
  key: { fontSize: 11, bold: true, color: COLORS.heading, lineHeight: 1.25 },
  tableTitle: { fontSize: 9, bold: true, color: COLORS.heading, margin: [0, 0, 0, 4] },
  tableHeader: { fontSize: 6.5, color: COLORS.ink, lineHeight: 1.05 },
  tableBody: { fontSize: 7, color: COLORS.ink },
  tableSource: { fontSize: 7, color: COLORS.ink, margin: [0, 3, 0, 1] },
  tableNote: { fontSize: 6.5, color: COLORS.muted, margin: [0, 1, 0, 0] },
  tocTitle: { fontSize: 10.5, bold: true, color: COLORS.heading },
  coverTitle: { fontSize: 30, bold: true, color: '#ffffff', lineHeight: 1.05 },
  coverPeriod: { fontSize: 18, color: '#ffffff' },
  titlePageTitle: { fontSize: 22, bold: true, color: COLORS.heading, lineHeight: 1.1 },
  titlePagePeriod: { fontSize: 14, color: COLORS.heading },
};
