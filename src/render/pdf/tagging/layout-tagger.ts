import type { PdfRole, PdfTag } from './roles.js';
import { type ArtifactTarget, Elem, type Slot, type TableAttributes, type Target, TEXT_CONTAINERS } from './tree.js';

/** The parts of a pdfmake node (after preprocessing) that decide its structure. */
export interface LayoutNode {
  pdfTag?: PdfTag;
  text?: unknown;
  ul?: LayoutNode[];
  ol?: LayoutNode[];
  table?: { body: LayoutNode[][]; headerRows?: number };
  image?: unknown;
  svg?: unknown;
  colSpan?: number;
  rowSpan?: number;
  _span?: boolean;
  listMarker?: { canvas?: object[]; _inlines?: object[] };
}

/** A text run of a laid-out line, as pdfmake measured it. */
export interface LayoutInline {
  text: string;
  pdfTag?: PdfTag;
  link?: unknown;
  linkToDestination?: unknown;
  linkToPage?: unknown;
}

/** A run of a line's inlines that goes to one target: inlines up to (not including) `end`. */
export interface LineRun {
  readonly end: number;
  readonly target: Target;
}

/** Properties the tagger sets on pdfmake's page items; copied with them when pdfmake clones an item. */
export interface Stamped {
  _pdfRuns?: LineRun[];
  _pdfTarget?: Target;
  /** Set on the copies of repeated table headers: drawn again, not content again. */
  _pdfArtifact?: ArtifactTarget;
}

interface TableFrame {
  readonly node: object;
  readonly isTable: boolean;
  readonly headerRows: number;
  readonly rowHeaders: number;
  readonly rows: 'TOCI' | undefined;
  thead?: Elem;
  tbody?: Elem;
}

interface Frame {
  /** The element content goes to; undefined in an artifact. */
  readonly elem: Elem | undefined;
  readonly artifact?: ArtifactTarget;
  /** A Figure: everything drawn inside is its content, nothing inside adds elements. */
  readonly absorb?: boolean;
  readonly table?: TableFrame;
  /** The table whose row this frame is. */
  readonly rowOf?: object;
  /** The label element of the list item this frame is the body of. */
  readonly label?: Elem;
}

interface CellRole {
  readonly role: PdfRole | undefined;
  readonly attributes?: TableAttributes;
}

export const LAYOUT_ARTIFACT: ArtifactTarget = { artifact: 'Layout' };
export const REPEATED_ARTIFACT: ArtifactTarget = { artifact: 'Pagination' };

function inlineRole(inline: LayoutInline): { role: PdfRole | 'Artifact' | undefined; join?: string } {
  const tag = inline.pdfTag;
  if (tag && tag.role !== null) return { role: tag.role, ...(tag.join !== undefined ? { join: tag.join } : {}) };
  const target = inline.linkToDestination ?? inline.link ?? inline.linkToPage;
  if (target !== undefined && target !== null) return { role: 'Link', join: String(target) };
  return { role: undefined };
}

/**
 * Follows pdfmake's layout node by node and gives every line, vector and image it places a target:
 * the marked content of a structure element, or an artifact. The elements form a tree in the order
 * of the document definition, which is the reading order.
 */
export class LayoutTagger {
  root = new Elem('Document', undefined, undefined);
  private frames: Frame[] = [{ elem: this.root }];
  private cells = new WeakMap<object, CellRole>();
  private listItemNodes = new WeakSet<object>();
  private labels = new WeakSet<object>();

  /** pdfmake lays the document out again (pageBreakBefore): start the tree afresh. */
  reset(): void {
    this.root = new Elem('Document', undefined, undefined);
    this.frames = [{ elem: this.root }];
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  /** A node is about to be laid out: push the frames it opens; returns how many. */
  enter(node: LayoutNode): number {
    const parent = this.top;
    if (parent.artifact || parent.absorb || !parent.elem) return 0;
    let container = parent.elem;
    let pushed = 0;
    const push = (frame: Frame) => {
      this.frames.push(frame);
      pushed++;
    };

    const cell = this.cells.get(node);
    if (cell?.role) {
      const elem = container.child(cell.role);
      elem.attributes = cell.attributes;
      push({ elem });
      container = elem;
    }
    if (this.listItemNodes.has(node)) {
      const item = container.child('LI');
      const label = item.child('Lbl');
      const body = item.child('LBody');
      push({ elem: body, label });
      container = body;
    }

    const tag = node.pdfTag;
    if (tag?.role === 'Artifact') {
      push({ elem: undefined, artifact: LAYOUT_ARTIFACT });
      return pushed;
    }
    if (tag) {
      const elem = tag.role === null ? container : container.child(tag.role, tag, tag.join);
      if (tag.actual !== undefined) elem.actual = tag.actual;
      push({ elem, absorb: tag.role === 'Figure', ...(node.table ? { table: this.tableFrame(node, tag.role === 'Table', tag) } : {}) });
      return pushed;
    }
    if (node.ul || node.ol) push({ elem: container.child('L') });
    else if (node.table) push({ elem: container.child('Table'), table: this.tableFrame(node, true, undefined) });
    else if (node.text !== undefined && !TEXT_CONTAINERS.has(container.role)) push({ elem: container.child('P') });
    else if (node.image || node.svg) push({ elem: undefined, artifact: LAYOUT_ARTIFACT });
    return pushed;
  }

  exit(count: number): void {
    for (let i = 0; i < count; i++) this.frames.pop();
  }

  private tableFrame(node: LayoutNode, isTable: boolean, tag: PdfTag | undefined): TableFrame {
    return {
      node,
      isTable,
      headerRows: node.table?.headerRows ?? 0,
      rowHeaders: tag?.rowHeaders ?? 0,
      rows: tag?.rows,
    };
  }

  /** A table row begins: open its TR (in THead or TBody) and give its cells their roles. */
  beginRow(tableNode: object, rowIndex: number, cells: readonly (LayoutNode | undefined)[]): void {
    const frame = this.top;
    const table = frame.table;
    if (!table || table.node !== tableNode || !frame.elem) return;
    let row: Elem | undefined;
    const header = rowIndex < table.headerRows;
    if (table.isTable) {
      if (header) table.thead ??= frame.elem.child('THead');
      else table.tbody ??= frame.elem.child('TBody');
      row = (header ? table.thead : table.tbody)?.child('TR');
    } else if (table.rows) {
      row = frame.elem.child(table.rows);
    }
    this.frames.push({ elem: row ?? frame.elem, rowOf: tableNode });
    cells.forEach((cell, column) => {
      if (!cell || cell._span) return;
      if (!table.isTable) {
        this.cells.set(cell, { role: undefined });
        return;
      }
      const rowHeader = !header && column < table.rowHeaders;
      const attributes: TableAttributes = {
        ...(header || rowHeader ? { Scope: header ? 'Column' : 'Row' } : {}),
        ...((cell.colSpan ?? 1) > 1 ? { ColSpan: cell.colSpan } : {}),
        ...((cell.rowSpan ?? 1) > 1 ? { RowSpan: cell.rowSpan } : {}),
      };
      this.cells.set(cell, { role: header || rowHeader ? 'TH' : 'TD', attributes });
    });
  }

  endRow(tableNode: object): void {
    if (this.top.rowOf === tableNode) this.frames.pop();
  }

  /** A list is about to be laid out: its items become LI, their markers Lbl. */
  listItems(items: readonly LayoutNode[]): void {
    for (const item of items) {
      this.listItemNodes.add(item);
      const marker = item.listMarker;
      for (const drawn of [...(marker?.canvas ?? []), ...(marker?._inlines ?? [])]) this.labels.add(drawn);
    }
  }

  /** Headers, footers and backgrounds: everything laid out until `popArtifact` is an artifact. */
  pushArtifact(artifact: ArtifactTarget): void {
    this.frames.push({ elem: undefined, artifact });
  }

  popArtifact(): void {
    this.frames.pop();
  }

  private labelSlot(): Slot | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const label = this.frames[i]?.label;
      if (label) return label.slot();
    }
    return undefined;
  }

  /** A line was placed: split it into runs by the role of its inlines (links, references). */
  stampLine(line: Stamped & { inlines: LayoutInline[] }): void {
    if (line._pdfRuns) return;
    const frame = this.top;
    const count = line.inlines.length;
    // An empty line (a page break node '') carries no text: nothing to tag.
    if (line.inlines.every((i) => i.text === '')) {
      line._pdfRuns = [{ end: count, target: LAYOUT_ARTIFACT }];
      return;
    }
    if (frame.artifact || !frame.elem) {
      line._pdfRuns = [{ end: count, target: frame.artifact ?? LAYOUT_ARTIFACT }];
      return;
    }
    const first = line.inlines[0];
    if (first && this.labels.has(first)) {
      line._pdfRuns = [{ end: count, target: this.labelSlot() ?? frame.elem.slot() }];
      return;
    }
    const elem = frame.elem;
    if (frame.absorb) {
      line._pdfRuns = [{ end: count, target: elem.slot() }];
      return;
    }
    const runs: LineRun[] = [];
    let start = 0;
    while (start < count) {
      const { role, join } = inlineRole(line.inlines[start]!);
      let end = start + 1;
      while (end < count) {
        const next = inlineRole(line.inlines[end]!);
        if (next.role !== role || next.join !== join) break;
        end++;
      }
      let target: Target;
      if (role === 'Artifact') target = LAYOUT_ARTIFACT;
      else if (role === undefined || role === elem.role) target = elem.slot();
      else target = elem.child(role, line.inlines[start]!.pdfTag, join).slot();
      runs.push({ end, target });
      start = end;
    }
    line._pdfRuns = runs;
  }

  /** A vector was placed: decoration (an artifact) unless it is a list marker or part of a Figure. */
  stampVector(vector: Stamped): void {
    if (vector._pdfTarget) return;
    const frame = this.top;
    if (this.labels.has(vector)) {
      const slot = this.labelSlot();
      // A drawn bullet has no text: the label reads as one (ActualText).
      if (slot) slot.elem.actual ??= '\u2022';
      vector._pdfTarget = slot ?? LAYOUT_ARTIFACT;
    } else if (frame.absorb && frame.elem) vector._pdfTarget = frame.elem.slot();
    else vector._pdfTarget = frame.artifact ?? LAYOUT_ARTIFACT;
  }

  /** An image was placed: content of a Figure, else decoration. */
  stampImage(image: Stamped): void {
    if (image._pdfTarget) return;
    const frame = this.top;
    image._pdfTarget = frame.absorb && frame.elem ? frame.elem.slot() : (frame.artifact ?? LAYOUT_ARTIFACT);
  }
}
