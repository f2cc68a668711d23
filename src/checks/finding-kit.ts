import { type Cell, type DataTable, rowKey, stripFootnoteMarkers } from '../model/dataset.js';
import type { Dimension, Measure } from '../model/dataset-schema.js';
import { formatNumber } from '../model/number-format.js';
import type { MeasureSelector } from './rules.js';
import { type Finding, type FindingCell, MAX_FINDINGS_PER_RULE, type RuleSummary, type Severity } from './types.js';

/** What the rule kinds and built-in checks share: counting per rule, and describing a finding's place. */

export type RuleMeta = {
  readonly id: string;
  readonly kind: string;
  readonly severity: Severity;
  readonly text: string;
  readonly builtIn: boolean;
};

/** Collects the findings and counts of one rule. */
export class Tally {
  items = 0;
  passes = 0;
  fails = 0;
  skipped = 0;
  readonly findings: Finding[] = [];
  constructor(readonly meta: RuleMeta) {}
  pass(): void {
    this.items++;
    this.passes++;
  }
  skip(): void {
    this.items++;
    this.skipped++;
  }
  /** Counts a failure; `make` builds its finding only while the rule has fewer than MAX_FINDINGS_PER_RULE. */
  fail(make: () => Omit<Finding, 'ruleId' | 'severity' | 'id'> & { readonly severity?: Severity }): void {
    this.items++;
    this.fails++;
    if (this.findings.length >= MAX_FINDINGS_PER_RULE) return;
    const finding = make();
    const codes = finding.codes.map((c) => `${c.dimension}=${c.code}`).join(',');
    const id = [this.meta.id, finding.tableId ?? '', codes, finding.measure?.key ?? ''].join('|');
    const message = finding.message.charAt(0).toUpperCase() + finding.message.slice(1);
    this.findings.push({ ...finding, message, id, ruleId: this.meta.id, severity: finding.severity ?? this.meta.severity });
  }
  summary(): RuleSummary {
    const { id, kind, severity, text, builtIn } = this.meta;
    return { id, kind, severity, text, builtIn, items: this.items, passes: this.passes, fails: this.fails, skipped: this.skipped };
  }
}

export const fmt = (value: number, decimals = 0): string => formatNumber(value, Number.isInteger(value) ? 0 : Math.max(decimals, 1));

export function cellValue(cell: Cell | undefined): number | undefined {
  return cell?.kind === 'value' ? cell.value : undefined;
}

export function cellShown(cell: Cell | undefined): number | string | null {
  if (!cell) return null;
  return cell.kind === 'value' ? cell.value : cell.symbol;
}

export function codeTitle(dim: Dimension, key: string): string {
  return stripFootnoteMarkers(dim.codes.find((c) => c.key === key)?.title ?? key);
}

/** The codes of a row with their titles. */
export function rowCodes(table: DataTable, codes: readonly string[]) {
  return table.dimensions.map((dim, i) => ({
    dimension: dim.key,
    dimensionTitle: stripFootnoteMarkers(dim.title),
    code: codes[i] ?? '',
    title: codeTitle(dim, codes[i] ?? ''),
  }));
}

export function codeMap(table: DataTable, codes: readonly string[]): Record<string, string> {
  return Object.fromEntries(table.dimensions.map((d, i) => [d.key, codes[i] ?? '']));
}

export function cellOf(table: DataTable, codes: readonly string[], measure: string): FindingCell {
  return { tableId: table.id, codes: codeMap(table, codes), measure };
}

/** "tabel "Kerncijfers per Veilig Thuis-regio", Nederland, 1e halfjaar van 2019, Gestarte adviezen" */
export function placeOf(table: DataTable, codes: readonly string[], measure?: Measure): string {
  const row = table.dimensions.map((dim, i) => codeTitle(dim, codes[i] ?? '')).join(', ');
  return `tabel "${stripFootnoteMarkers(table.title)}", ${row}${measure ? `, ${stripFootnoteMarkers(measure.title)}` : ''}`;
}

export function measureRef(measure: Measure) {
  return { key: measure.key, title: stripFootnoteMarkers(measure.title) };
}

const PERCENT_UNITS = new Set(['procent', '%', 'percentage']);

export function selectMeasures(table: DataTable, selector: MeasureSelector): Measure[] {
  if (selector === 'all') return [...table.measures];
  if (selector === 'counts') return table.measures.filter((m) => m.unit === 'aantal');
  if (selector === 'percentages') return table.measures.filter((m) => PERCENT_UNITS.has(m.unit));
  return table.measures.filter((m) => selector.includes(m.key));
}

export function cellAt(table: DataTable, codes: readonly string[], mi: number): Cell | undefined {
  const ri = table.rowIndex.get(rowKey(codes));
  return ri === undefined ? undefined : table.rows[ri]?.cells[mi];
}

/** The place fields of a finding about a whole table (or, without a table, the publication). */
export function tableWide(table: DataTable | null) {
  return {
    tableId: table?.id ?? null,
    tableTitle: table ? stripFootnoteMarkers(table.title) : null,
    codes: [],
    measure: null,
    cells: [],
  } as const;
}

/** The place fields of a finding about one cell. */
export function at(table: DataTable, codes: readonly string[], measure: Measure, more: readonly FindingCell[] = []) {
  return {
    tableId: table.id,
    tableTitle: stripFootnoteMarkers(table.title),
    codes: rowCodes(table, codes),
    measure: measureRef(measure),
    cells: [cellOf(table, codes, measure.key), ...more],
  };
}

export function forEachCell(
  table: DataTable,
  measures: readonly Measure[],
  visit: (codes: readonly string[], measure: Measure, cell: Cell | undefined) => void,
): void {
  const indexes = measures.map((m) => table.measures.indexOf(m));
  for (const row of table.rows) {
    indexes.forEach((mi, i) => {
      const measure = measures[i];
      if (measure) visit(row.codes, measure, row.cells[mi]);
    });
  }
}
