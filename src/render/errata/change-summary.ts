import Handlebars from 'handlebars';
import { type Cell, type Dataset, stripFootnoteMarkers } from '../../model/dataset.js';
import { formatDutchDate, formatNumber } from '../../model/number-format.js';
import { AppError } from '../../errors.js';
import type { DatasetDiff, MeasureRef, RenamedCode, RowRef, TableDiff } from './dataset-diff.js';
import { escapeMarkup } from '../text/markup.js';
import { compileFile } from '../text/template-engine.js';

/** Where the summary template lives, relative to templates/ (a key of `TemplateFiles`). */
export const CHANGE_SUMMARY_TEMPLATE = 'errata/samenvatting.hbs';

/** What `buildChangeSummary` needs besides the diff. */
export interface ChangeSummaryOptions {
  /** The text of the Handlebars template (templates/errata/samenvatting.hbs). */
  readonly template: string;
  /** The Handlebars module to take an isolated environment from; defaults to the installed one. */
  readonly handlebars?: typeof Handlebars;
}

/** Escapes the characters the Markdown-like markup reads as formatting, so titles stay plain text. */

/** A title as plain prose: no footnote markers, escaped for the markup. */
function plain(title: string): string {
  return escapeMarkup(stripFootnoteMarkers(title).replace(/\s+/g, ' ').trim());
}

/**
 * A title as it reads inside a sentence: a common noun phrase ("Actieve casussen") starts with a
 * small letter; a name ("Veilig Thuis-regio"), an abbreviation or a word such as "IJsselland" keeps
 * its capital. Footnote markers are dropped and markup characters escaped.
 */
export function toProseCase(title: string): string {
  const text = plain(title);
  const [first = '', second = ''] = text.split(' ');
  if (!/^\p{Lu}/u.test(first)) return text;
  const rest = first.slice(1);
  if (/\p{Lu}/u.test(rest) || /^\p{Lu}/u.test(second)) return text;
  return text.charAt(0).toLocaleLowerCase('nl-NL') + text.slice(1);
}

/**
 * The Dutch plural of a dimension title when the usual rules are safe: "regio" → "regio's",
 * "adviesvrager" → "adviesvragers", "taxatie" → "taxaties"; undefined when unsure.
 */
export function toDutchPlural(noun: string): string | undefined {
  if (/[aiouy]$/.test(noun)) return `${noun}'s`;
  if (/(e|el|em|er|je)$/.test(noun)) return `${noun}s`;
  return undefined;
}

const NUMBER_WORDS = ['nul', 'één', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen', 'tien', 'elf', 'twaalf'];
const ORDINALS = ['', 'eerste', 'tweede', 'derde', 'vierde', 'vijfde', 'zesde', 'zevende', 'achtste', 'negende', 'tiende'];

/** "a", "a en b", "a, b en c". */
function dutchList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} en ${items[items.length - 1]}`;
}

function quote(text: string): string {
  return `‘${text}’`;
}

/** The name of a measure in a sentence: "actieve casussen", a part as "actieve casussen (waarvan gestart)". */
function measurePhrase(measure: MeasureRef): string {
  const own = toProseCase(measure.title);
  return measure.parentTitle === undefined ? own : `${toProseCase(measure.parentTitle)} (${own})`;
}

/** An error corrected in a table, as the template phrases it. */
type ErrorItem =
  | { kind: 'swap'; position: number; dimensionPlural: string; first: string; second: string }
  | { kind: 'move'; position: number; from: string; to: string }
  | { kind: 'values'; position: number; counts: boolean; columns: string[]; cellCount: number; filledIn: number; madeUnknown: number }
  | { kind: 'renamedCodes'; position: number; names: string[] }
  | { kind: 'renamedMeasures'; position: number; names: string[] }
  | { kind: 'measureMetadata'; position: number; columns: string[] }
  | { kind: 'title'; position: number; oldTitle: string };

/** An error item before it is numbered. */
type ErrorItemWithoutPosition = ErrorItem extends infer T ? (T extends unknown ? Omit<T, 'position'> : never) : never;

/** A change in a table's make-up (no error as such), as the template phrases it. */
type NoteItem =
  | { kind: 'addedCodes' | 'removedCodes'; dimensionSingular: string; dimensionPlural: string; names: string[] }
  | { kind: 'addedMeasures' | 'removedMeasures'; names: string[] }
  | { kind: 'addedRows' | 'removedRows'; count: number }
  | { kind: 'dimensions'; added: string[]; removed: string[] };

interface UnchangedView {
  /** Every compared column is unchanged. */
  all: boolean;
  /** "aantallen" when every column counts, otherwise "cijfers van". */
  noun: string;
  /** Unchanged columns that are not a part of another. */
  plain: string[];
  /** Unchanged parts, grouped by their titles: "‘waarvan gestart’ en ‘waarvan gesloten’ bij actieve casussen, …". */
  groups: { parts: string[]; parents: string[] }[];
  /**
   * When rows were swapped or moved, the figures of these columns stood in other rows too, so they
   * are unchanged only apart from that: ", afgezien van de verwisselde namen,". Empty otherwise.
   */
  except: string;
}

interface SummaryTable {
  status: TableDiff['status'];
  title: string;
  comparable: boolean;
  errors: ErrorItem[];
  notes: NoteItem[];
  unchanged: UnchangedView;
}

/** What the summary template sees. */
interface SummaryView {
  identical: boolean;
  /** Title and period of the corrected publication, and the date the first version was published. */
  publication: { title: string; period: string; firstPublished: string };
  tables: SummaryTable[];
  changedTableCount: number;
  unchangedTableCount: number;
}

function dimensionNouns(title: string): { singular: string; plural: string } {
  const singular = toProseCase(title);
  return { singular, plural: toDutchPlural(singular) ?? '' };
}

function isSymbol(cell: Cell): boolean {
  return cell.kind === 'symbol';
}

function errorsOf(table: TableDiff): ErrorItemWithoutPosition[] {
  const errors: ErrorItemWithoutPosition[] = [];
  if (table.oldTitle !== undefined) errors.push({ kind: 'title', oldTitle: plain(table.oldTitle) });

  for (const relocation of table.relocations) {
    if (relocation.kind === 'swap') {
      errors.push({
        kind: 'swap',
        dimensionPlural: dimensionNouns(relocation.dimension.title).plural,
        first: plain(relocation.from.title),
        second: plain(relocation.to.title),
      });
    } else errors.push({ kind: 'move', from: plain(relocation.from.title), to: plain(relocation.to.title) });
  }

  for (const dim of table.dimensions) {
    // Two codes that exchanged their titles: the names were swapped, the figures stayed.
    const swapped = new Set<string>();
    const byOldTitle = new Map(dim.renamedCodes.map((r) => [r.oldTitle, r]));
    for (const rename of dim.renamedCodes) {
      const partner = byOldTitle.get(rename.newTitle);
      if (!partner || partner.newTitle !== rename.oldTitle || swapped.has(rename.key) || partner.key === rename.key) continue;
      swapped.add(rename.key).add(partner.key);
      errors.push({
        kind: 'swap',
        dimensionPlural: dimensionNouns(dim.dimension.title).plural,
        first: plain(rename.newTitle),
        second: plain(partner.newTitle),
      });
    }
    const renames = dim.renamedCodes.filter((r: RenamedCode) => !swapped.has(r.key));
    if (renames.length > 0) {
      errors.push({ kind: 'renamedCodes', names: renames.map((r) => `${quote(plain(r.oldTitle))} (nu ${quote(plain(r.newTitle))})`) });
    }
  }

  const renamedMeasures = table.changedMeasureMetadata.filter((m) => m.fields.includes('title'));
  if (renamedMeasures.length > 0) {
    errors.push({
      kind: 'renamedMeasures',
      names: renamedMeasures.map((m) => `${quote(plain(m.old.columnTitle))} (nu ${quote(plain(m.measure.columnTitle))})`),
    });
  }
  const otherMetadata = table.changedMeasureMetadata.filter((m) => m.fields.some((f) => f !== 'title'));
  if (otherMetadata.length > 0) {
    errors.push({ kind: 'measureMetadata', columns: otherMetadata.map((m) => plain(m.measure.columnTitle)) });
  }

  if (table.changedCells.length > 0) {
    const counts = table.changedMeasures.every((m) => m.unit === 'aantal');
    errors.push({
      kind: 'values',
      counts,
      columns: table.changedMeasures.map((m) => (counts ? measurePhrase(m) : plain(m.columnTitle))),
      cellCount: table.changedCells.length,
      filledIn: table.changedCells.filter((c) => isSymbol(c.oldValue) && !isSymbol(c.newValue)).length,
      madeUnknown: table.changedCells.filter((c) => !isSymbol(c.oldValue) && isSymbol(c.newValue)).length,
    });
  }
  return errors;
}

function notesOf(table: TableDiff): NoteItem[] {
  const notes: NoteItem[] = [];
  if (!table.comparable) {
    notes.push({
      kind: 'dimensions',
      added: table.addedDimensions.map((d) => plain(d.title)),
      removed: table.removedDimensions.map((d) => plain(d.title)),
    });
  }
  const addedCodeKeys = new Set<string>();
  const removedCodeKeys = new Set<string>();
  for (const dim of table.dimensions) {
    const nouns = dimensionNouns(dim.dimension.title);
    for (const c of dim.addedCodes) addedCodeKeys.add(`${dim.dimension.key}\u0000${c.key}`);
    for (const c of dim.removedCodes) removedCodeKeys.add(`${dim.dimension.key}\u0000${c.key}`);
    if (dim.addedCodes.length > 0) {
      notes.push({
        kind: 'addedCodes',
        dimensionSingular: nouns.singular,
        dimensionPlural: nouns.plural,
        names: dim.addedCodes.map((c) => plain(c.title)),
      });
    }
    if (dim.removedCodes.length > 0) {
      notes.push({
        kind: 'removedCodes',
        dimensionSingular: nouns.singular,
        dimensionPlural: nouns.plural,
        names: dim.removedCodes.map((c) => plain(c.title)),
      });
    }
  }
  if (table.addedMeasures.length > 0) notes.push({ kind: 'addedMeasures', names: table.addedMeasures.map((m) => plain(m.columnTitle)) });
  if (table.removedMeasures.length > 0) {
    notes.push({ kind: 'removedMeasures', names: table.removedMeasures.map((m) => plain(m.columnTitle)) });
  }
  // Rows that an added or removed code already explains are not counted again.
  const explained = (row: RowRef, keys: ReadonlySet<string>): boolean => row.codes.some((c) => keys.has(`${c.dimension}\u0000${c.key}`));
  const addedRows = table.addedRows.filter((r) => !explained(r, addedCodeKeys));
  const removedRows = table.removedRows.filter((r) => !explained(r, removedCodeKeys));
  if (addedRows.length > 0) notes.push({ kind: 'addedRows', count: addedRows.length });
  if (removedRows.length > 0) notes.push({ kind: 'removedRows', count: removedRows.length });
  return notes;
}

function unchangedOf(table: TableDiff): UnchangedView {
  const measures = [...table.changedMeasures, ...table.unchangedMeasures];
  const counts = measures.every((m) => m.unit === 'aantal');
  const unchanged = table.unchangedMeasures;
  const plainColumns = unchanged.filter((m) => m.parentKey === undefined).map((m) => toProseCase(m.title));
  // Parts grouped by parent, then parents with the same unchanged parts grouped together.
  const partsByParent = new Map<string, { parent: string; parts: string[] }>();
  for (const m of unchanged) {
    if (m.parentKey === undefined || m.parentTitle === undefined) continue;
    const entry = partsByParent.get(m.parentKey) ?? { parent: toProseCase(m.parentTitle), parts: [] };
    entry.parts.push(toProseCase(m.title));
    partsByParent.set(m.parentKey, entry);
  }
  const groups: { parts: string[]; parents: string[] }[] = [];
  for (const { parent, parts } of partsByParent.values()) {
    const same = groups.find((g) => g.parts.join('\u0000') === parts.join('\u0000'));
    if (same) same.parents.push(parent);
    else groups.push({ parts, parents: [parent] });
  }
  const swapped = table.relocations.some((r) => r.kind === 'swap');
  const except =
    table.relocations.length === 0 ? '' : swapped ? ', afgezien van de verwisselde namen,' : ', afgezien van de verplaatste rijen,';
  return {
    all: table.changedMeasures.length === 0 && unchanged.length > 0,
    noun: counts ? 'aantallen' : 'cijfers van',
    plain: plainColumns,
    groups,
    except,
  };
}

function toSummaryTable(table: TableDiff): SummaryTable {
  return {
    status: table.status,
    title: plain(table.title),
    comparable: table.comparable,
    errors: errorsOf(table).map((e, i) => ({ ...e, position: i + 1 }) as ErrorItem),
    notes: notesOf(table),
    unchanged:
      table.comparable && table.status === 'changed' ? unchangedOf(table) : { all: false, noun: '', plain: [], groups: [], except: '' },
  };
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('is', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && a > b);
  hb.registerHelper('list', (items: unknown, options: Handlebars.HelperOptions) => {
    if (!Array.isArray(items)) throw new AppError('TEMPLATE_INVALID', `${CHANGE_SUMMARY_TEMPLATE}: {{list}} needs a list`);
    const texts = items.map(String);
    return dutchList(options.hash.quote === true ? texts.map(quote) : texts);
  });
  hb.registerHelper('number', (n: unknown) => (typeof n === 'number' ? formatNumber(n) : String(n)));
  hb.registerHelper('numberWord', (n: unknown) => (typeof n === 'number' ? (NUMBER_WORDS[n] ?? formatNumber(n)) : String(n)));
  hb.registerHelper('ordinal', (n: unknown) => (typeof n === 'number' ? (ORDINALS[n] ?? `${n}e`) : String(n)));
}

/**
 * Joins the template's output into paragraphs: lines within a paragraph are joined by a space,
 * paragraphs are separated by one blank line, and spaces are collapsed.
 */
function toParagraphs(text: string): string {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .join(' ')
        .replace(/ {2,}/g, ' ')
        .replace(/ ([.,:;])/g, '$1'),
    )
    .filter((p) => p !== '')
    .join('\n\n');
}

/**
 * Writes the Dutch summary of a diff for the erratum, through the summary template: per table the
 * errors corrected (swapped or moved rows, changed figures, renamed codes and columns), additions
 * and removals, and the columns that stayed the same. Data text is escaped for the Markdown-like
 * markup of the chapter texts; paragraphs are separated by a blank line.
 */
export function buildChangeSummary(diff: DatasetDiff, before: Dataset, after: Dataset, options: ChangeSummaryOptions): string {
  const hb = (options.handlebars ?? Handlebars).create();
  registerHelpers(hb);
  // Compiled once per process, as the template files of the publication are.
  const template = compileFile(hb, CHANGE_SUMMARY_TEMPLATE, options.template);
  const view: SummaryView = {
    identical: diff.identical,
    publication: {
      title: plain(after.publication.title),
      period: plain(after.publication.period.title),
      firstPublished: formatDutchDate(before.publication.publicationDate),
    },
    tables: diff.tables.map(toSummaryTable),
    changedTableCount: diff.tables.length,
    unchangedTableCount: diff.unchangedTables.length,
  };
  try {
    return toParagraphs(template(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }));
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('TEMPLATE_INVALID', `${CHANGE_SUMMARY_TEMPLATE} failed: ${message}`, { cause: error });
  }
}
