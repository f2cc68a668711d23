import { type Cell as Figure, stripFootnoteMarkers } from '../../model/dataset.js';
import { formatCell, formatDutchDate } from '../../model/number-format.js';
import { CORRECTION_MARK } from '../errata/correction-mark.js';
import { type ChangedCell, type ErratumChanges, isCorrection, type RelocatedRows } from '../errata/erratum-changes.js';
import { countWrappedLines } from './cell-text.js';
import { figureFormat } from './number-formats.js';
import {
  COMMIT_EVERY,
  charsPerWidth,
  commitRows,
  landscapePages,
  type OpenSheet,
  rowHeightFor,
  setText,
  textWidthInExcelUnits,
  writeParagraph,
} from './sheet-writing.js';
import { applyStyle, FONT, FONT_BOLD, FONT_TITLE, RULE_BOTTOM } from './styles.js';

/** What the erratum sheet lists. */
export interface ErratumSheetInput {
  /** "Beleidsinformatie Veilig Thuis, 1e halfjaar van 2019". */
  readonly publicationTitle: string;
  readonly date: string;
  readonly changes: ErratumChanges;
  /** The sheets that show a table, by table id ("Tabel 1"). */
  readonly sheetsByTable: ReadonlyMap<string, readonly string[]>;
  /** Per corrected cell (in the order of the corrections): the sheets where the corrected figure stands. */
  readonly sheetsByCorrection: readonly (readonly string[])[];
}

const COLUMNS = [
  { title: 'Blad', width: 14, widest: 24 },
  { title: 'Tabel', width: 40, widest: 60 },
  { title: 'Rij', width: 30, widest: 64 },
  { title: 'Kolom', width: 34, widest: 50 },
  { title: 'Was', width: 12, widest: 16 },
  { title: 'Wordt', width: 12, widest: 16 },
] as const;
const WAS = 5;

/** One line of the sheet: texts of the first four columns, then either the two figures or one remark across both. */
interface Entry {
  readonly texts: readonly [string, string, string, string];
  readonly figures?: { readonly was: Figure; readonly wordt: Figure; readonly decimals: number };
  readonly remark?: string;
}

function relocationEntry(relocation: RelocatedRows, sheets: readonly string[]): Entry {
  const swap = relocation.kind === 'swap';
  return {
    texts: [
      sheets.join(', '),
      relocation.tableTitle,
      swap ? `${relocation.fromTitle} en ${relocation.toTitle}` : relocation.toTitle,
      'alle kolommen',
    ],
    remark: swap
      ? 'Namen verwisseld: de cijfers van de een stonden bij de naam van de ander.'
      : `De cijfers stonden bij ${relocation.fromTitle}.`,
  };
}

function correctionEntry(cell: ChangedCell, sheets: readonly string[]): Entry {
  const row = cell.movedFromLabel ? `${cell.rowLabel} (stond bij ${cell.movedFromLabel})` : cell.rowLabel;
  return {
    texts: [sheets.join(', '), cell.tableTitle, stripFootnoteMarkers(row), stripFootnoteMarkers(cell.columnTitle)],
    figures: { was: cell.oldValue, wordt: cell.newValue, decimals: cell.decimals },
  };
}

/** "In deze gecorrigeerde editie is een verwisseling van twee namen hersteld en zijn 34 cijfers gecorrigeerd." */
function introduction(changes: ErratumChanges, corrections: number): string {
  const swaps = changes.relocations.filter((r) => r.kind === 'swap').length;
  const moves = changes.relocations.length - swaps;
  const parts: string[] = [];
  if (swaps > 0)
    parts.push(swaps === 1 ? 'is een verwisseling van twee namen hersteld' : `zijn ${swaps} verwisselingen van namen hersteld`);
  if (moves > 0)
    parts.push(
      moves === 1
        ? 'staan cijfers die bij een verkeerde naam stonden nu bij de goede'
        : `zijn ${moves} keer cijfers naar de goede naam verplaatst`,
    );
  if (corrections > 0) parts.push(corrections === 1 ? 'is één cijfer gecorrigeerd' : `zijn ${corrections} cijfers gecorrigeerd`);
  if (parts.length === 0) return 'In deze gecorrigeerde editie zijn geen cijfers gecorrigeerd.';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} en ${parts[parts.length - 1]}`;
  const mark =
    corrections > 0
      ? ` In de tabellen staat achter een gecorrigeerd cijfer het teken ${CORRECTION_MARK}, met de oorspronkelijke waarde in een notitie bij de cel.`
      : '';
  return `In deze gecorrigeerde editie ${list}.${mark}`;
}

/** A figure as a number with the tables' format, or a symbol as text; right-aligned. */
function writeFigure(target: import('exceljs').Cell, figure: Figure, decimals: number): void {
  if (figure.kind === 'value') {
    target.value = figure.value;
    applyStyle(target, { font: FONT, alignment: { horizontal: 'right', vertical: 'top' }, numFmt: figureFormat(figure.value, decimals) });
  } else setText(target, figure.symbol, FONT, { horizontal: 'right', vertical: 'top' });
}

/**
 * The erratum: its date, then what changed as the PDF erratum says it: each swap of names (or
 * move of figures) as one entry, then every corrected figure with its old and new value, as
 * numbers in the tables' format. The header row is repeated on every printed page.
 */
export function writeErratumSheet(open: OpenSheet, input: ErratumSheetInput): void {
  // The introduction is one merged row (5), a blank row, then the header.
  const headerRow = 7;
  const ws = open({
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: 'A1', showGridLines: false }],
    pageSetup: landscapePages(`${headerRow}:${headerRow}`),
  });
  const corrections = input.changes.cells.filter(isCorrection);
  const entries: Entry[] = [
    ...input.changes.relocations.map((r) => relocationEntry(r, input.sheetsByTable.get(r.tableId) ?? [])),
    ...corrections.map((c, i) => correctionEntry(c, input.sheetsByCorrection[i] ?? [])),
  ];
  // Each column as wide as its longest text, within bounds; longer texts wrap.
  const textsOf = (e: Entry): string[] => [
    ...e.texts,
    e.figures ? formatCell(e.figures.was, e.figures.decimals) : '',
    e.figures ? formatCell(e.figures.wordt, e.figures.decimals) : '',
  ];
  const widths = COLUMNS.map((c, ci) => {
    let longest = 0;
    for (const entry of entries) longest = Math.max(longest, (textsOf(entry)[ci] ?? '').length);
    return Math.min(c.widest, Math.max(c.width, textWidthInExcelUnits(longest) + 2));
  });
  widths.forEach((width, i) => {
    ws.getColumn(i + 1).width = width;
  });
  const area = { firstColumn: 1, lastColumn: COLUMNS.length, width: widths.reduce((a, b) => a + b, 0) };
  setText(ws.getCell('A1'), 'Erratum', FONT_TITLE);
  setText(ws.getCell('A2'), `Datum: ${formatDutchDate(input.date)}`, FONT);
  setText(ws.getCell('A3'), input.publicationTitle, FONT_BOLD);
  let r = writeParagraph(ws, 5, introduction(input.changes, corrections.length), area) + 1;
  if (r !== headerRow) throw new Error(`erratum sheet: the header would be on row ${r}, not ${headerRow}`);
  COLUMNS.forEach((c, i) => {
    setText(ws.getCell(r, i + 1), c.title, FONT_BOLD, i >= WAS - 1 ? { horizontal: 'right' } : undefined, RULE_BOTTOM);
  });
  r++;
  const remarkWidth = (widths[WAS - 1] ?? 12) + (widths[WAS] ?? 12) - 1;
  entries.forEach((entry, i) => {
    if (i > 0 && i % COMMIT_EVERY === 0) commitRows(ws, r - 1);
    let lines = 1;
    entry.texts.forEach((text, ci) => {
      setText(ws.getCell(r, ci + 1), text, FONT, { vertical: 'top', wrapText: true, horizontal: 'left' });
      lines = Math.max(lines, countWrappedLines(text, charsPerWidth((widths[ci] ?? 10) - 1)));
    });
    if (entry.figures) {
      writeFigure(ws.getCell(r, WAS), entry.figures.was, entry.figures.decimals);
      writeFigure(ws.getCell(r, WAS + 1), entry.figures.wordt, entry.figures.decimals);
    } else if (entry.remark) {
      setText(ws.getCell(r, WAS), entry.remark, FONT, { vertical: 'top', wrapText: true, horizontal: 'left' });
      ws.mergeCells(r, WAS, r, WAS + 1);
      lines = Math.max(lines, countWrappedLines(entry.remark, charsPerWidth(remarkWidth)));
    }
    if (lines > 1) ws.getRow(r).height = rowHeightFor(lines);
    r++;
  });
}
