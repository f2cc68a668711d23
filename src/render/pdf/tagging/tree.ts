import type { PdfRole, PdfTag } from './roles.js';

/** Where drawn content goes: into the marked content of a structure element, or out of the structure as an artifact. */
export type Target = Slot | ArtifactTarget;

/** An artifact: content that is not part of the document's logical content. */
export interface ArtifactTarget {
  readonly artifact: 'Pagination' | 'Layout' | 'Page';
  readonly subtype?: 'Header' | 'Footer' | 'Watermark';
}

/** Marked content of one element at one place among its children; filled when the page is drawn. */
export class Slot {
  /** pdfkit's PDFStructureContent objects, one per marked-content sequence. */
  readonly contents: unknown[] = [];
  constructor(readonly elem: Elem) {}
}

/** Table attributes (ISO 32000-1, 14.8.5.7) of a TH or TD. */
export interface TableAttributes {
  readonly Scope?: 'Row' | 'Column';
  readonly ColSpan?: number;
  readonly RowSpan?: number;
}

/** A structure element as the layout finds it; written as a pdfkit structure element after the pages are drawn. */
export class Elem {
  readonly kids: (Elem | Slot)[] = [];
  /** Link annotations drawn for this element: pdfkit's PDFAnnotationReference, its page and its key in the parent tree. */
  readonly annotations: { ref: unknown; page: unknown; key: number }[] = [];
  attributes: TableAttributes | undefined;
  /** ActualText: how the element's content reads (set from a `pdfTag.actual`). */
  actual: string | undefined;
  constructor(
    readonly role: PdfRole,
    readonly tag: PdfTag | undefined,
    readonly join: string | undefined,
  ) {}

  /** The slot for content drawn next: the last child when that is a slot, else a new one. */
  slot(): Slot {
    const last = this.kids[this.kids.length - 1];
    if (last instanceof Slot) return last;
    const slot = new Slot(this);
    this.kids.push(slot);
    return slot;
  }

  /** A child element; with a join key, the last child when it has the same role and key. */
  child(role: PdfRole, tag?: PdfTag, join?: string): Elem {
    const last = this.kids[this.kids.length - 1];
    if (join !== undefined && last instanceof Elem && last.role === role && last.join === join) return last;
    const elem = new Elem(role, tag, join);
    this.kids.push(elem);
    return elem;
  }
}

/** Roles whose text is their own content: a text node inside them adds no P. */
export const TEXT_CONTAINERS: ReadonlySet<PdfRole> = new Set<PdfRole>([
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'P',
  'Lbl',
  'TH',
  'TD',
  'Caption',
  'Note',
  'Reference',
  'Link',
  'Figure',
  'TOCI',
  'Span',
]);

/** Roles kept even without content: a table must keep its grid for a screen reader to count cells. */
export const KEEP_EMPTY: ReadonlySet<PdfRole> = new Set<PdfRole>(['Table', 'THead', 'TBody', 'TR', 'TH', 'TD']);
