import type { ErratumChanges } from '../errata/erratum-changes.js';
import type { TableModel } from '../tables/table-model.js';

/**
 * The erratum of a corrected edition: its date (YYYY-MM-DD) and the changes as the renderer
 * computed them once (dataset coordinates: table id, dataset row key, measure key). The workbook
 * marks each corrected figure in every table sheet that shows it and lists the changes on the
 * Erratum sheet.
 */
export interface WorkbookErratum {
  readonly date: string;
  readonly changes: ErratumChanges;
}

/** What goes into the tabellenbijlage besides the dataset. */
export interface WorkbookOptions {
  /** The publication's tables, in order: one sheet each ("Tabel 1", "Tabel 2", ...). */
  readonly tables: readonly TableModel[];
  /** The edition number (1 for the first publication). */
  readonly edition: number;
  /** For a corrected edition: the date of the correction (YYYY-MM-DD). */
  readonly correctedOn?: string;
  /** For a corrected edition: what changed; adds an "Erratum" sheet and marks the cells. */
  readonly erratum?: WorkbookErratum;
  /** A draft for review: the title page and the properties say "Concept" and give no edition number. */
  readonly draft?: boolean;
  /**
   * True: `tables` are only the publication's own models, and the workbook shows the default views
   * of every dataset table (defaultWorkbookTables), the publication's model in place of the default
   * view of the same table. renderWorkbook builds them where it runs, so that a workbook thread is
   * handed a few small models rather than a copy of every default view (most of the workbook).
   */
  readonly defaultTables?: boolean;
}
