import { createRequire } from 'node:module';
import { LAYOUT_ARTIFACT, type LayoutInline, type LayoutNode, LayoutTagger, REPEATED_ARTIFACT, type Stamped } from './layout-tagger.js';
import { type PdfKitDocument, StructureWriter } from './structure-writer.js';
import type { ArtifactTarget } from './tree.js';

/*
 * Tagging for pdfmake 0.3: wrappers around a few methods of its layout and rendering classes.
 * They do nothing unless the document is printed with `tagged: true`; pdfmake itself is unchanged.
 * Layout: LayoutBuilder.processNode follows the document definition node by node (LayoutTagger);
 * ElementWriter stamps each line, vector and image it places with its target. Rendering: Renderer
 * draws each stamped item inside its marked content and writes the structure tree at the end.
 * See docs/pdf.md.
 */

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Prototype = Record<string, Method>;

interface PdfMakeLine extends Stamped {
  inlines: LayoutInline[];
  getHeight(): number;
  getAscenderHeight(): number;
  _outline?: unknown;
  _pageNodeRef?: unknown;
  id?: unknown;
}

interface PageItem {
  type: string;
  item: Stamped;
}

interface WriterContext {
  getCurrentPage(): { items: PageItem[] } | null;
}

const require = createRequire(import.meta.url);
const load = (name: string): Prototype => (require(`pdfmake/js/${name}.js`) as { default: { prototype: Prototype } }).default.prototype;

/** The tagger of the layout running now (layout is synchronous, so one at a time). */
let layout: LayoutTagger | undefined;
const taggers = new WeakMap<object, LayoutTagger>();
const writers = new WeakMap<object, StructureWriter>();

function wrap(proto: Prototype, name: string, make: (original: Method) => Method): void {
  const original = proto[name];
  if (typeof original !== 'function') throw new Error(`pdfmake has no ${name}: the tagging wrappers need updating (docs/pdf.md)`);
  proto[name] = make(original);
}

/** Runs `hook` before the method; what it returns (if anything) runs after, even when the method throws. */
function around(proto: Prototype, name: string, hook: (self: unknown, args: unknown[]) => (() => void) | undefined): void {
  wrap(
    proto,
    name,
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const done = hook(this, args);
        try {
          return original.apply(this, args);
        } finally {
          done?.();
        }
      },
  );
}

/** Runs `hook` after the method returned, with its result. */
function after(proto: Prototype, name: string, hook: (self: unknown, args: unknown[], result: unknown) => void): void {
  wrap(
    proto,
    name,
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const result = original.apply(this, args);
        hook(this, args, result);
        return result;
      },
  );
}

function installLayout(): void {
  const builder = load('LayoutBuilder');
  around(builder, 'layoutDocument', (_self, args) => {
    const pdfDocument = args[1] as { options?: { tagged?: boolean } } | undefined;
    if (!pdfDocument?.options?.tagged) return undefined;
    const tagger = new LayoutTagger();
    taggers.set(pdfDocument, tagger);
    const previous = layout;
    layout = tagger;
    return () => {
      layout = previous;
    };
  });
  around(builder, 'tryLayoutDocument', () => {
    layout?.reset();
    return undefined;
  });
  around(builder, 'processNode', (_self, args) => {
    const tagger = layout;
    if (!tagger) return undefined;
    const pushed = tagger.enter(args[0] as LayoutNode);
    return () => tagger.exit(pushed);
  });
  around(builder, 'processList', (_self, args) => {
    const [ordered, node] = args as [boolean, LayoutNode];
    layout?.listItems((ordered ? node.ol : node.ul) ?? []);
    return undefined;
  });
  const artifactWhile = (name: string, artifact: (args: unknown[]) => ArtifactTarget) =>
    around(builder, name, (_self, args) => {
      const tagger = layout;
      if (!tagger) return undefined;
      tagger.pushArtifact(artifact(args));
      return () => tagger.popArtifact();
    });
  artifactWhile('addBackground', () => LAYOUT_ARTIFACT);
  artifactWhile('addDynamicRepeatable', (args) => ({ artifact: 'Pagination', subtype: args[2] === 'header' ? 'Header' : 'Footer' }));

  const table = load('TableProcessor');
  around(table, 'beginRow', (self, args) => {
    const { tableNode } = self as { tableNode: { table: { body: LayoutNode[][] } } };
    const rowIndex = args[0] as number;
    layout?.beginRow(tableNode, rowIndex, tableNode.table.body[rowIndex] ?? []);
    return undefined;
  });
  after(table, 'endRow', (self) => layout?.endRow((self as { tableNode: object }).tableNode));

  const writer = load('ElementWriter');
  const stamp = (name: string, how: (tagger: LayoutTagger, item: unknown) => void) =>
    after(writer, name, (_self, args, result) => {
      if (layout && result !== false && result !== undefined) how(layout, args[0]);
    });
  stamp('addLine', (tagger, line) => tagger.stampLine(line as PdfMakeLine));
  stamp('addVector', (tagger, vector) => tagger.stampVector(vector as Stamped));
  stamp('addImage', (tagger, image) => tagger.stampImage(image as Stamped));
  stamp('addSVG', (tagger, image) => tagger.stampImage(image as Stamped));
  // A repeated table header is drawn again on each page after the first: there it is an artifact.
  // It is placed on a fresh page, where only background artifacts (spliced before it) stand.
  around(writer, 'addFragment', (self, args) => {
    const block = args[0] as { insertedOnPages?: unknown };
    if (!layout || block.insertedOnPages === undefined) return undefined;
    const page = (self as { context(): WriterContext }).context().getCurrentPage();
    const before = page?.items.length ?? 0;
    return () => {
      for (const item of page?.items.slice(before) ?? []) item.item._pdfArtifact = REPEATED_ARTIFACT;
    };
  });
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * pdfkit writes the document information into the XMP metadata (dc:title, …) without escaping:
 * a title with "&" or "<" would make the XMP invalid XML. Escape it there only; the Info
 * dictionary, written before, keeps the text as it is.
 */
function escapeXmpInfo(doc: object): void {
  const own = doc as { _addInfo: (this: { info: Record<string, unknown> }) => void; info: Record<string, unknown> };
  const addInfo = own._addInfo;
  own._addInfo = function (this: { info: Record<string, unknown> }) {
    const info = this.info;
    this.info = Object.fromEntries(Object.entries(info).map(([key, value]) => [key, typeof value === 'string' ? xmlEscape(value) : value]));
    try {
      addInfo.call(this);
    } finally {
      this.info = info;
    }
  };
}

const textOf = (line: PdfMakeLine) => line.inlines.map((i) => i.text).join('');

/** A line limited to some of its inlines, placed as the whole line is (same height and baseline). */
function partOfLine(line: PdfMakeLine, from: number, to: number): PdfMakeLine {
  const part = Object.create(line) as PdfMakeLine;
  const height = line.getHeight();
  const ascender = line.getAscenderHeight();
  part.inlines = line.inlines.slice(from, to);
  part.getHeight = () => height;
  part.getAscenderHeight = () => ascender;
  if (from > 0) {
    part._outline = undefined;
    part._pageNodeRef = undefined;
    part.id = undefined;
  }
  return part;
}

function installRender(): void {
  const renderer = load('Renderer');
  const writerOf = (self: unknown) => writers.get(self as object);
  wrap(
    renderer,
    'renderPages',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const doc = (this as { pdfDocument: PdfKitDocument & object }).pdfDocument;
        const tagger = taggers.get(doc);
        if (!tagger) return original.apply(this, args);
        const writer = new StructureWriter(doc);
        writers.set(this as object, writer);
        const own = doc as unknown as Record<string, Method>;
        escapeXmpInfo(doc);
        const addPage = own.addPage!;
        const annotate = own.annotate!;
        // A marked-content sequence ends with its page; link annotations join their Link element.
        own.addPage = function (this: unknown, ...pageArgs: unknown[]) {
          writer.close();
          return addPage.apply(this, pageArgs);
        };
        own.annotate = function (this: unknown, ...annotArgs: unknown[]) {
          writer.linkAnnotation(annotArgs[4] as Record<string, unknown>);
          return annotate.apply(this, annotArgs);
        };
        try {
          return original.apply(this, args);
        } finally {
          delete own.addPage;
          delete own.annotate;
          writers.delete(this as object);
          writer.finish(tagger.root);
        }
      },
  );
  wrap(
    renderer,
    'renderLine',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const writer = writerOf(this);
        if (!writer) return original.apply(this, args);
        const [line, x, y] = args as [PdfMakeLine, number, number];
        const runs = line._pdfArtifact ? [{ end: line.inlines.length, target: line._pdfArtifact }] : line._pdfRuns;
        if (!runs || runs.length === 1) {
          writer.mark(runs?.[0]?.target ?? LAYOUT_ARTIFACT, () => textOf(line));
          return original.apply(this, args);
        }
        let from = 0;
        for (const run of runs) {
          const part = partOfLine(line, from, run.end);
          writer.mark(run.target, () => textOf(part));
          original.apply(this, [part, x, y]);
          from = run.end;
        }
        return undefined;
      },
  );
  for (const name of ['renderVector', 'renderImage', 'renderSVG']) {
    wrap(
      renderer,
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          const item = args[0] as Stamped;
          writerOf(this)?.mark(item._pdfArtifact ?? item._pdfTarget ?? LAYOUT_ARTIFACT);
          return original.apply(this, args);
        },
    );
  }
  wrap(
    renderer,
    'renderWatermark',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        writerOf(this)?.mark({ artifact: 'Pagination', subtype: 'Watermark' });
        return original.apply(this, args);
      },
  );
  // Clips and vertical alignment save and restore the graphics state: keep marked content inside.
  for (const name of ['beginClip', 'endClip', 'beginVerticalAlignment', 'endVerticalAlignment']) {
    wrap(
      renderer,
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          writerOf(this)?.close();
          return original.apply(this, args);
        },
    );
  }
}

let installed = false;

/** Installs the tagging wrappers into pdfmake once per process; untagged documents print as before. */
export function installTagging(): void {
  if (installed) return;
  installed = true;
  installLayout();
  installRender();
}
