import type { Content, ContentTable, TableCell } from 'pdfmake/interfaces.js';
import { splitFootnoteMarkers, stripFootnoteMarkers, toPlainTitle } from '../../model/dataset.js';
import { formatCell } from '../../model/number-format.js';
import type { TableModel } from '../tables/table-model.js';
import { hyphenateToFit, textWidth } from './hyphenate.js';
import { COLORS, CONTENT_WIDTH } from './style.js';

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
const HEADER_SIZE = 6.5;
const CHANGED_MARK = '\u2020';

/** Title text runs with footnote markers raised, as in "Kerncijfers1) per Veilig Thuis-regio". */
export function titleRuns(text: string, style: Record<string, unknown> = {}, fit?: { width: number; fontSize: number }): Content[] {
  return splitFootnoteMarkers(text).map((part) =>
    part.note !== undefined
      ? { text: `${part.note})`, sup: true, fontSize: 6, ...style, pdfTag: { role: 'Reference' } }
      : { text: fit ? hyphenateToFit(part.text, fit.width, fit.fontSize) : part.text, ...style },
  );
}

function columnWidths(model: TableModel, markedRows: number): { stub: number; data: number } {
  const n = model.columns.length;
  const mark = markedRows > 0 ? textWidth(` ${CHANGED_MARK}`, BODY_SIZE) : 0;
  const labels = model.rows.map((r) => textWidth(stripFootnoteMarkers(r.label), r.total ? BODY_SIZE * 1.05 : BODY_SIZE) + r.depth * 6);
  const widest = Math.max(...labels, textWidth(model.stubHeader, HEADER_SIZE), 40) + mark + 6;
  const stub = Math.min(170, Math.max(70, widest));
  const data = Math.min(60, (CONTENT_WIDTH - stub) / Math.max(1, n));
  return { stub: Math.min(CONTENT_WIDTH - data * n, 170), data };
}

/** Draws a table model as a pdfmake table with title, header, unit row, body, source and footnotes. */
export function buildPdfTable(model: TableModel, options: PdfTableOptions = {}): Content {
  const { stub, data } = columnWidths(model, options.changedRows?.size ?? 0);
  const ncols = model.columns.length + 1;
  const headerDepth = model.headerRows.length;
  const body: TableCell[][] = [];

  // Header rows: the stub cell spans all of them; data header cells span as the model says.
  model.headerRows.forEach((headerRow, level) => {
    const row: TableCell[] = Array.from({ length: ncols }, () => ({ text: '' }));
    row[0] = level === 0 ? { text: model.stubHeader, rowSpan: headerDepth + 1, style: 'tableHeader' } : {};
    for (const cell of headerRow) {
      const width = data * cell.colSpan - 4;
      row[cell.column + 1] = {
        text: titleRuns(cell.text, {}, { width, fontSize: HEADER_SIZE }),
        colSpan: cell.colSpan,
        rowSpan: cell.rowSpan,
        style: 'tableHeader',
        pdfTag: { role: null, actual: toPlainTitle(cell.text) },
      };
    }
    body.push(row);
  });
  if (headerDepth === 0) body.push([{ text: model.stubHeader, style: 'tableHeader' }, ...model.columns.map(() => ({ text: '' }))]);
  if (model.commonUnit) {
    const row: TableCell[] = [{}, { text: model.commonUnit, colSpan: model.columns.length, italics: true, style: 'tableHeader' }];
    for (let i = 2; i < ncols; i++) row.push({});
    body.push(row);
  } else {
    // Units differ (aantal, %): each column names its own, as the workbook does.
    body.push([{}, ...model.columns.map((c): TableCell => ({ text: c.unit, italics: true, alignment: 'right', style: 'tableHeader' }))]);
  }
  const headerRows = body.length;

  for (const row of model.rows) {
    const bold = row.total || row.kind === 'group';
    const labelMarked = options.changedRows?.has(row.key) ?? false;
    const label: Content[] = titleRuns(row.label, bold || labelMarked ? { bold: true } : {});
    if (labelMarked) label.push({ text: ` ${CHANGED_MARK}`, bold: true });
    const cells: TableCell[] = [{ text: label, margin: [row.depth * 6, 0, 0, 0], style: 'tableBody' }];
    if (row.kind === 'group') {
      for (let i = 1; i < ncols; i++) cells.push({ text: '' });
    } else {
      row.cells.forEach((cell, ci) => {
        const column = model.columns[ci];
        const changed = options.changedCells?.has(`${row.key}|${column?.key}`) ?? false;
        const text = formatCell(cell, column?.decimals ?? 0);
        cells.push({
          text: changed ? [{ text: `${CHANGED_MARK}\u00a0`, fontSize: 5.5 }, { text }] : text,
          alignment: 'right',
          bold: bold || changed,
          style: 'tableBody',
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
      paddingLeft: (i: number) => (i === 0 ? 2 : 2),
      paddingRight: () => 2,
      paddingTop: () => 1.2,
      paddingBottom: () => 1.2,
    },
  };

  const title = `, ${model.periodTitle}${model.statusMark}${options.titleSuffix ?? ''}`;
  const notes: Content[] = [{ text: `Bron: ${model.source}`, style: 'tableSource' }];
  if ((options.changedCells?.size ?? 0) > 0 || (options.changedRows?.size ?? 0) > 0) {
    const legend = options.markLegend ?? 'Gewijzigd ten opzichte van de eerder gepubliceerde versie (vet gezet).';
    notes.push({ text: `${CHANGED_MARK} ${legend}`, style: 'tableNote' });
  }
  if (model.illustrative) notes.push({ text: 'Illustratieve cijfers: geen officiële CBS-cijfers.', style: 'tableNote' });
  for (const f of model.footnotes)
    notes.push({ text: [{ text: `${f.ref})`, sup: true, fontSize: 5.5 }, ` ${f.text}`], style: 'tableNote', pdfTag: { role: 'Note' } });

  return {
    stack: [
      { text: [...titleRuns(model.title), { text: title }], style: 'tableTitle', headlineLevel: 3, pdfTag: { role: 'H3' } },
      table,
      ...notes,
    ],
    unbreakable: options.unbreakable ?? model.rows.length <= 40,
    margin: [0, 6, 0, 10],
  };
}
