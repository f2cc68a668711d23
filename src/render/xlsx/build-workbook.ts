import ExcelJS from 'exceljs';
import { AppError } from '../../errors.js';
import { type DataTable, type Dataset, stripFootnoteMarkers } from '../../model/dataset.js';
import { isIsoDate } from '../../model/iso-date.js';
import { formatDutchDate } from '../../model/number-format.js';
import { eachRow, type TableModel } from '../tables/table-model.js';
import { CORRECTION_MARK, correctionMeaning } from '../errata/correction-mark.js';
import { isCorrection } from '../errata/erratum-changes.js';
import { locateChanges } from './changed-cells.js';
import { modelsWithDataSheet, writeDataSheet } from './data-sheet.js';
import { writeErratumSheet } from './erratum-sheet.js';
import { CBS_CONTACT, type ContentsLine, writeContents, writeSymbols, writeTitlePage } from './front-sheets.js';
import { attachPackageWriter, PackageWriter } from './package-writer.js';
import { describePeriodStatuses } from './period-status.js';
import { hasNotes, writeNotesSheet } from './notes-sheet.js';
import { claimSheetName } from './sheet-names.js';
import type { OpenSheet } from './sheet-writing.js';
import { writeTableSheet } from './table-sheet.js';
import type { WorkbookOptions } from './workbook-options.js';

import { withDefaultTables } from './default-tables.js';

export { defaultWorkbookTables } from './default-tables.js';
export type { WorkbookErratum, WorkbookOptions } from './workbook-options.js';

function checkDate(value: string, what: string): Date {
  if (!isIsoDate(value)) {
    throw new AppError('ERRATUM_INVALID', `${what} must be a date as YYYY-MM-DD, not "${value}"`);
  }
  return new Date(`${value}T00:00:00Z`);
}

/** The titles of a model's row dimensions, outer first (keys when the table is unknown). */
function rowDimensionTitles(model: TableModel, table: DataTable | undefined): string[] {
  let keys: string[] = [];
  for (const row of eachRow(model)) {
    if (row.kind !== 'data') continue;
    keys = Object.keys(row.codes);
    break;
  }
  return keys.map((key) => table?.dimensions.find((d) => d.key === key)?.title ?? key);
}

function withStatusText(statusText: string | undefined): { statusText?: string } {
  return statusText === undefined ? {} : { statusText };
}

function periodOf(model: TableModel): string {
  return `${model.periodTitle}${model.statusMark}`;
}

function setProperties(workbook: ExcelJS.stream.xlsx.WorkbookWriter, dataset: Dataset, options: WorkbookOptions, modified: Date): void {
  const { publication } = dataset;
  const name = `${publication.title}, ${publication.period.title}`;
  workbook.creator = 'CBS';
  workbook.lastModifiedBy = 'CBS';
  workbook.company = CBS_CONTACT.publisher;
  workbook.title = `${options.draft ? 'CONCEPT: ' : ''}${name}: tabellenbijlage`;
  workbook.subject = `Tabellenbijlage bij ${name}`;
  workbook.category = 'Tabellenbijlage';
  workbook.keywords = `CBS; ${publication.title}; ${publication.period.title}`;
  workbook.description = `${options.draft ? 'CONCEPT, nog geen editie' : `Editie ${options.edition}`}${options.correctedOn ? `, gecorrigeerd op ${formatDutchDate(options.correctedOn)}` : ''}.`;
  // exceljs writes dc:language from the model but leaves it out of its typings.
  (workbook as ExcelJS.stream.xlsx.WorkbookWriter & { language: string }).language = publication.language;
  workbook.created = new Date(`${publication.publicationDate}T00:00:00Z`);
  workbook.modified = modified;
  workbook.lastPrinted = modified;
}

/**
 * Renders the tabellenbijlage: a title page, the contents (with links), the Verklaring van tekens,
 * the erratum of a corrected edition, one sheet per table as a reader sees it, and a
 * machine-readable Excel table per dataset table. Pure: the same dataset and options always give
 * the same bytes.
 */
export async function renderWorkbook(dataset: Dataset, given: WorkbookOptions): Promise<Buffer> {
  const { publication } = dataset;
  if (!Number.isInteger(given.edition) || given.edition < 1) {
    throw new AppError('USAGE', `the edition must be a whole number from 1, not ${given.edition}`);
  }
  const correctedOn = given.correctedOn ?? given.erratum?.date;
  if (given.correctedOn) checkDate(given.correctedOn, 'the correction date (correctedOn)');
  if (given.erratum) checkDate(given.erratum.date, 'the erratum date');
  const modified = correctedOn ? checkDate(correctedOn, 'the correction date') : checkDate(publication.publicationDate, 'publicationDate');
  const options = withDefaultTables(dataset, given);

  // Streamed: each sheet is written out as it is made, a long table row by row, so memory stays
  // bounded however many rows the cube has. exceljs's own ZIP side stamps the time of writing;
  // ours (PackageWriter) gives the same bytes for the same input and adds links and Excel tables.
  // The sheets are compressed on libuv's thread pool while the next rows are made.
  const pack = new PackageWriter(modified, CBS_CONTACT.publisher, { background: true });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ useStyles: true, useSharedStrings: true });
  attachPackageWriter(workbook, pack);
  setProperties(workbook, dataset, options, modified);

  const used = new Set<string>();
  const titleName = claimSheetName('Titelpagina', used);
  const contentsName = claimSheetName('Inhoud', used);
  const erratumName = options.erratum ? claimSheetName('Erratum', used) : undefined;
  const symbolsName = claimSheetName('Verklaring van tekens', used);
  const notesName = claimSheetName('Toelichting', used);
  const tableNames = options.tables.map((_, i) => claimSheetName(`Tabel ${i + 1}`, used));
  const withData = modelsWithDataSheet(dataset.tables, options.tables);
  const dataNames = new Map(withData.map((i) => [i, claimSheetName(`Tabel ${i + 1} (data)`, used)]));

  /** Writes the next sheet, in workbook order, and commits it before the next one starts. */
  const sheet = async <T>(
    name: string,
    write: (open: OpenSheet) => T | Promise<T>,
    before?: (part: string, result: T) => void,
  ): Promise<void> => {
    let made: ExcelJS.Worksheet | undefined;
    const result = await write((setup) => {
      if (made) throw new Error(`sheet "${name}" opened twice`);
      made = workbook.addWorksheet(name, { views: setup.views, pageSetup: setup.pageSetup, headerFooter: setup.headerFooter });
      return made;
    });
    if (!made) throw new Error(`sheet "${name}" was never opened`);
    before?.(`xl/worksheets/sheet${made.id}.xml`, result);
    made.commit();
  };

  await sheet(titleName, (open) =>
    writeTitlePage(open, {
      publication,
      edition: options.edition,
      correctedOn,
      hasErratum: erratumName !== undefined,
      ...withStatusText(describePeriodStatuses(dataset)),
      ...(options.draft ? { draft: true } : {}),
    }),
  );

  const tableLines: ContentsLine[] = options.tables.map((model, i) => ({
    sheetName: tableNames[i] ?? '',
    title: stripFootnoteMarkers(model.title),
    period: periodOf(model),
    remark: model.illustrative ? 'Illustratieve cijfers' : '',
  }));
  const dataLines: ContentsLine[] = [...dataNames].map(([i, name]) => {
    const model = options.tables[i] as TableModel;
    return { sheetName: name, title: stripFootnoteMarkers(model.title), period: periodOf(model), remark: `Gegevens van ${tableNames[i]}` };
  });
  const otherLines: ContentsLine[] = [
    { sheetName: titleName, title: 'Titel, status van de cijfers, uitgever en inlichtingen', period: '', remark: '' },
    { sheetName: symbolsName, title: 'Betekenis van de tekens in de tabellen', period: '', remark: '' },
    { sheetName: notesName, title: 'Bron, voetnoten en toelichting van alle tabellen', period: '', remark: '' },
  ];
  if (erratumName)
    otherLines.push({ sheetName: erratumName, title: 'Gecorrigeerde cijfers in deze gecorrigeerde editie', period: '', remark: '' });
  await sheet(
    contentsName,
    (open) => writeContents(open, { tables: tableLines, dataTables: dataLines, other: otherLines }),
    (part, links) => pack.addLinks(part, links),
  );

  const corrections = options.erratum?.changes.cells.filter(isCorrection) ?? [];
  const located = locateChanges(dataset, options.tables, corrections);
  if (erratumName && options.erratum) {
    const erratum = options.erratum;
    const sheetsByTable = new Map<string, string[]>();
    options.tables.forEach((model, i) => {
      const list = sheetsByTable.get(model.tableId) ?? [];
      list.push(tableNames[i] ?? '');
      sheetsByTable.set(model.tableId, list);
    });
    await sheet(erratumName, (open) =>
      writeErratumSheet(open, {
        publicationTitle: `${publication.title}, ${publication.period.title}`,
        date: erratum.date,
        changes: erratum.changes,
        sheetsByTable,
        sheetsByCorrection: located.modelsByChange.map((indexes) => indexes.map((i) => tableNames[i] ?? '')),
      }),
    );
  }
  await sheet(symbolsName, (open) =>
    writeSymbols(open, options.erratum ? [[CORRECTION_MARK, correctionMeaning(formatDutchDate(options.erratum.date))]] : []),
  );

  await sheet(notesName, (open) =>
    writeNotesSheet(
      open,
      options.tables.flatMap((model, i) => (hasNotes(model) ? [{ sheetName: tableNames[i] ?? '', model }] : [])),
    ),
  );

  const footer = `CBS, ${publication.title}, ${publication.period.title}: tabellenbijlage`;
  const catchUp = (): Promise<void> | undefined => pack.catchUp();
  for (const [i, model] of options.tables.entries()) {
    const table = dataset.tables.find((t) => t.id === model.tableId);
    await sheet(tableNames[i] ?? '', (open) =>
      writeTableSheet(open, {
        model,
        marks: located.marksByModel[i] ?? new Map(),
        erratumDate: options.erratum?.date,
        footer,
        rowDimensionTitles: rowDimensionTitles(model, table),
        catchUp,
      }),
    );
  }
  for (const [i, name] of dataNames) {
    const model = options.tables[i] as TableModel;
    const table = dataset.tables.find((t) => t.id === model.tableId);
    await sheet(
      name,
      (open) => writeDataSheet(open, { model, table, tableName: `Tabel_${i + 1}`, catchUp }),
      (part, excelTable) => pack.addTable(part, excelTable),
    );
  }

  await workbook.commit();
  return pack.bytes();
}
