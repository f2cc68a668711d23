import { type DataTable, type Dataset, totalCode } from '../../model/dataset.js';
import type { Dimension } from '../../model/dataset-schema.js';
import { buildTableModel, type TableModel, type TableView } from '../tables/table-model.js';
import type { WorkbookOptions } from './workbook-options.js';

/** More readable views than this per table and the workbook gets one long view per breakdown instead. */
const MAX_VIEWS_PER_TABLE = 12;

/** "Aard van het geweld" → "aard van het geweld"; leaves "VT-regio" and "IJssel" alone. */
function lowerFirst(text: string): string {
  return /^\p{Lu}\p{Ll}/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/**
 * Readable views of a cube with one region dimension and breakdowns (category dimensions with a
 * total): per breakdown and per measure a table of regions down and the breakdown's categories
 * across, the other breakdowns at their total. None for excerpts: a view would show the
 * combinations the excerpt leaves out as "." (unknown), which they are not.
 */
function readableViews(dataset: Dataset, table: DataTable): TableView[] {
  if (!table.complete) return [];
  const varying = table.dimensions.filter((d) => d.codes.length > 1);
  const geos = varying.filter((d) => d.kind === 'geo');
  const breakdowns = varying.filter((d) => d.kind === 'category');
  const others = varying.filter((d) => d.kind === 'time' && !d.codes.some((c) => c.key === dataset.publication.period.key));
  const geo = geos.length === 1 ? geos[0] : undefined;
  if (!geo || breakdowns.length === 0 || others.length > 0) return [];
  if (breakdowns.some((d) => totalCode(d) === undefined)) return [];

  const fixedExcept = (dim: Dimension): Record<string, string> =>
    Object.fromEntries(breakdowns.filter((d) => d !== dim).map((d) => [d.key, totalCode(d) ?? '']));
  const views: TableView[] = [];
  if (breakdowns.length * table.measures.length <= MAX_VIEWS_PER_TABLE) {
    for (const dim of breakdowns) {
      for (const measure of table.measures) {
        views.push({
          name: `${measure.key}-${dim.key}`,
          title: `${measure.title} naar ${lowerFirst(dim.title)} en ${lowerFirst(geo.title)}`,
          rows: [geo.key],
          columns: [dim.key],
          measures: [measure.key],
          fixed: fixedExcept(dim),
        });
      }
    }
  } else {
    for (const dim of breakdowns) {
      views.push({
        name: dim.key,
        title: `${table.title}, naar ${lowerFirst(dim.title)}`,
        rows: [dim.key, geo.key],
        fixed: fixedExcept(dim),
      });
    }
  }
  return views;
}

/**
 * The tables of the tabellenbijlage as an editor wants them, in dataset order: every table's
 * default view; for a cube of regions by breakdowns (such as huiselijk-geweld-aard-regio) first
 * one sheet per breakdown and measure (regions down, categories across), then the full table in
 * StatLine's long form.
 */
export function defaultWorkbookTables(dataset: Dataset): TableModel[] {
  const models: TableModel[] = [];
  for (const table of dataset.tables) {
    for (const view of readableViews(dataset, table)) models.push(buildTableModel(dataset, table, view));
    // The long form shows every period of the cube, as StatLine does; a single period stays in the title.
    const periodsInRows = table.dimensions.some((d) => d.kind === 'time' && d.codes.length > 1);
    const rows = table.dimensions.filter((d) => !(d.kind === 'time' && d.codes.length === 1)).map((d) => d.key);
    // Its rows are made as the workbook writes them: a big cube's long form is never held whole.
    models.push(buildTableModel(dataset, table, periodsInRows ? { rows } : {}, { lazyRows: true }));
  }
  return models;
}

/**
 * The options with the workbook's tables in full (see WorkbookOptions.defaultTables): its default
 * views, with the publication's own models where they show the same table; as given without it.
 */
export function withDefaultTables(dataset: Dataset, options: WorkbookOptions): WorkbookOptions {
  if (!options.defaultTables) return options;
  const own = new Map(options.tables.map((m) => [m.id, m]));
  return { ...options, tables: defaultWorkbookTables(dataset).map((m) => own.get(m.id) ?? m), defaultTables: false };
}
