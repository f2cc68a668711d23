import type { Content } from 'pdfmake/interfaces.js';
import { AppError } from '../../errors.js';
import { type DataTable, type Dataset, stripFootnoteMarkers } from '../../model/dataset.js';
import { formatNumber } from '../../model/number-format.js';
import { buildPdfTable } from '../pdf/pdf-table.js';
import { CORRECTION_LEGEND, CORRECTION_LEGEND_WRONG } from './correction-mark.js';
import { blocksToPdf } from '../pdf/publication-document.js';
import { buildTextContext, type EditionInfo, type Manifest } from '../publication.js';
import { buildTableModel, cellCoordinateKey, type RowModel, type TableModel, type TableView } from '../tables/table-model.js';
import { checkDirectives } from '../text/directives.js';
import { parseMarkup } from '../text/markup.js';
import type { TextEngine } from '../text/template-engine.js';
import type { ErratumInput, TemplateFiles } from '../types.js';
import { buildChangeSummary, CHANGE_SUMMARY_TEMPLATE } from './change-summary.js';
import type { DatasetDiff, TableDiff } from './dataset-diff.js';
import { type ErratumChanges, isCorrection } from './erratum-changes.js';

/** Tables longer than this show only their changed rows in the erratum. */
const MAX_FULL_ROWS = 60;
/** More changed rows than this are not laid out in the PDF: the workbook's Erratum sheet lists them. */
const MAX_PDF_ROWS = 150;

/** The erratum of a corrected edition, computed from the two dataset versions. */
export interface ErratumBuild {
  /** The generated change summary (markup), which the editor may keep or extend. */
  readonly summary: string;
  /** The erratum's content: date, editor's text, summary and the tables before and after. */
  readonly content: readonly Content[];
}

/** What building an erratum needs. */
export interface ErratumArgs {
  readonly before: Dataset;
  readonly after: Dataset;
  /** The diff of `before` and `after` (`diffDatasets`), computed once by the caller. */
  readonly diff: DatasetDiff;
  /** The changes read from that diff (`toErratumChanges`): the marks of the tables come from them. */
  readonly changes: ErratumChanges;
  readonly erratum: ErratumInput;
  readonly edition: EditionInfo;
  readonly manifest: Manifest;
  readonly templates: TemplateFiles;
  /** The text engine of the corrected dataset. */
  readonly engine: TextEngine;
}

function viewOf(manifest: Manifest, tableId: string): TableView {
  return manifest.tables[tableId] ?? {};
}

/** Row keys of a model whose code in `dimension` is one of `codes`. */
function markedRows(model: TableModel, dimension: string, codes: ReadonlySet<string>): Set<string> {
  return new Set(model.rows.filter((r) => codes.has(r.codes[dimension] ?? '')).map((r) => r.key));
}

/**
 * The data rows of a model that `keep` selects, each under the group rows it belongs to, so that a
 * row of a table with several dimensions still names every code ("Lichamelijk geweld", "Totaal",
 * then "Nederland"), not only its own.
 */
function onlyRows(model: TableModel, keep: (key: string) => boolean): TableModel {
  const rows: RowModel[] = [];
  const groups: RowModel[] = [];
  const shown = new Set<RowModel>();
  for (const row of model.rows) {
    while (groups.length > 0 && (groups[groups.length - 1]?.depth ?? 0) >= row.depth) groups.pop();
    if (row.kind === 'group') {
      groups.push(row);
      continue;
    }
    if (!keep(row.key)) continue;
    for (const group of groups) {
      if (shown.has(group)) continue;
      shown.add(group);
      rows.push(group);
    }
    rows.push(row);
  }
  return { ...model, rows };
}

function tablePair(diff: TableDiff, changes: ErratumChanges, before: Dataset, after: Dataset, manifest: Manifest): Content[] {
  const oldTable = before.tables.find((t) => t.id === diff.id);
  const newTable = after.tables.find((t) => t.id === diff.id);
  if (!oldTable || !newTable || !diff.comparable) return [];
  const view = viewOf(manifest, diff.id);
  let oldModel = buildTableModel(before, oldTable, view);
  let newModel = buildTableModel(after, newTable, view);

  // Every genuine correction is marked where it stands now, and in the first version where the
  // wrong figure stood (for a moved row: under the other name). Moved rows get a marked label.
  const corrections = changes.cells.filter((c) => c.tableId === diff.id && isCorrection(c));
  const corrected = new Set(corrections.map((c) => `${c.rowKey}\u0001${c.measureKey}`));
  const wrong = new Set(corrections.map((c) => `${c.movedFromKey ?? c.rowKey}\u0001${c.measureKey}`));
  const markFor = (model: TableModel, table: DataTable, wanted: ReadonlySet<string>): Set<string> => {
    const order = table.dimensions.map((d) => d.key);
    const out = new Set<string>();
    for (const row of model.rows) {
      if (row.kind !== 'data') continue;
      for (const column of model.columns) {
        if (wanted.has(`${cellCoordinateKey(model, order, row, column)}\u0001${column.measure.key}`)) out.add(`${row.key}|${column.key}`);
      }
    }
    return out;
  };
  const newMarks = markFor(newModel, newTable, corrected);
  const oldMarks = markFor(oldModel, oldTable, wrong);

  const relocated = new Map<string, Set<string>>();
  for (const r of changes.relocations) {
    if (r.tableId !== diff.id) continue;
    const set = relocated.get(r.dimensionKey) ?? new Set<string>();
    set.add(r.fromKey);
    set.add(r.toKey);
    relocated.set(r.dimensionKey, set);
  }
  const rowMarks = (model: TableModel) => {
    const out = new Set<string>();
    for (const [dim, codes] of relocated) for (const key of markedRows(model, dim, codes)) out.add(key);
    return out;
  };
  const oldRows = rowMarks(oldModel);
  const newRows = rowMarks(newModel);

  let note: Content | undefined;
  if (newModel.rows.length > MAX_FULL_ROWS) {
    const keep = new Set([...newMarks, ...oldMarks].map((k) => k.split('|')[0] ?? ''));
    for (const k of [...oldRows, ...newRows]) keep.add(k);
    oldModel = onlyRows(oldModel, (k) => keep.has(k));
    newModel = onlyRows(newModel, (k) => keep.has(k));
    const dataRows = newModel.rows.filter((r) => r.kind === 'data').length;
    if (dataRows > MAX_PDF_ROWS) {
      const title = stripFootnoteMarkers(newModel.title);
      return [
        {
          text: `In de tabel ‘${title}’ zijn ${formatNumber(corrections.length)} cijfers in ${formatNumber(dataRows)} rijen gecorrigeerd. Dat zijn te veel om hier als tabel te tonen; het blad ‘Erratum’ van de tabellenbijlage noemt elk gecorrigeerd cijfer met de oude en de nieuwe waarde.`,
          style: 'body',
          margin: [0, 4, 0, 8],
        },
      ];
    }
    note = {
      text: 'Deze tabel is groot; hieronder staan alleen de rijen waarin iets is gewijzigd.',
      style: 'body',
      italics: true,
      margin: [0, 0, 0, 4],
    };
  }
  return [
    ...(note ? [note] : []),
    buildPdfTable(oldModel, {
      titleSuffix: ', foutieve versie',
      changedCells: oldMarks,
      changedRows: oldRows,
      markLegend: CORRECTION_LEGEND_WRONG,
      unbreakable: oldModel.rows.length <= 40,
    }),
    buildPdfTable(newModel, {
      titleSuffix: ', gecorrigeerde versie',
      changedCells: newMarks,
      changedRows: newRows,
      markLegend: CORRECTION_LEGEND,
      unbreakable: newModel.rows.length <= 40,
    }),
  ];
}

/** Builds the erratum of a corrected edition from the dataset as published and as corrected. */
export function buildErratum(args: ErratumArgs): ErratumBuild {
  const { before, after, diff, changes, erratum, edition, manifest, templates, engine } = args;
  const summaryTemplate = templates[CHANGE_SUMMARY_TEMPLATE];
  if (summaryTemplate === undefined) throw new AppError('TEMPLATE_INVALID', `template file "${CHANGE_SUMMARY_TEMPLATE}" does not exist`);
  if (!manifest.erratum) throw new AppError('TEMPLATE_INVALID', `template "${manifest.id}" has no erratum text (manifest "erratum")`);
  const summary = buildChangeSummary(diff, before, after, { template: summaryTemplate });
  const context = buildTextContext(after, edition, { editorText: erratum.text.trim(), summary });
  const file = `${manifest.id}/${manifest.erratum}`;
  // The erratum text shows no tables of its own (they follow it in pairs, before and after).
  const blocks = checkDirectives(parseMarkup(engine.render(file, context)), `templates/${file}`, templates[file], new Set());
  const content: Content[] = [...blocksToPdf(blocks, { tables: new Map(), chapterId: undefined, sectionCount: 0 })];
  for (const tableDiff of diff.tables) {
    if (tableDiff.status === 'changed' && tableDiff.cells.length > 0)
      content.push(...tablePair(tableDiff, changes, before, after, manifest));
  }
  return { summary, content };
}
