import type { Content, ContentTable, TableCell } from 'pdfmake/interfaces.js';
import { splitFootnoteMarkers, stripFootnoteMarkers } from '../../model/dataset.js';
import { formatCell } from '../../model/number-format.js';
import { CORRECTION_LEGEND, CORRECTION_MARK } from '../errata/correction-mark.js';
import { ILLUSTRATIVE_NOTE, type TableModel } from '../tables/table-model.js';
import { hyphenateToFit, textWidthInPoints } from './hyphenate.js';
import { noteMarker, TABLE_NOTE_MARKER_SIZE, tableNoteLabel } from './note-marker.js';
import { markContinuedTitle } from './continued-tables.js';
import { bindWords } from './text-runs.js';
import { COLORS, CONTENT_WIDTH, MARGINS, PAGE } from './style.js';

/** Options for drawing a table model. */
export interface PdfTableOptions {
  /** Text after the period in the title, e.g. ", foutieve versie". */
  readonly titleSuffix?: string;
  /** Cells to mark as changed, as `${row.key}|${column.key}`; they are set in bold with a mark. */
  readonly changedCells?: ReadonlySet<string>;
  /** The legend line explaining the mark; a default is used when cells are marked. */
  readonly markLegend?: string;
  /** Rows whose label is marked (e.g. swapped region names), by row key. */
  readonly changedRows?: ReadonlySet<string>;
  /** Keep the whole table on one page when it fits. */
  readonly unbreakable?: boolean;
  /** Heading level for the outline and contents (the seed's table titles are sub-headings). */
  readonly outline?: boolean;
}

const BODY_SIZE = 7;
const CHANGED_MARK = CORRECTION_MARK;
/** Size of the change mark before a figure. */
const MARK_SIZE = 5.5;

/** Title text runs with footnote markers raised, as in "Kerncijfers1) per Veilig Thuis-regio". */
export function titleRuns(text: string, style: Record<string, unknown> = {}, fit?: { width: number; fontSize: number }): Content[] {
  const parts = splitFootnoteMarkers(text);
  return parts.map((part, i) => {
    if (part.note !== undefined) {
      // In a header cell of tight lines a raised marker would touch the line above: set it on the line.
      if (fit)
        return { text: `\u00a0${tableNoteLabel(part.note)})`, fontSize: TABLE_NOTE_MARKER_SIZE, ...style, pdfTag: { role: 'Reference' } };
      return noteMarker(`${tableNoteLabel(part.note)})`, TABLE_NOTE_MARKER_SIZE, { ...style, pdfTag: { role: 'Reference' } });
    }
    if (!fit) return { text: part.text, ...style };
    // The marker after a word stays on its line: the word is fitted with the marker's width.
    const next = parts[i + 1]?.note;
    const width = next === undefined ? fit.width : fit.width - textWidthInPoints(`${tableNoteLabel(next)})`, TABLE_NOTE_MARKER_SIZE);
    return { text: hyphenateToFit(part.text, width, fit.fontSize), ...style };
  });
}

/** The text column of a landscape page. */
const LANDSCAPE_CONTENT_WIDTH = PAGE.height - MARGINS[0] - MARGINS[2];
/** Left plus right padding of every cell (see the layout below): pdfmake adds it to each column's width. */
const CELL_PADDING = 4;
/** Body sizes tried in turn until the table fits the text column; the header is half a point smaller. */
const BODY_SIZES = [BODY_SIZE, 6.5, 6, 5.5] as const;
/** The stub never gets narrower than this; its labels wrap instead. */
const MIN_STUB = 60;
/** A data column is never wider than this, so that few columns do not spread over the page. */
const MAX_DATA = 60;
/** A data column this wide sets its header words on few lines; the stub may take what is left beyond it. */
const COMFORTABLE_DATA = 45;

/** The sizes and widths of a table: the stub column, every data column (all equal), and the font sizes. */
export interface TableLayout {
  readonly stub: number;
  readonly data: number;
  readonly bodySize: number;
  readonly headerSize: number;
  /** False when even the smallest size does not give every figure its width: the table needs a wider page. */
  readonly fits: boolean;
}

/** The width of the widest figure of a table at a body size, bold totals and the change mark included. */
function widestFigure(model: TableModel, size: number, changedCells: ReadonlySet<string> | undefined): number {
  let widest = 0;
  for (const row of model.rows) {
    if (row.kind !== 'data') continue;
    const bold = row.total ? 1.06 : 1;
    row.cells.forEach((cell, ci) => {
      const column = model.columns[ci];
      const marked = changedCells?.has(`${row.key}|${column?.key}`) ?? false;
      const width = textWidthInPoints(formatCell(cell, column?.decimals ?? 0), size) * (marked ? 1.06 : bold);
      widest = Math.max(widest, width + (marked ? textWidthInPoints(`${CHANGED_MARK}\u00a0`, MARK_SIZE) : 0));
    });
  }
  return widest;
}

/**
 * Fits a table into the text column: the stub as wide as its widest label (70-170 pt), the data
 * columns share what is left (at most 60 pt each) and are at least as wide as the widest figure.
 * When the figures do not fit, the stub gets narrower (its labels wrap) and then the type smaller,
 * down to 5.5 pt. Widths exclude the cells' padding, which pdfmake adds: stub + n × data + the
 * padding of n + 1 cells is at most the text column (`width`).
 */
export function layoutTable(
  model: TableModel,
  options: Pick<PdfTableOptions, 'changedCells' | 'changedRows'> = {},
  width: number = CONTENT_WIDTH,
): TableLayout {
  const n = Math.max(1, model.columns.length);
  const room = width - CELL_PADDING * (model.columns.length + 1);
  const fallback = BODY_SIZES[BODY_SIZES.length - 1];
  for (const bodySize of BODY_SIZES) {
    const headerSize = bodySize - 0.5;
    const mark = (options.changedRows?.size ?? 0) > 0 ? textWidthInPoints(` ${CHANGED_MARK}`, bodySize) : 0;
    const labels = model.rows.map((r) => {
      const bold = r.total || r.kind === 'group' || (options.changedRows?.has(r.key) ?? false);
      // textWidthInPoints is an estimate from character classes: give labels a tenth more, so they do not wrap.
      return textWidthInPoints(stripFootnoteMarkers(r.label), bold ? bodySize * 1.08 : bodySize) * 1.1 + r.depth * 6;
    });
    const widest = Math.max(...labels, textWidthInPoints(model.stubHeader, headerSize), 40) + mark + 4;
    // Header words are hyphenated to fit; a column still needs room for a syllable or two.
    const figure = Math.max(widestFigure(model, bodySize, options.changedCells), textWidthInPoints('waarvan', headerSize));
    // The stub is at most 170 pt, or what data columns of a comfortable width leave, so that a long
    // label ("Noord- en Midden Limburg (VT)") does not wrap beside a few narrow columns.
    const stub = Math.min(Math.max(70, widest), Math.max(170, room - n * Math.max(figure, COMFORTABLE_DATA)));
    if (stub + n * figure <= room) return { stub, data: Math.min(MAX_DATA, (room - stub) / n), bodySize, headerSize, fits: true };
    const fits = MIN_STUB + n * figure <= room;
    if (fits || bodySize === fallback) {
      const data = Math.min(figure, (room - MIN_STUB) / n);
      return { stub: room - n * data, data, bodySize, headerSize, fits };
    }
  }
  throw new Error('unreachable: the last body size always returns');
}

/** A header cell's text as a screen reader reads it: unhyphenated, with its note marker as printed ("Overdrachten b)"). */
function headerActualText(text: string): string {
  return splitFootnoteMarkers(text)
    .map((part) => (part.note === undefined ? part.text : ` ${tableNoteLabel(part.note)})`))
    .join('');
}

/** Draws a table model as a pdfmake table with title, header, unit row, body, source and footnotes. */
export function buildPdfTable(model: TableModel, options: PdfTableOptions = {}): Content {
  // A table too wide for the portrait column even at 5.5 pt gets a landscape page of its own.
  const portrait = layoutTable(model, options);
  const landscape = !portrait.fits;
  const { stub, data, bodySize, headerSize } = landscape ? layoutTable(model, options, LANDSCAPE_CONTENT_WIDTH) : portrait;
  const cellPadding = CELL_PADDING;
  const ncols = model.columns.length + 1;
  const headerDepth = model.headerRows.length;
  const body: TableCell[][] = [];

  // Header rows: the stub cell spans all of them; data header cells span as the model says.
  model.headerRows.forEach((headerRow, level) => {
    const row: TableCell[] = Array.from({ length: ncols }, () => ({ text: '' }));
    row[0] = level === 0 ? { text: model.stubHeader, rowSpan: headerDepth + 1, style: 'tableHeader', fontSize: headerSize } : {};
    for (const cell of headerRow) {
      // A spanning cell also has the padding between the columns it spans.
      const width = data * cell.colSpan + cellPadding * (cell.colSpan - 1);
      row[cell.column + 1] = {
        text: titleRuns(cell.text, {}, { width, fontSize: headerSize }),
        colSpan: cell.colSpan,
        rowSpan: cell.rowSpan,
        style: 'tableHeader',
        fontSize: headerSize,
        pdfTag: { role: null, actual: headerActualText(cell.text) },
      };
    }
    body.push(row);
  });
  if (headerDepth === 0) {
    body.push([{ text: model.stubHeader, style: 'tableHeader', fontSize: headerSize }, ...model.columns.map(() => ({ text: '' }))]);
  }
  if (model.commonUnit) {
    const row: TableCell[] = [
      {},
      { text: model.commonUnit, colSpan: model.columns.length, italics: true, style: 'tableHeader', fontSize: headerSize },
    ];
    for (let i = 2; i < ncols; i++) row.push({});
    body.push(row);
  } else {
    // Units differ (aantal, %): each column names its own, as the workbook does.
    body.push([
      {},
      ...model.columns.map(
        (c): TableCell => ({ text: c.unit, italics: true, alignment: 'right', style: 'tableHeader', fontSize: headerSize }),
      ),
    ]);
  }
  const headerRows = body.length;

  for (const row of model.rows) {
    const bold = row.total || row.kind === 'group';
    const labelMarked = options.changedRows?.has(row.key) ?? false;
    const label: Content[] = titleRuns(row.label, bold || labelMarked ? { bold: true } : {});
    if (labelMarked) label.push({ text: ` ${CHANGED_MARK}`, bold: true });
    const cells: TableCell[] = [{ text: label, margin: [row.depth * 6, 0, 0, 0], style: 'tableBody', fontSize: bodySize }];
    if (row.kind === 'group') {
      for (let i = 1; i < ncols; i++) cells.push({ text: '' });
    } else {
      row.cells.forEach((cell, ci) => {
        const column = model.columns[ci];
        const changed = options.changedCells?.has(`${row.key}|${column?.key}`) ?? false;
        const text = formatCell(cell, column?.decimals ?? 0);
        cells.push({
          text: changed ? [{ text: `${CHANGED_MARK}\u00a0`, fontSize: MARK_SIZE }, { text }] : text,
          alignment: 'right',
          bold: bold || changed,
          style: 'tableBody',
          fontSize: bodySize,
          noWrap: true,
        });
      });
    }
    body.push(cells);
  }

  const table: ContentTable = {
    table: {
      headerRows,
      dontBreakRows: true,
      widths: [stub, ...model.columns.map(() => data)],
      body,
    },
    pdfTag: { role: 'Table', rowHeaders: 1 },
    layout: {
      hLineWidth: (i: number, node: ContentTable) => (i === 0 || i === headerRows || i === node.table.body.length ? 0.6 : 0),
      vLineWidth: () => 0,
      hLineColor: () => COLORS.ink,
      fillColor: (rowIndex: number) => (rowIndex < headerRows ? COLORS.headerFill : null),
      paddingLeft: () => cellPadding / 2,
      paddingRight: () => cellPadding / 2,
      paddingTop: () => 1.2,
      paddingBottom: () => 1.2,
    },
  };

  const title = `, ${model.periodTitle}${model.statusMark}${options.titleSuffix ?? ''}`;
  markContinuedTitle(table.table, bindWords(`${stripFootnoteMarkers(model.title)}${title}`));
  const notes: Content[] = [{ text: `Bron: ${model.source}`, style: 'tableSource' }];
  if ((options.changedCells?.size ?? 0) > 0 || (options.changedRows?.size ?? 0) > 0) {
    const legend = options.markLegend ?? CORRECTION_LEGEND;
    notes.push({ text: `${CHANGED_MARK} ${legend}`, style: 'tableNote' });
  }
  if (model.illustrative) notes.push({ text: ILLUSTRATIVE_NOTE, style: 'tableNote' });
  // Under the table the marker is not raised: "a) Alle kerncijfers ...", as CBS sets its notes.
  for (const f of model.footnotes)
    notes.push({ text: `${tableNoteLabel(f.ref)}) ${f.text}`, style: 'tableNote', pdfTag: { role: 'Note' } });

  const drawn: Content = {
    stack: [
      { text: [...titleRuns(model.title), { text: bindWords(title) }], style: 'tableTitle', headlineLevel: 3, pdfTag: { role: 'H3' } },
      table,
      ...notes,
    ],
    unbreakable: options.unbreakable ?? model.rows.length <= 40,
    margin: [0, 6, 0, 10],
  };
  if (!landscape) return drawn;
  // The text after the table goes on on a portrait page again.
  return {
    stack: [
      { ...drawn, pageBreak: 'before', pageOrientation: 'landscape' },
      { text: '', pageBreak: 'before', pageOrientation: 'portrait' },
    ],
  };
}
