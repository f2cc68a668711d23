import type { ArtifactTarget, Target } from './tree.js';
import { type Elem, KEEP_EMPTY, Slot } from './tree.js';

/** The parts of pdfkit's PDFDocument (0.19) that marking and the structure tree use. */
export interface PdfKitDocument {
  page: { dictionary: unknown; markings: { tag: string; options?: object }[] };
  _root: { data: { Names: { data: { Dests: object } } } };
  addContent(content: string): unknown;
  markStructureContent(tag: string, options?: object): unknown;
  endMarkedContent(): unknown;
  struct(type: string, options?: object): PdfKitStructElement;
  addStructure(element: PdfKitStructElement): unknown;
  getStructTreeRoot(): { data: Record<string, unknown> };
  getStructParentTree(): { add(key: number, value: unknown): void };
  createStructParentTreeNextKey(): number;
  annotate(x: number, y: number, w: number, h: number, options: Record<string, unknown>): unknown;
}

interface PdfKitStructElement {
  dictionary: { data: Record<string, unknown> };
  _children: unknown[];
  add(child: unknown): unknown;
  end(): unknown;
  _flushChild(child: unknown): void;
}

interface NameTree {
  add(key: string, value: unknown): void;
}

/**
 * Draws page items inside marked content and, once every page is drawn, writes the structure tree.
 * Consecutive items with the same target share one marked-content sequence.
 */
export class StructureWriter {
  private open: Target | undefined;
  private link: Elem | undefined;
  private linkText = '';
  private noteCount = 0;
  private lastHeading = 0;

  constructor(private readonly doc: PdfKitDocument) {}

  /** Begins the marked content for `target`, ending the one before unless it is the same; `text` is read for links only. */
  mark(target: Target, text?: () => string): void {
    if (target === this.open) {
      if (this.link && text) this.linkText += text();
      return;
    }
    this.close();
    this.open = target;
    if (target instanceof Slot) {
      target.contents.push(this.doc.markStructureContent(target.elem.role));
      this.link = target.elem.role === 'Link' ? target.elem : undefined;
      this.linkText = this.link && text ? text() : '';
    } else {
      this.beginArtifact(target);
    }
  }

  private beginArtifact(target: ArtifactTarget): void {
    this.doc.page.markings.push({ tag: 'Artifact', options: {} });
    this.doc.addContent(`/Artifact <</Type /${target.artifact}${target.subtype ? ` /Subtype /${target.subtype}` : ''}>> BDC`);
  }

  /** Ends the open marked content (before a page ends, a clip or the end of the document). */
  close(): void {
    if (this.open === undefined) return;
    this.doc.endMarkedContent();
    this.open = undefined;
    this.link = undefined;
  }

  /** The options for a link annotation pdfkit is about to make: tie it to the Link element being drawn. */
  linkAnnotation(options: Record<string, unknown>): void {
    const link = this.link;
    if (!link || options.Subtype !== 'Link') return;
    const page = this.doc.page.dictionary;
    const doc = this.doc;
    // pdfkit writes the annotation right after this: its StructParent must be set now; the parent
    // tree entry and the OBJR follow when the Link element is written.
    options.structParent = {
      add: (ref: { annotationRef: { data: Record<string, unknown> } }) => {
        const key = doc.createStructParentTreeNextKey();
        ref.annotationRef.data.StructParent = key;
        link.annotations.push({ ref, page, key });
      },
    };
    // PDF/UA 7.18.5: a link annotation describes itself in Contents.
    if (options.Contents === undefined && this.linkText.trim() !== '') options.Contents = new String(this.linkText.trim());
  }

  /** Writes the structure tree under the document's StructTreeRoot. */
  finish(root: Elem): void {
    this.close();
    // A name tree of pdfkit's own class; a single root node has no /Limits (ISO 32000-1, 7.9.6).
    const ids = new (this.doc._root.data.Names.data.Dests.constructor as new (options: { limits: boolean }) => NameTree)({ limits: false });
    const element = this.build(root, ids);
    if (!element) return;
    this.doc.addStructure(element);
    if (this.noteCount > 0) this.doc.getStructTreeRoot().data.IDTree = ids;
  }

  private role(elem: Elem): string {
    const heading = /^H([1-6])$/.exec(elem.role);
    if (!heading) return elem.role;
    // Headings nest without skipping a level (Matterhorn 14-003): a level deeper than one below the
    // heading before is tagged one below it; the page shows it as the template sets it.
    const level = Math.min(Number(heading[1]), this.lastHeading + 1);
    this.lastHeading = level;
    return `H${level}`;
  }

  private build(elem: Elem, ids: NameTree): PdfKitStructElement | undefined {
    const role = this.role(elem);
    const kids: unknown[] = [];
    for (const kid of elem.kids) {
      if (kid instanceof Slot) kids.push(...kid.contents);
      else {
        const child = this.build(kid, ids);
        if (child) kids.push(child);
      }
    }
    if (kids.length === 0 && elem.annotations.length === 0 && !KEEP_EMPTY.has(elem.role)) return undefined;
    const tag = elem.tag;
    const element = this.doc.struct(role, {
      ...(tag?.alt ? { alt: tag.alt } : {}),
      ...(tag?.lang ? { lang: tag.lang } : {}),
      ...(elem.actual !== undefined ? { actual: elem.actual } : {}),
    });
    if (elem.attributes && Object.keys(elem.attributes).length > 0) element.dictionary.data.A = { O: 'Table', ...elem.attributes };
    if (role === 'Note') {
      const id = `note-${++this.noteCount}`;
      element.dictionary.data.ID = new String(id);
      ids.add(id, element.dictionary);
    }
    for (const kid of kids) element.add(kid);
    if (elem.annotations.length > 0) {
      // Each annotation: an OBJR with the page it is on (pdfkit would give the page current when
      // the element is written, the last) and its parent tree entry.
      const pages = new Map(elem.annotations.map((a) => [a.ref, a.page]));
      const flushChild = element._flushChild.bind(element);
      element._flushChild = (child: unknown) => {
        const page = pages.get(child);
        if (page === undefined) return flushChild(child);
        const data = element.dictionary.data as { K: unknown[] };
        data.K.push({ Type: 'OBJR', Obj: (child as { annotationRef: unknown }).annotationRef, Pg: page });
      };
      for (const annotation of elem.annotations) {
        this.doc.getStructParentTree().add(annotation.key, element.dictionary);
        element._children.push(annotation.ref);
      }
    }
    element.end();
    return element;
  }
}
