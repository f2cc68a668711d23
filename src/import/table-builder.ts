import { AppError, type ErrorDetail } from '../errors.js';
import type { DatasetInput, FigureStatus, RegionLevel } from '../model/dataset-schema.js';

/** A code of a dimension as the importer reads it. */
export interface ImportCode {
  key: string;
  title: string;
  level?: RegionLevel;
  status?: FigureStatus;
  total?: boolean;
}

/** A dimension as the importer reads it. */
export interface ImportDimension {
  key: string;
  title: string;
  kind: 'geo' | 'time' | 'category';
  codes: ImportCode[];
}

/** A measure as the importer reads it. */
export interface ImportMeasure {
  key: string;
  title: string;
  unit: string;
  decimals: number;
  description?: string;
}

/** A cell as the dataset writes it: a number, "." (unknown, secret) or "" (cannot occur). */
export type ImportCell = number | '.' | '';

/** What one import produced: a table and the facts an editor should know about it. */
export interface ImportedTable {
  readonly table: DatasetInput['tables'][number];
  /** Metadata of the source table, for the publication when a new dataset is made. */
  readonly source: { identifier: string; title: string; modified: string | undefined };
  /** What was inferred or assumed, one sentence each; printed and written in the report. */
  readonly notes: string[];
}

const MAX_PROBLEMS = 50;

/** Collects the problems of one import; `fail` throws them together as IMPORT_INVALID. */
export class Problems {
  readonly list: ErrorDetail[] = [];
  constructor(private readonly source: string) {}
  add(path: string, message: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ path, message: `${path}: ${message}` });
    else if (this.list.length === MAX_PROBLEMS) this.list.push({ path: '', message: 'more problems left out' });
  }
  get any(): boolean {
    return this.list.length > 0;
  }
  /** Throws when any problem was found. */
  check(): void {
    if (this.list.length === 0) return;
    const head = this.list.slice(0, 3).map((d) => d.message);
    const more = this.list.length > 3 ? ` (and ${this.list.length - 3} more)` : '';
    throw new AppError('IMPORT_INVALID', `${this.source} cannot be imported: ${head.join('; ')}${more}`, { details: this.list });
  }
}

/** The geographic level StatLine's region codes tell: NL01, LD01, PV20, VT01. */
export function levelOfRegionCode(key: string): RegionLevel | undefined {
  if (/^NL\d{2}$/.test(key)) return 'nederland';
  if (/^LD\d{2}$/.test(key)) return 'landsdeel';
  if (/^PV\d{2}$/.test(key)) return 'provincie';
  if (/^VT\d{2,4}$/.test(key)) return 'veilig-thuis-regio';
  return undefined;
}

/** StatLine's statuses of a period ("Voorlopig", "Nader voorlopig", "Definitief") in the dataset's words. */
export function periodStatus(text: unknown): FigureStatus | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim().toLowerCase();
  if (t === 'voorlopig') return 'voorlopig';
  if (t === 'nader voorlopig') return 'nader voorlopig';
  if (t === 'definitief') return 'definitief';
  return undefined;
}

/** Counts the decimals a number is written with (JSON or text), for the check against the measure. */
export function decimalsOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  const text = String(value);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/**
 * Gathers the cells of one table from observations in any order, checking each against the code
 * lists and measures: unknown codes, duplicates and too many decimals are problems, named by the
 * place the caller gives. Rows come out in code-list order.
 */
export class TableBuilder {
  private readonly codeIndex: Map<string, number>[];
  private readonly measureIndex: Map<string, number>;
  private readonly rows = new Map<string, { codes: number[]; cells: (ImportCell | undefined)[] }>();
  observations = 0;

  constructor(
    readonly dimensions: ImportDimension[],
    readonly measures: ImportMeasure[],
    private readonly problems: Problems,
  ) {
    this.codeIndex = dimensions.map((d) => new Map(d.codes.map((c, i) => [c.key, i])));
    this.measureIndex = new Map(measures.map((m, i) => [m.key, i]));
  }

  /** Adds one figure: `codes` by dimension key, the measure, the cell, and where it was read. */
  add(codes: Readonly<Record<string, unknown>>, measureKey: string, cell: ImportCell, where: string): void {
    this.observations++;
    const indexes: number[] = [];
    let bad = false;
    this.dimensions.forEach((dim, d) => {
      const raw = codes[dim.key];
      const code = typeof raw === 'string' ? raw.trim() : undefined;
      const at = code === undefined ? undefined : this.codeIndex[d]?.get(code);
      if (code === undefined) {
        this.problems.add(where, `field "${dim.key}" is missing`);
        bad = true;
      } else if (at === undefined) {
        this.problems.add(where, `field "${dim.key}": code "${code}" is not in the code list of ${dim.key}`);
        bad = true;
      } else indexes.push(at);
    });
    const m = this.measureIndex.get(measureKey);
    if (m === undefined) {
      this.problems.add(where, `measure "${measureKey}" is not one of the table's measures`);
      bad = true;
    }
    if (bad || m === undefined) return;
    const measure = this.measures[m];
    if (typeof cell === 'number' && measure && decimalsOf(cell) > measure.decimals) {
      this.problems.add(where, `${measure.key}: ${cell} has more decimals than the measure's ${measure.decimals}`);
      return;
    }
    const key = indexes.join('|');
    let row = this.rows.get(key);
    if (!row) {
      row = { codes: indexes, cells: this.measures.map(() => undefined) };
      this.rows.set(key, row);
    }
    if (row.cells[m] !== undefined) {
      const names = this.dimensions.map((dim, d) => `${dim.key}=${dim.codes[indexes[d] ?? 0]?.key}`).join(', ');
      this.problems.add(where, `duplicate observation: ${measureKey} for ${names} was given before`);
      return;
    }
    row.cells[m] = cell;
  }

  /**
   * The table in the dataset format. A combination that has some measures but not others gets "."
   * for the missing ones only when `complete` allows it; a table is complete when every
   * combination of codes has every measure.
   */
  build(meta: { id: string; title: string; description?: string }, notes: string[]): DatasetInput['tables'][number] {
    const combos = this.dimensions.reduce((n, d) => n * d.codes.length, 1);
    const ordered = [...this.rows.values()].sort((a, b) => {
      for (let i = 0; i < a.codes.length; i++) {
        const diff = (a.codes[i] ?? 0) - (b.codes[i] ?? 0);
        if (diff !== 0) return diff;
      }
      return 0;
    });
    let partial = 0;
    const rows = ordered.map((row) => {
      const out: Record<string, unknown> = {};
      this.dimensions.forEach((dim, d) => {
        out[dim.key] = dim.codes[row.codes[d] ?? 0]?.key;
      });
      this.measures.forEach((m, i) => {
        const cell = row.cells[i];
        if (cell === undefined) partial++;
        out[m.key] = cell ?? '.';
      });
      return out;
    });
    const complete = rows.length === combos && partial === 0;
    if (!complete)
      notes.push(
        `${meta.id}: ${rows.length} of ${combos} code combinations have figures; the table is marked as an excerpt (complete: false)` +
          (partial > 0 ? `, and ${partial} missing measure values of present combinations are written as "." (unknown)` : ''),
      );
    return {
      id: meta.id,
      title: meta.title,
      ...(meta.description ? { description: meta.description } : {}),
      footnotes: [],
      source: 'CBS',
      complete,
      dimensions: this.dimensions.map((d) => ({ ...d, codes: d.codes.map((c) => ({ ...c })) })),
      measures: this.measures.map((m) => ({ ...m })),
      rows,
    };
  }
}

/** A lower-case table id from a StatLine identifier or title ("84a0e7b2" → "t84a0e7b2"). */
export function tableIdFrom(text: string): string {
  const id = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return id === '' ? 'tabel' : /^[a-z0-9]/.test(id) ? id : `t${id}`;
}

/** Marks the total of a category code list: the code StatLine names "Totaal…" with a T-code (T001). */
export function markTotals(dim: ImportDimension, notes: string[]): void {
  if (dim.kind === 'geo') return;
  if (dim.kind === 'time') return;
  const totals = dim.codes.filter((c) => /^T\d+$/.test(c.key) && /^totaal/i.test(c.title));
  if (totals.length === 1 && totals[0]) {
    totals[0].total = true;
    notes.push(`${dim.key}: code ${totals[0].key} "${totals[0].title}" is taken as the total (T-code titled "Totaal")`);
  }
}

/** Sets the levels of a geo code list from the codes (NL01 nederland, LD landsdeel, PV provincie, VT Veilig Thuis-regio). */
export function setRegionLevels(dim: ImportDimension, notes: string[]): void {
  if (dim.kind !== 'geo') return;
  const unknown: string[] = [];
  for (const code of dim.codes) {
    const level = levelOfRegionCode(code.key);
    if (level) code.level = level;
    else unknown.push(code.key);
  }
  if (unknown.length > 0)
    notes.push(`${dim.key}: no level for ${unknown.length} region code(s) (${unknown.slice(0, 5).join(', ')}): the codes do not tell one`);
}
