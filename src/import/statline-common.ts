import { AppError } from '../errors.js';
import { odataValues, parseJsonFile } from './json-objects.js';
import type { SourceFiles } from './source-files.js';
import { type ImportCode, type ImportDimension, markTotals, periodStatus, type Problems, setRegionLevels } from './table-builder.js';

/** A text field of StatLine metadata, whitespace collapsed (v3 pads keys with spaces). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}

/** A text that keeps its paragraphs (a Tabeltoelichting). */
export function paragraphs(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '';
}

/** The `value` list of one small metadata file of the download. */
export async function readList(files: SourceFiles, name: string): Promise<Record<string, unknown>[]> {
  if (!files.names.includes(name))
    throw new AppError('IMPORT_INVALID', `${files.label}: ${name} is missing (save it from the API as it returns it)`);
  return odataValues(parseJsonFile((await files.read(name)).toString('utf8'), name), name);
}

/**
 * One dimension from its code list file: codes with titles, the status of each period (from the
 * list, else from --status, else a problem), region levels from the codes, the total of a category.
 */
export async function readDimension(
  files: SourceFiles,
  spec: { key: string; title: string; kind: ImportDimension['kind']; file: string; keyField: string },
  fallbackStatus: ImportCode['status'],
  problems: Problems,
  notes: string[],
): Promise<ImportDimension> {
  const codes = (await readList(files, spec.file)).map((c, ci) => {
    const code: ImportCode = { key: text(c[spec.keyField]), title: text(c.Title) || text(c[spec.keyField]) };
    if (!code.key) problems.add(`${spec.file}, entity ${ci + 1}`, `field "${spec.keyField}" is missing`);
    if (spec.kind !== 'time') return code;
    const status = periodStatus(c.Status) ?? fallbackStatus;
    if (!status)
      problems.add(
        `${spec.file}, entity ${ci + 1} (${code.key})`,
        `field "Status" is "${text(c.Status)}": give the status of this period with --status voorlopig|"nader voorlopig"|definitief`,
      );
    else if (!periodStatus(c.Status)) notes.push(`${spec.key} ${code.key}: status "${status}" from --status (the code list gives none)`);
    if (status) code.status = status;
    return code;
  });
  const dim: ImportDimension = { key: spec.key, title: spec.title || spec.key, kind: spec.kind, codes };
  setRegionLevels(dim, notes);
  markTotals(dim, notes);
  return dim;
}

/** Checks a measure's Decimals and Unit; returns the decimals when usable. */
export function measureDecimals(m: Record<string, unknown>, where: string, problems: Problems): number | undefined {
  const decimals = m.Decimals;
  if (!text(m.Unit)) problems.add(where, 'field "Unit" is missing: every measure needs its unit');
  if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
    problems.add(where, `field "Decimals" must be a whole number 0–6, not ${JSON.stringify(decimals)}`);
    return undefined;
  }
  return decimals;
}
