import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { AppError } from '../../errors.js';
import { SYMBOLS } from '../../model/symbols.js';
import type { Block, Inline } from '../text/markup.js';
import { buildWorkProcessFigure } from './figures.js';
import { noteMarker, TEXT_NOTE_MARKER_SIZE } from './note-marker.js';
import { bindWords, textRuns } from './text-runs.js';
import { COLORS, CONTENT_WIDTH, MARGINS, PAGE, STYLES } from './style.js';
import { section } from './tagging/roles.js';

/** A chapter of the publication, its text already read into blocks. */
export interface PdfChapter {
  readonly title: string;
  readonly number?: number;
  readonly blocks: readonly Block[];
}

/** Everything the publication PDF is made of; figures and texts are already resolved from the dataset. */
export interface PublicationParts {
  readonly title: string;
  /** "1e halfjaar van 2019" */
  readonly period: string;
  readonly runningTitle: string;
  /** The front matter pages (Verklaring van tekens, Colofon), as blocks. */
  readonly front: readonly (readonly Block[])[];
  readonly chapters: readonly PdfChapter[];
  /** Tables by id, already drawn, for `::table id` directives. */
  readonly tables: ReadonlyMap<string, Content>;
  /** Alternate texts of the figures by id (the manifest's `figures`), for `::figure id` directives. */
  readonly figures?: ReadonlyMap<string, string>;
  /** The erratum chapter of a corrected edition. */
  readonly erratum?: { readonly title: string; readonly content: readonly Content[] };
  /** "Gecorrigeerde editie, 28 april 2020" on the title pages of a corrected edition. */
  readonly editionNote?: string;
  readonly metadata: { readonly subject: string; readonly keywords: string; readonly date: Date };
}

/** Inline runs as pdfmake text. */
export function inlinesToPdf(inlines: readonly Inline[]): Content[] {
  return inlines.flatMap((i): Content | Content[] => {
    if (i.note) return noteMarker(i.text, TEXT_NOTE_MARKER_SIZE, { pdfTag: { role: 'Reference' } });
    return textRuns(i.text, { ...(i.bold ? { bold: true } : {}), ...(i.italic ? { italics: true } : {}) }, COLORS.heading);
  });
}

interface BlockContext {
  readonly tables: ReadonlyMap<string, Content>;
  readonly figures?: ReadonlyMap<string, string> | undefined;
  /** Outline id of the chapter, so sections nest under it in the bookmarks. */
  readonly chapterId: string | undefined;
  sectionCount: number;
}

/**
 * Running text is set narrower than the text column, which tables use in full: 10 pt on a measure
 * of about 385 pt gives lines of at most about 90 characters, as publishing practice asks (the
 * full column gave 105-117).
 */
const MEASURE_INSET = 85;

/** Lists of at most this many items are kept on one page. */
const MAX_UNBROKEN_LIST = 8;

/** Whether pdfmake content is kept on one page already (a table of at most 40 rows, a figure). */
function isUnbreakable(content: Content): boolean {
  return typeof content === 'object' && content !== null && 'unbreakable' in content && content.unbreakable === true;
}

/**
 * Converts markup blocks into pdfmake content, kept together as a reader expects: a heading (or a
 * sentence ending in a colon) with the block after it, a block with the notes that follow it (a note's text on the page of its
 * reference), a list of up to eight items whole. A heading before a long table that may break is
 * not tied to it.
 */
export function blocksToPdf(blocks: readonly Block[], ctx: BlockContext): Content[] {
  const items = blocksToContent(blocks, ctx);
  const out: Content[] = [];
  let group: Content[] = [];
  let groupBreakable = false;
  const flush = () => {
    if (group.length === 1 && group[0] !== undefined) out.push(group[0]);
    else if (group.length > 1) out.push({ stack: group, unbreakable: true });
    group = [];
    groupBreakable = false;
  };
  let headingOpen = false;
  items.forEach(({ block, content }) => {
    if (block.kind === 'footnote' && group.length > 0 && !groupBreakable) {
      group.push(content);
      return;
    }
    const breakable = block.kind === 'directive' && block.name === 'table' && !isUnbreakable(content);
    if (headingOpen && !breakable) {
      group.push(content);
      headingOpen = false;
      return;
    }
    flush();
    group = [content];
    groupBreakable = breakable;
    // A heading, or a sentence that leads into a list ("levert Veilig Thuis aan het CBS:"), stays with what follows.
    headingOpen = block.kind === 'heading' || (block.kind === 'paragraph' && /:\s*$/.test(block.inlines.map((i) => i.text).join('')));
  });
  flush();
  return out;
}

/** Each block's pdfmake content, in order. */
function blocksToContent(blocks: readonly Block[], ctx: BlockContext): { block: Block; content: Content }[] {
  const out: { block: Block; content: Content }[] = [];
  const push = (block: Block, content: Content) => out.push({ block, content });
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading': {
        const plain = block.inlines
          .filter((i) => !i.note)
          .map((i) => i.text)
          .join('');
        const outline = ctx.chapterId !== undefined && block.level === 2;
        if (outline) ctx.sectionCount++;
        push(block, {
          text: inlinesToPdf(block.inlines),
          style: block.level === 2 ? 'h2' : 'h3',
          headlineLevel: block.level,
          pdfTag: { role: block.level === 2 ? 'H2' : 'H3' },
          ...(outline
            ? { outline: true, outlineText: plain, outlineParentId: ctx.chapterId, id: `${ctx.chapterId}-s${ctx.sectionCount}` }
            : {}),
        });
        break;
      }
      case 'paragraph':
        push(block, { text: inlinesToPdf(block.inlines), style: 'body', margin: [0, 0, MEASURE_INSET, 6] });
        break;
      case 'bullets':
        push(block, {
          ul: block.items.map((item) => ({ text: inlinesToPdf(item), style: 'body' })),
          margin: [4, 0, MEASURE_INSET, 6],
          markerColor: COLORS.accent,
          ...(block.items.length <= MAX_UNBROKEN_LIST ? { unbreakable: true } : {}),
        });
        break;
      case 'key':
        push(block, {
          table: { widths: ['*'], body: [[{ text: inlinesToPdf(block.inlines), style: 'key', margin: [8, 8, 8, 8] }]] },
          pdfTag: { role: null },
          layout: {
            hLineWidth: () => 1.2,
            vLineWidth: () => 0,
            hLineColor: () => COLORS.accent,
            fillColor: () => COLORS.keyFill,
          },
          margin: [0, 6, 0, 10],
        });
        break;
      case 'footnote':
        // The note itself starts with its marker unraised, at the note's size: "1) Al dan niet ...".
        push(block, {
          text: [`${block.ref}) `, ...inlinesToPdf(block.inlines)],
          style: 'footnote',
          margin: [0, 1, MEASURE_INSET, 1],
          pdfTag: { role: 'Note' },
        });
        break;
      case 'directive':
        push(block, directiveToPdf(block.name, block.args, ctx));
        break;
    }
  }
  return out;
}

function directiveToPdf(name: string, args: readonly string[], ctx: BlockContext): Content {
  if (name === 'table') {
    const table = ctx.tables.get(args[0] ?? '');
    if (!table) throw new AppError('TEMPLATE_INVALID', `::table ${args[0] ?? ''}: no such table`);
    return table;
  }
  if (name === 'symbols') {
    return {
      table: {
        widths: [90, '*'],
        body: SYMBOLS.map(([sym, meaning]) => [
          { text: sym, style: 'body' },
          { text: meaning, style: 'body' },
        ]),
      },
      layout: 'noBorders',
      margin: [0, 2, 0, 8],
      pdfTag: { role: 'Table', rowHeaders: 1 },
    };
  }
  if (name === 'figure' && args[0] === 'werkproces') {
    const alt = ctx.figures?.get('werkproces');
    if (alt === undefined)
      throw new AppError(
        'TEMPLATE_INVALID',
        '::figure werkproces: the manifest gives no alt text for it (figures.werkproces.alt), which a screen reader reads instead of the figure',
      );
    return buildWorkProcessFigure(alt);
  }
  if (name === 'pagebreak') return { text: '', pageBreak: 'after' };
  throw new AppError('TEMPLATE_INVALID', `::${name}: unknown directive`);
}

function chapterOpener(chapter: PdfChapter, id: string): Content[] {
  const label = chapter.number !== undefined ? `${chapter.number}. ${chapter.title}` : chapter.title;
  return [
    chapter.number !== undefined
      ? { text: `${chapter.number}.`, style: 'chapterNumber', pageBreak: 'before', margin: [0, 40, 0, 4], pdfTag: { role: 'H1', join: id } }
      : { text: '', pageBreak: 'before' },
    { text: chapter.title, style: 'h1', outline: true, outlineText: label, id, margin: [0, 0, 0, 18], pdfTag: { role: 'H1', join: id } },
  ];
}

/** The Inhoud: one line per chapter with the page it really starts on (resolved by pdfmake). */
function contentsTable(entries: readonly { number?: number; title: string; id: string }[]): Content {
  return {
    table: {
      widths: [18, '*', 30],
      body: entries.map((e) => [
        { text: e.number !== undefined ? `${e.number}.` : '', style: 'tocTitle', linkToDestination: e.id },
        { text: e.title, style: 'tocTitle', linkToDestination: e.id },
        { pageReference: e.id, style: 'tocTitle', alignment: 'right', linkToDestination: e.id },
      ]),
    },
    layout: 'noBorders',
    pdfTag: { role: 'TOC', rows: 'TOCI' },
  };
}

function titleBlock(parts: PublicationParts, styleTitle: string, stylePeriod: string): Content[] {
  const out: Content[] = [
    { text: parts.title, style: styleTitle, pdfTag: { role: styleTitle === 'coverTitle' ? 'H1' : 'P' } },
    { text: bindWords(parts.period), style: stylePeriod, margin: [0, 8, 0, 0] },
  ];
  if (parts.editionNote) out.push({ text: parts.editionNote, style: stylePeriod, fontSize: 11, margin: [0, 14, 0, 0] });
  return out;
}

/**
 * The running footer of both PDFs: the title (as the title reads, with its comma) on one line,
 * and the page number in the same style in either.
 */
function runningFooter(title: string, page: number): Content {
  return {
    columns: [
      { text: bindWords(title), fontSize: 7, color: COLORS.muted, width: '*', noWrap: true },
      { text: String(page), alignment: 'right', fontSize: 8, color: COLORS.heading, bold: true, width: 30 },
    ],
    margin: [MARGINS[0], 24, MARGINS[2], 0],
  };
}

/** The document information of a CBS PDF, with its dates pinned for byte-identical output. */
function documentInfo(metadata: { title: string; subject: string; keywords: string; date: Date }): TDocumentDefinitions['info'] {
  return {
    title: metadata.title,
    author: 'CBS',
    subject: metadata.subject,
    keywords: metadata.keywords,
    creator: 'CBS',
    producer: 'CBS publicatieservice',
    creationDate: metadata.date,
    modDate: metadata.date,
  };
}

/** A short document on its own (the erratum for the website): heading, content, running footer. */
export interface StandaloneParts {
  readonly heading: string;
  readonly subtitle?: string;
  readonly runningTitle: string;
  readonly content: readonly Content[];
  readonly metadata: { readonly title: string; readonly subject: string; readonly keywords: string; readonly date: Date };
}

/** Builds a standalone document such as erratum.pdf: a fresh object on every call. */
export function buildStandaloneDocument(parts: StandaloneParts): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: MARGINS,
    info: documentInfo(parts.metadata),
    language: 'nl-NL',
    content: [
      {
        text: parts.heading,
        style: 'h1',
        outline: true,
        id: 'erratum',
        margin: [0, 0, 0, parts.subtitle ? 4 : 16],
        pdfTag: { role: 'H1' },
      },
      ...(parts.subtitle ? [{ text: parts.subtitle, style: 'titlePagePeriod', margin: [0, 0, 0, 16] } as Content] : []),
      ...parts.content,
    ],
    styles: STYLES,
    defaultStyle: { font: 'Roboto', fontSize: 9.5, color: COLORS.ink },
    footer: (currentPage: number) => runningFooter(parts.runningTitle, currentPage),
  };
}

/** Builds the complete pdfmake definition of the publication: a fresh object on every call. */
export function buildPublicationDocument(parts: PublicationParts): TDocumentDefinitions {
  const content: Content[] = [];
  // Cover (page 1) on a blue band, then the title page (page 2).
  content.push({ stack: titleBlock(parts, 'coverTitle', 'coverPeriod'), margin: [0, 140, 0, 0] });
  content.push({
    text: 'Centraal Bureau voor de Statistiek',
    absolutePosition: { x: MARGINS[0], y: PAGE.height - MARGINS[3] - 20 },
    fontSize: 11,
    bold: true,
    color: COLORS.heading,
  });
  content.push({ stack: titleBlock(parts, 'titlePageTitle', 'titlePagePeriod'), pageBreak: 'before', margin: [0, 60, 0, 0] });

  const ctx: BlockContext = { tables: parts.tables, figures: parts.figures, chapterId: undefined, sectionCount: 0 };
  parts.front.forEach((blocks, i) => {
    content.push({ stack: blocksToPdf(blocks, ctx), ...(i === 0 ? { pageBreak: 'before' as const } : { margin: [0, 24, 0, 0] }) });
  });

  // Every chapter, the unnumbered Inleiding too: the 2019 publication left it out, but a reader
  // looks for it there, and the page it starts on is known. A publication without numbered chapters
  // (the generic statline-tabel) has no Inhoud.
  if (parts.chapters.some((c) => c.number !== undefined)) {
    content.push({
      text: 'Inhoud',
      style: 'h1',
      pageBreak: 'before',
      margin: [0, 0, 0, 18],
      outline: true,
      id: 'inhoud',
      pdfTag: { role: 'H1' },
    });
    const entries: { number?: number; title: string; id: string }[] = parts.chapters.map((c, ci) => ({
      ...(c.number !== undefined ? { number: c.number } : {}),
      title: c.title,
      id: `chapter-${ci}`,
    }));
    if (parts.erratum) entries.push({ title: parts.erratum.title, id: 'erratum' });
    content.push(contentsTable(entries));
  }

  parts.chapters.forEach((chapter, ci) => {
    const id = `chapter-${ci}`;
    const blocks = blocksToPdf(chapter.blocks, { tables: parts.tables, figures: parts.figures, chapterId: id, sectionCount: 0 });
    content.push(section([...chapterOpener(chapter, id), ...blocks]));
  });
  if (parts.erratum) {
    content.push(section([...chapterOpener({ title: parts.erratum.title, blocks: [] }, 'erratum'), ...parts.erratum.content]));
  }

  return {
    pageSize: 'A4',
    pageMargins: MARGINS,
    info: documentInfo({ ...parts.metadata, title: `${parts.title}, ${parts.period}` }),
    language: 'nl-NL',
    content,
    styles: STYLES,
    defaultStyle: { font: 'Roboto', fontSize: 9.5, color: COLORS.ink },
    background: (currentPage: number) =>
      currentPage === 1
        ? {
            canvas: [
              { type: 'rect', x: 0, y: 0, w: PAGE.width, h: 420, color: COLORS.heading },
              { type: 'rect', x: 0, y: 420, w: PAGE.width, h: 8, color: COLORS.accent },
            ],
          }
        : null,
    footer: (currentPage: number) => (currentPage <= 2 ? null : runningFooter(`${parts.runningTitle}, ${parts.period}`, currentPage)),
    pageBreakBefore: undefined,
  } satisfies TDocumentDefinitions & { content: Content[] } as TDocumentDefinitions;
}

export { CONTENT_WIDTH };
