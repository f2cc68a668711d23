import { AppError } from '../errors.js';
import { parseDataset } from './dataset.js';
import type { DatasetInput } from './dataset-schema.js';
import { formatTextsFile, type TextsFile } from './texts-file.js';

/** What new-period makes: the dataset skeleton and the texts file of the new period. */
export interface PeriodSkeleton {
  readonly dataset: DatasetInput;
  readonly texts: string;
  /** What the editor has to do before the skeleton renders, in Dutch, one line each. */
  readonly todo: readonly string[];
}

/** Options of a new period. */
export interface NewPeriodOptions {
  /** The new period's code, e.g. "2019HJ02". */
  readonly period: string;
  /** Its title as the text prints it; derived from the code for half-years, years and quarters. */
  readonly title?: string;
  /** The texts file of the previous period, when its texts were kept beside the dataset. */
  readonly previousTexts?: TextsFile;
  /** The period texts the template places, in order (sectionNames), so that new ones are listed too. */
  readonly sections?: readonly string[];
}

/** The title of a period code as the publication writes it: "2e halfjaar van 2019", "2019", "3e kwartaal van 2020". */
export function periodTitle(key: string): string | undefined {
  const half = /^(\d{4})HJ0([12])$/.exec(key);
  if (half) return `${half[2]}e halfjaar van ${half[1]}`;
  const quarter = /^(\d{4})KW0([1-4])$/.exec(key);
  if (quarter) return `${quarter[2]}e kwartaal van ${quarter[1]}`;
  const year = /^(\d{4})JJ00$/.exec(key);
  return year ? year[1] : undefined;
}

/** The publication id of the new period: the previous id with its period part replaced, else with the code added. */
function newId(previousId: string, key: string): string {
  const half = /^(\d{4})HJ0([12])$/.exec(key);
  const suffix = half ? `${half[1]}-hj${half[2]}` : key.toLowerCase();
  return /-\d{4}-hj[12]$/.test(previousId) ? previousId.replace(/\d{4}-hj[12]$/, suffix) : `${previousId}-${suffix}`;
}

/** Six months after an ISO date (the next half-year's publication, to be confirmed). */
function sixMonthsLater(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const month = m + 6;
  const year = y + Math.floor((month - 1) / 12);
  const mm = ((month - 1) % 12) + 1;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  return `${year}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

type RawTable = DatasetInput['tables'][number];

/** A table with the new period as its only time code, every combination of the other codes, and no figures (null). */
function emptyTable(table: RawTable, key: string, title: string, status: string | undefined): RawTable {
  const timeKeys = new Set(table.dimensions.filter((d) => d.kind === 'time').map((d) => d.key));
  const measureKeys = new Set(table.measures.map((m) => m.key));
  const seen = new Set<string>();
  const rows: Record<string, unknown>[] = [];
  for (const row of table.rows) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (timeKeys.has(k)) out[k] = key;
      else if (measureKeys.has(k)) out[k] = null;
      else out[k] = v;
    }
    const id = JSON.stringify(Object.entries(out).filter(([k]) => !measureKeys.has(k)));
    if (seen.has(id)) continue;
    seen.add(id);
    for (const m of measureKeys) if (!(m in out)) out[m] = null;
    rows.push(out);
  }
  return {
    ...table,
    dimensions: table.dimensions.map((d) =>
      d.kind === 'time' ? { ...d, codes: [{ key, title, ...(status ? { status: status as 'voorlopig' } : {}) }] } : d,
    ),
    rows,
  };
}

/**
 * Makes the skeleton of a new period from the dataset of the previous one: the publication block
 * with the new period (status, date and the note on illustrative figures marked unconfirmed),
 * every table's structure with the new period's code and no figures, and a texts file with each
 * period text of the previous period marked as copied and to be reviewed.
 */
export function newPeriodSkeleton(previousRaw: unknown, options: NewPeriodOptions, where = 'the previous dataset'): PeriodSkeleton {
  const previous = parseDataset(previousRaw, where);
  const raw = previousRaw as DatasetInput;
  const key = options.period;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(key)) throw new AppError('USAGE', `--period "${key}" is not a period code such as 2019HJ02`);
  const title = options.title ?? periodTitle(key);
  if (!title) throw new AppError('USAGE', `give the title of period "${key}" with --title (e.g. "2e halfjaar van 2019")`);
  const before = previous.publication;
  if (before.period.key === key) throw new AppError('USAGE', `the previous dataset is already of period ${key}`);

  const status = before.status;
  const { texts: _texts, releaseAt: _releaseAt, unconfirmed: _unconfirmed, ...kept } = raw.publication;
  const unconfirmed: ('status' | 'publicationDate' | 'illustrativeNote')[] = ['status', 'publicationDate'];
  if (before.illustrativeNote) unconfirmed.push('illustrativeNote');
  const dataset: DatasetInput = {
    ...raw,
    publication: {
      ...kept,
      id: newId(before.id, key),
      period: { key, title },
      status,
      publicationDate: sixMonthsLater(before.publicationDate),
      edition: 1,
      unconfirmed,
    },
    tables: raw.tables.map((t) => emptyTable(t, key, title, status)),
  };

  const previousTexts: Record<string, string> = { ...before.texts };
  for (const [name, s] of Object.entries(options.previousTexts?.sections ?? {})) previousTexts[name] = s.text;
  const names = [...(options.sections ?? []), ...Object.keys(previousTexts)].filter((n, i, all) => all.indexOf(n) === i);
  const sections = names.map((name) => {
    const text = previousTexts[name];
    return text === undefined
      ? { name, text: '', mark: 'nieuw: nog schrijven' }
      : { name, text, mark: `overgenomen uit ${before.period.key}: nakijken` };
  });
  const todo = [
    `Vul de cijfers van ${title} in (npm run import -- … --into, of met de hand): ${dataset.tables.length} tabellen, nu zonder cijfers (null).`,
    `Bevestig ${unconfirmed.map((f) => `publication.${f}`).join(', ')} en verwijder daarna "unconfirmed".`,
    `Herschrijf of bevestig elke tekst in het tekstenbestand en haal daarna de markering [...] achter de naam weg.`,
  ];
  return { dataset, texts: formatTextsFile(key, sections), todo };
}
