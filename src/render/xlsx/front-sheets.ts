import type { Publication } from '../../model/dataset-schema.js';
import { formatDutchDate, statusMark } from '../../model/number-format.js';
import { countWrappedLines } from './cell-text.js';
import type { SheetLink } from './package-writer.js';
import { sheetLink } from './sheet-names.js';
import { charsPerWidth, type OpenSheet, rowHeightFor, type SheetSetup, setText, type TextArea, writeParagraph } from './sheet-writing.js';
import { FONT, FONT_BOLD, FONT_COVER, FONT_COVER_SUB, FONT_ITALIC, FONT_LINK, FONT_SMALL, FONT_TITLE, RULE_BOTTOM } from './styles.js';
import { SYMBOLS } from '../../model/symbols.js';

/** The publisher's address and the information service, as in the colofon. */
export const CBS_CONTACT = {
  publisher: 'Centraal Bureau voor de Statistiek',
  address: 'Henri Faasdreef 312, 2492 JP Den Haag',
  website: 'www.cbs.nl',
  phone: 'Tel. 088 570 70 70',
  infoservice: 'Via contactformulier: www.cbs.nl/infoservice',
} as const;

export const ROUNDING_NOTE =
  'In geval van afronding kan het voorkomen dat het weergegeven totaal niet overeenstemt met de som van de getallen.';

/** The status of the figures in words, with its mark. */
export function describeStatus(status: Publication['status']): string {
  if (status === 'definitief') return 'Definitieve cijfers';
  const text = status === 'voorlopig' ? 'Voorlopige cijfers' : 'Nader voorlopige cijfers';
  return `${text} (in de tabellen aangeduid met ${statusMark(status)})`;
}

/** A text sheet: printed portrait, one page wide, without grid lines. */
export function portrait(views: SheetSetup['views'] = [{ state: 'normal', showGridLines: false, activeCell: 'A1' }]): SheetSetup {
  return { views, pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } };
}

/** What the title page shows besides the publication's metadata. */
export interface TitlePageInput {
  readonly publication: Publication;
  readonly edition: number;
  readonly correctedOn: string | undefined;
  readonly hasErratum: boolean;
  /** The statuses of periods that differ (tables over several periods); default the publication's status. */
  readonly statusText?: string;
  /** A draft for review: says "Concept" under the title and gives no edition number. */
  readonly draft?: boolean;
}

/** The title page: title, period, status, dates, edition, source, publisher and contact. */
export function writeTitlePage(open: OpenSheet, input: TitlePageInput): void {
  const { publication } = input;
  const ws = open(portrait());
  ws.getColumn(1).width = 24;
  ws.getColumn(2).width = 80;
  const area: TextArea = { firstColumn: 2, lastColumn: 2, width: 80 };
  setText(ws.getCell('A1'), publication.title, FONT_COVER);
  ws.getRow(1).height = 28;
  setText(ws.getCell('A2'), publication.period.title, FONT_COVER_SUB);
  ws.getRow(2).height = 22;
  setText(ws.getCell('A3'), input.draft ? 'Tabellenbijlage (CONCEPT, niet publiceren)' : 'Tabellenbijlage', FONT_COVER_SUB);
  ws.getRow(3).height = 22;

  let r = 5;
  const field = (label: string, value: string): void => {
    if (label !== '') setText(ws.getCell(r, 1), label, FONT_BOLD, { vertical: 'top' });
    r = writeParagraph(ws, r, value, area);
  };
  field('Status van de cijfers', input.statusText ?? describeStatus(publication.status));
  field('Publicatiedatum', formatDutchDate(publication.publicationDate));
  field('Editie', input.draft ? 'Concept: nog niet goedgekeurd, nog geen editienummer' : String(input.edition));
  if (input.correctedOn) {
    const more = input.hasErratum ? ' (zie het blad Erratum)' : '';
    field('', `Gecorrigeerde editie van ${formatDutchDate(input.correctedOn)}${more}`);
  }
  field('Bron', 'CBS');
  if (publication.illustrativeNote) {
    r++;
    field('Illustratieve cijfers', publication.illustrativeNote);
  }
  r++;
  field('Uitgever', CBS_CONTACT.publisher);
  field('', CBS_CONTACT.address);
  field('', CBS_CONTACT.website);
  r++;
  field('Inlichtingen', CBS_CONTACT.phone);
  field('', CBS_CONTACT.infoservice);
  r++;
  const year = publication.publicationDate.slice(0, 4);
  const wide: TextArea = { firstColumn: 1, lastColumn: 2, width: 104 };
  r = writeParagraph(ws, r, `© Centraal Bureau voor de Statistiek, Den Haag/Heerlen/Bonaire, ${year}.`, wide, FONT_SMALL);
  writeParagraph(ws, r, 'Verveelvoudigen is toegestaan, mits het CBS als bron wordt vermeld.', wide, FONT_SMALL);
}

/** One line of the contents: a sheet and what it holds. */
export interface ContentsLine {
  readonly sheetName: string;
  readonly title: string;
  readonly period: string;
  readonly remark: string;
}

/** The lines of the contents, in three groups. */
export interface ContentsInput {
  readonly tables: readonly ContentsLine[];
  readonly dataTables: readonly ContentsLine[];
  readonly other: readonly ContentsLine[];
}

/**
 * The contents: every table with its number, title and period, the machine-readable tables and
 * the other sheets, each with a link to its sheet (the only links in the workbook). Returns the
 * links, which the package adds (exceljs's streaming writer can only link outside the workbook).
 */
export function writeContents(open: OpenSheet, input: ContentsInput): SheetLink[] {
  const ws = open(portrait([{ state: 'frozen', xSplit: 0, ySplit: 3, topLeftCell: 'A4', activeCell: 'A4', showGridLines: false }]));
  const links: SheetLink[] = [];
  const widths = [20, 78, 24, 24];
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  setText(ws.getCell('A1'), 'Inhoud', FONT_TITLE);
  let r = 3;
  const heading = (labels: readonly string[]): void => {
    labels.forEach((label, i) => {
      setText(ws.getCell(r, i + 1), label, FONT_BOLD, undefined, RULE_BOTTOM);
    });
    r++;
  };
  const line = (entry: ContentsLine): void => {
    setText(ws.getCell(r, 1), entry.sheetName, FONT_LINK, { vertical: 'top' });
    links.push({ ref: `A${r}`, location: sheetLink(entry.sheetName).slice(1) });
    setText(ws.getCell(r, 2), entry.title, FONT, { wrapText: true, vertical: 'top' });
    if (entry.period !== '') setText(ws.getCell(r, 3), entry.period, FONT, { vertical: 'top' });
    if (entry.remark !== '') setText(ws.getCell(r, 4), entry.remark, FONT_ITALIC, { vertical: 'top', wrapText: true });
    const lines = Math.max(
      countWrappedLines(entry.title, charsPerWidth((widths[1] ?? 78) - 1)),
      countWrappedLines(entry.remark, charsPerWidth((widths[3] ?? 24) - 1, FONT_ITALIC)),
    );
    if (lines > 1) ws.getRow(r).height = rowHeightFor(lines);
    r++;
  };
  heading(['Tabel', 'Onderwerp', 'Periode', 'Opmerking']);
  input.tables.forEach(line);
  if (input.dataTables.length > 0) {
    r++;
    heading(['Gegevens', 'Machineleesbare tabellen: één kopregel, geen samengevoegde cellen', '', '']);
    input.dataTables.forEach(line);
  }
  if (input.other.length > 0) {
    r++;
    heading(['Overige bladen', '', '', '']);
    input.other.forEach(line);
  }
  return links;
}

/** The Verklaring van tekens: the symbols, the period notations and the rounding sentence. */
export function writeSymbols(open: OpenSheet, extra: readonly (readonly [string, string])[] = []): void {
  const ws = open(portrait());
  ws.getColumn(1).width = 20;
  ws.getColumn(2).width = 84;
  setText(ws.getCell('A1'), 'Verklaring van tekens', FONT_TITLE);
  let r = 3;
  for (const [symbol, meaning] of [...SYMBOLS, ...extra]) {
    setText(ws.getCell(r, 1), symbol, FONT, { vertical: 'top' });
    setText(ws.getCell(r, 2), meaning, FONT, { vertical: 'top', wrapText: true });
    r++;
  }
  r++;
  writeParagraph(ws, r, ROUNDING_NOTE, { firstColumn: 1, lastColumn: 2, width: 104 });
}
