import type { Content } from 'pdfmake/interfaces.js';

/** The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4) that the publications use. */
export type PdfRole =
  | 'Document'
  | 'Part'
  | 'Sect'
  | 'Div'
  | 'H1'
  | 'H2'
  | 'H3'
  | 'H4'
  | 'H5'
  | 'H6'
  | 'P'
  | 'L'
  | 'LI'
  | 'Lbl'
  | 'LBody'
  | 'Table'
  | 'THead'
  | 'TBody'
  | 'TR'
  | 'TH'
  | 'TD'
  | 'Caption'
  | 'Note'
  | 'Reference'
  | 'Link'
  | 'Figure'
  | 'TOC'
  | 'TOCI'
  | 'Span';

/**
 * The structure role of a node of a pdfmake document definition (property `pdfTag`), read when the
 * PDF is printed tagged (see docs/pdf.md). Nodes without it get a role from their kind: text a P,
 * `ul`/`ol` an L with LI, Lbl and LBody, a table a Table; stacks and columns add no element.
 */
export interface PdfTag {
  /**
   * The element the node becomes. `null`: none of its own, its content belongs to the element
   * around it (a table used for layout); `'Artifact'`: not content at all (decoration).
   */
  readonly role: PdfRole | 'Artifact' | null;
  /** Alternate text (required for a Figure): what a reader who cannot see the figure needs to know. */
  readonly alt?: string;
  /**
   * The text as it is to be read when the page shows it otherwise (ActualText), e.g. a header
   * hyphenated over lines; with role `null` it is set on the element around (a table cell).
   */
  readonly actual?: string;
  /** Language of the node's text when it is not the document's (nl-NL), e.g. 'en-GB'. */
  readonly lang?: string;
  /** Consecutive sibling nodes with the same role and the same `join` form one element (chapter number and title: one H1). */
  readonly join?: string;
  /** Tables: the element of each row when the table is not a Table (TOCI for the Inhoud); rows add none when absent. */
  readonly rows?: 'TOCI';
  /** Tables (role Table): how many leading columns of the body rows are row headers (TH with Scope Row). */
  readonly rowHeaders?: number;
}

declare module 'pdfmake/interfaces.js' {
  interface Style {
    /** Structure role for the tagged PDF (src/render/pdf/tagging). */
    pdfTag?: PdfTag;
  }
}

/** A section (a chapter): its content in one Sect element. Lays out exactly as the content on its own. */
export function section(content: Content[]): Content {
  return { stack: content, pdfTag: { role: 'Sect' } };
}
