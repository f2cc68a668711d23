import { type Cell, type DataTable, type Dataset, resolveCodes, rowKey, stripFootnoteMarkers } from '../model/dataset.js';
import type { Dimension, Measure } from '../model/dataset-schema.js';
import { formatNumber } from '../model/number-format.js';
import { diffDatasets } from '../render/errata/dataset-diff.js';
import type { CompiledRule, MeasureSelector, RuleSet } from './rules.js';
import type { TemplateFacts } from './template-facts.js';
import { type CheckReport, type Finding, type FindingCell, MAX_FINDINGS_PER_RULE, type RuleSummary, type Severity } from './types.js';

/** What a dataset is checked against besides its own figures. */
export interface CheckOptions {
  readonly rules: RuleSet;
  /** What the template's texts and tables name (see templateFacts); without it those checks are skipped. */
  readonly facts?: TemplateFacts;
  /** The dataset of the previous period, for period-on-period changes. */
  readonly previous?: Dataset;
  /** The edition this dataset corrects, for the checks of a correction. */
  readonly compare?: Dataset;
}

/** The built-in checks: they need no rule file. Their ids start with "ingebouwd-". */
export const BUILT_IN = {
  period: { id: 'ingebouwd-periode', text: 'Elke tabel bevat de periode van de publicatie; een tabel met één periode bevat alleen die.' },
  status: {
    id: 'ingebouwd-status',
    text: 'De status van de publicatie (voorlopig, nader voorlopig, definitief) is die van haar periode in elke tabel.',
  },
  codes: {
    id: 'ingebouwd-codelijst',
    text: 'Een regio-indeling is in elke tabel die haar gebruikt volledig: geen tabel mist een regio die een andere tabel heeft.',
  },
  names: {
    id: 'ingebouwd-sjabloon',
    text: 'Elke tabel, maat, dimensie en code die het sjabloon of een regel noemt, bestaat in de dataset.',
  },
  changedCodes: { id: 'ingebouwd-codes-vorige-periode', text: 'Codes die sinds de vorige periode zijn bijgekomen of verdwenen.' },
  correction: {
    id: 'ingebouwd-correctie',
    text: 'Een gecorrigeerde editie wijzigt cijfers of teksten, maar niet de periode of andere gegevens van de publicatie.',
  },
} as const;

type RuleMeta = {
  readonly id: string;
  readonly kind: string;
  readonly severity: Severity;
  readonly text: string;
  readonly builtIn: boolean;
};

/** Collects the findings and counts of one rule. */
class Tally {
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

const fmt = (value: number, decimals = 0): string => formatNumber(value, Number.isInteger(value) ? 0 : Math.max(decimals, 1));

function cellValue(cell: Cell | undefined): number | undefined {
  return cell?.kind === 'value' ? cell.value : undefined;
}

function cellShown(cell: Cell | undefined): number | string | null {
  if (!cell) return null;
  return cell.kind === 'value' ? cell.value : cell.symbol;
}

function codeTitle(dim: Dimension, key: string): string {
  return stripFootnoteMarkers(dim.codes.find((c) => c.key === key)?.title ?? key);
}

/** The codes of a row with their titles. */
function rowCodes(table: DataTable, codes: readonly string[]) {
  return table.dimensions.map((dim, i) => ({
    dimension: dim.key,
    dimensionTitle: stripFootnoteMarkers(dim.title),
    code: codes[i] ?? '',
    title: codeTitle(dim, codes[i] ?? ''),
  }));
}

function codeMap(table: DataTable, codes: readonly string[]): Record<string, string> {
  return Object.fromEntries(table.dimensions.map((d, i) => [d.key, codes[i] ?? '']));
}

function cellOf(table: DataTable, codes: readonly string[], measure: string): FindingCell {
  return { tableId: table.id, codes: codeMap(table, codes), measure };
}

/** "tabel "Kerncijfers per Veilig Thuis-regio", Nederland, 1e halfjaar van 2019, Gestarte adviezen" */
function placeOf(table: DataTable, codes: readonly string[], measure?: Measure): string {
  const row = table.dimensions.map((dim, i) => codeTitle(dim, codes[i] ?? '')).join(', ');
  return `tabel "${stripFootnoteMarkers(table.title)}", ${row}${measure ? `, ${stripFootnoteMarkers(measure.title)}` : ''}`;
}

function measureRef(measure: Measure) {
  return { key: measure.key, title: stripFootnoteMarkers(measure.title) };
}

const PERCENT_UNITS = new Set(['procent', '%', 'percentage']);

function selectMeasures(table: DataTable, selector: MeasureSelector): Measure[] {
  if (selector === 'all') return [...table.measures];
  if (selector === 'counts') return table.measures.filter((m) => m.unit === 'aantal');
  if (selector === 'percentages') return table.measures.filter((m) => PERCENT_UNITS.has(m.unit));
  return table.measures.filter((m) => selector.includes(m.key));
}

function cellAt(table: DataTable, codes: readonly string[], mi: number): Cell | undefined {
  const ri = table.rowIndex.get(rowKey(codes));
  return ri === undefined ? undefined : table.rows[ri]?.cells[mi];
}

/** Runs the rules and built-in checks on a dataset. Pure: no files, no clock, no network. */
export function checkDataset(dataset: Dataset, options: CheckOptions): CheckReport {
  const tallies: Tally[] = [];
  const tally = (meta: RuleMeta): Tally => {
    const t = new Tally(meta);
    tallies.push(t);
    return t;
  };
  const tableById = new Map(dataset.tables.map((t) => [t.id, t]));
  const names = tally({ ...BUILT_IN.names, kind: 'namen', severity: 'error', builtIn: true });
  const missingName = (message: string, tableId: string | null = null): void =>
    names.fail(() => ({
      ...tableWide(tableId ? (tableById.get(tableId) ?? null) : null),
      values: [],
      expected: 'een naam die in de dataset bestaat',
      message,
    }));

  checkPeriod(dataset, tally({ ...BUILT_IN.period, kind: 'periode', severity: 'error', builtIn: true }));
  checkStatus(dataset, tally({ ...BUILT_IN.status, kind: 'status', severity: 'error', builtIn: true }));
  checkRegionCodes(dataset, tally({ ...BUILT_IN.codes, kind: 'codelijst', severity: 'error', builtIn: true }));
  if (options.facts) checkTemplateNames(dataset, options.facts, names, missingName);

  for (const rule of options.rules.rules) {
    const t = tally({ id: rule.raw.id, kind: rule.raw.kind, severity: rule.severity, text: rule.raw.text, builtIn: false });
    const tables = tablesOf(dataset, rule, tableById, missingName);
    runRule(dataset, rule, tables, t, options, missingName);
  }

  if (options.previous)
    checkChangedCodes(
      dataset,
      options.previous,
      tally({ ...BUILT_IN.changedCodes, kind: 'codes-vorige-periode', severity: 'warning', builtIn: true }),
    );
  if (options.compare)
    checkCorrection(dataset, options.compare, tally({ ...BUILT_IN.correction, kind: 'correctie', severity: 'error', builtIn: true }));

  const findings = tallies.flatMap((t) => t.findings);
  const sorted = [...findings.filter((f) => f.severity === 'error'), ...findings.filter((f) => f.severity === 'warning')];
  return {
    publicationId: dataset.publication.id,
    period: dataset.publication.period.key,
    errors: sorted.filter((f) => f.severity === 'error').length,
    warnings: sorted.filter((f) => f.severity === 'warning').length,
    rules: tallies.map((t) => t.summary()),
    findings: sorted,
    truncatedRules: tallies.filter((t) => t.fails > t.findings.length).map((t) => t.meta.id),
  };
}

function tablesOf(
  dataset: Dataset,
  rule: CompiledRule,
  byId: ReadonlyMap<string, DataTable>,
  missing: (message: string, tableId?: string | null) => void,
): DataTable[] {
  const ids = rule.raw.tables;
  if (!ids) return [...dataset.tables];
  const found: DataTable[] = [];
  for (const id of ids) {
    const table = byId.get(id);
    if (table) found.push(table);
    else missing(`Regel "${rule.raw.id}" noemt tabel "${id}", maar de dataset heeft die tabel niet.`);
  }
  return found;
}

function runRule(
  dataset: Dataset,
  rule: CompiledRule,
  tables: readonly DataTable[],
  t: Tally,
  options: CheckOptions,
  missing: (message: string, tableId?: string | null) => void,
): void {
  const raw = rule.raw;
  const explicit = raw.tables !== undefined;
  switch (raw.kind) {
    case 'sum':
    case 'part':
      for (const table of tables) {
        const di = table.dimensions.findIndex((d) => d.key === raw.dimension);
        if (di < 0) {
          if (explicit) missing(`Regel "${raw.id}": tabel "${table.id}" heeft geen dimensie "${raw.dimension}".`, table.id);
          continue;
        }
        runTotals(table, di, raw, rule, t, explicit, missing);
      }
      return;
    case 'parent':
      for (const table of tables) runParents(table, raw.sum, rule, t);
      return;
    case 'rounding':
      for (const table of tables) {
        forEachCell(table, selectMeasures(table, raw.measures), (codes, measure, cell) => {
          const v = cellValue(cell);
          if (v === undefined) return t.skip();
          if (v % raw.base === 0) return t.pass();
          t.fail(() => ({
            ...at(table, codes, measure),
            values: [{ label: 'waarde', value: v }],
            expected: `een veelvoud van ${raw.base}`,
            message: `${placeOf(table, codes, measure)}: ${fmt(v)} is geen veelvoud van ${raw.base}${v < raw.base ? ' (staat hier een afgekapt getal, zoals "1.000" dat 1 werd?)' : ''}.`,
          }));
        });
      }
      return;
    case 'range':
      for (const table of tables) {
        forEachCell(table, selectMeasures(table, raw.measures), (codes, measure, cell) => {
          const v = cellValue(cell);
          if (v === undefined) return t.skip();
          if ((raw.min === undefined || v >= raw.min) && (raw.max === undefined || v <= raw.max)) return t.pass();
          const bounds =
            raw.min !== undefined && raw.max !== undefined
              ? `tussen ${fmt(raw.min)} en ${fmt(raw.max)}`
              : raw.min !== undefined
                ? `minstens ${fmt(raw.min)}`
                : `hoogstens ${fmt(raw.max ?? 0)}`;
          t.fail(() => ({
            ...at(table, codes, measure),
            values: [{ label: 'waarde', value: v }],
            expected: bounds,
            message: `${placeOf(table, codes, measure)}: ${fmt(v, measure.decimals)} ligt niet ${bounds}.`,
          }));
        });
      }
      return;
    case 'filled':
      for (const table of tables) {
        forEachCell(table, selectMeasures(table, raw.measures), (codes, measure, cell) => {
          if (!cell || cell.kind === 'value' || raw.allow.includes(cell.symbol)) return t.pass();
          const shown = cell.symbol === '' ? 'leeg ("kan niet voorkomen")' : '"." (onbekend of geheim)';
          const allowed =
            raw.allow.length === 0 ? 'een getal' : `een getal of ${raw.allow.map((a) => (a === '' ? 'leeg' : `"${a}"`)).join(' of ')}`;
          t.fail(() => ({
            ...at(table, codes, measure),
            values: [{ label: 'cel', value: cell.symbol }],
            expected: allowed,
            message: `${placeOf(table, codes, measure)}: de cel is ${shown}, maar hier hoort ${allowed}.`,
          }));
        });
      }
      return;
    case 'identity':
      runIdentity(dataset, raw, rule, t, missing);
      return;
    case 'condition':
      for (const table of tables) runCondition(table, rule, t, missing);
      return;
    case 'codes':
      for (const table of tables) {
        const dim = table.dimensions.find((d) => d.key === raw.dimension);
        if (!dim) {
          if (explicit) missing(`Regel "${raw.id}": tabel "${table.id}" heeft geen dimensie "${raw.dimension}".`, table.id);
          continue;
        }
        const have = new Set(dim.codes.filter((c) => raw.level === undefined || c.level === raw.level).map((c) => c.key));
        const lacking = raw.codes.filter((c) => !have.has(c));
        const extra = [...have].filter((c) => !raw.codes.includes(c));
        if (lacking.length === 0 && extra.length === 0) {
          t.pass();
          continue;
        }
        const parts = [
          lacking.length > 0 ? `mist ${lacking.length === 1 ? 'code' : 'codes'} ${lacking.join(', ')}` : '',
          extra.length > 0 ? `heeft ${extra.length === 1 ? 'een onbekende code' : 'onbekende codes'} ${extra.join(', ')}` : '',
        ].filter(Boolean);
        t.fail(() => ({
          ...tableWide(table),
          values: [
            { label: 'aantal codes', value: have.size },
            { label: 'verwacht', value: raw.codes.length },
          ],
          expected: `de ${raw.codes.length} codes ${raw.codes[0]} … ${raw.codes.at(-1)}`,
          message: `Tabel "${stripFootnoteMarkers(table.title)}", dimensie "${stripFootnoteMarkers(dim.title)}"${raw.level ? ` (${raw.level})` : ''} ${parts.join(' en ')}: ${have.size} in plaats van ${raw.codes.length} codes.`,
        }));
      }
      return;
    case 'change':
      if (options.previous) runChange(dataset, options.previous, raw, tables, t);
      return;
    case 'template-figures':
      if (options.facts) runTemplateFigures(dataset, options.facts, t);
      return;
  }
}

/** The place fields of a finding about a whole table (or, without a table, the publication). */
function tableWide(table: DataTable | null) {
  return {
    tableId: table?.id ?? null,
    tableTitle: table ? stripFootnoteMarkers(table.title) : null,
    codes: [],
    measure: null,
    cells: [],
  } as const;
}

const constantTolerances = new WeakMap<CompiledRule, number>();

/** A rule's tolerance for `parts` parts of `total`; a tolerance without names is computed once. */
function toleranceOf(rule: CompiledRule, parts: number, total: number): number {
  const expression = rule.tolerance;
  if (!expression) return 0;
  if (expression.names.length > 0) return Number(expression.evaluate({ parts, total }));
  let constant = constantTolerances.get(rule);
  if (constant === undefined) {
    constant = Number(expression.evaluate({}));
    constantTolerances.set(rule, constant);
  }
  return constant;
}

/** The sum of `values` against `whole` with the rule's tolerance; undefined when a figure is missing. */
function sumAgainst(values: readonly (number | undefined)[], whole: number | undefined, rule: CompiledRule) {
  if (whole === undefined || values.some((v) => v === undefined)) return undefined;
  const sum = (values as number[]).reduce((a, b) => a + b, 0);
  const tolerance = toleranceOf(rule, values.length, whole);
  return { sum, tolerance, diff: whole - sum, ok: Math.abs(whole - sum) <= tolerance + 1e-9 };
}

/** The place fields of a finding about one cell. */
function at(table: DataTable, codes: readonly string[], measure: Measure, more: readonly FindingCell[] = []) {
  return {
    tableId: table.id,
    tableTitle: stripFootnoteMarkers(table.title),
    codes: rowCodes(table, codes),
    measure: measureRef(measure),
    cells: [cellOf(table, codes, measure.key), ...more],
  };
}

function forEachCell(
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

function totalCode(dim: Dimension): string | undefined {
  const totals = dim.codes.filter((c) => c.total === true || c.level === 'nederland');
  return totals.length === 1 ? totals[0]?.key : undefined;
}

function runTotals(
  table: DataTable,
  di: number,
  raw: Extract<CompiledRule['raw'], { kind: 'sum' | 'part' }>,
  rule: CompiledRule,
  t: Tally,
  explicit: boolean,
  missing: (message: string, tableId?: string | null) => void,
): void {
  const dim = table.dimensions[di] as Dimension;
  const total = raw.total ?? totalCode(dim);
  if (total === undefined || !dim.codes.some((c) => c.key === total)) {
    missing(
      `Regel "${raw.id}": dimensie "${dim.key}" van tabel "${table.id}" heeft ${total ? `geen code "${total}"` : 'geen totaalcode'}.`,
      table.id,
    );
    return;
  }
  let parts = dim.codes.filter((c) => c.key !== total);
  if (raw.parts?.level !== undefined) parts = parts.filter((c) => c.level === raw.parts?.level);
  if (raw.parts?.codes !== undefined) {
    const wanted = raw.parts.codes;
    for (const code of wanted) {
      if (!dim.codes.some((c) => c.key === code))
        missing(`Regel "${raw.id}": dimensie "${dim.key}" van tabel "${table.id}" heeft geen code "${code}".`, table.id);
    }
    parts = parts.filter((c) => wanted.includes(c.key));
  }
  if (parts.length === 0) {
    if (explicit) missing(`Regel "${raw.id}": dimensie "${dim.key}" van tabel "${table.id}" heeft geen delen om op te tellen.`, table.id);
    return;
  }
  const measures = selectMeasures(table, raw.measures);
  const totalTitle = codeTitle(dim, total);
  for (const row of table.rows) {
    if (row.codes[di] !== total) continue;
    // The rows of the parts, looked up once for all measures.
    const partCodes = parts.map((p) => {
      const codes = [...row.codes];
      codes[di] = p.key;
      return codes;
    });
    const partRows = partCodes.map((codes) => {
      const ri = table.rowIndex.get(rowKey(codes));
      return ri === undefined ? undefined : table.rows[ri];
    });
    for (const measure of measures) {
      const mi = table.measures.indexOf(measure);
      const whole = cellValue(row.cells[mi]);
      const partCells: (Cell | undefined)[] = new Array(partRows.length);
      for (let i = 0; i < partRows.length; i++) partCells[i] = partRows[i]?.cells[mi];
      if (raw.kind === 'part') {
        const tolerance = whole === undefined ? 0 : toleranceOf(rule, 1, whole);
        for (let i = 0; i < partCells.length; i++) {
          const v = cellValue(partCells[i]);
          if (whole === undefined || v === undefined) t.skip();
          else if (v <= whole + tolerance) t.pass();
          else {
            const codes = partCodes[i] as string[];
            t.fail(() => ({
              ...at(table, codes, measure, [cellOf(table, row.codes, measure.key)]),
              values: [
                { label: codeTitle(dim, codes[di] ?? ''), value: v },
                { label: totalTitle, value: whole },
              ],
              expected: `hoogstens het totaal ${totalTitle} (${fmt(whole)})${tolerance ? ` + ${fmt(tolerance)}` : ''}`,
              message: `${placeOf(table, codes, measure)}: ${fmt(v)} is groter dan het totaal ${totalTitle} (${fmt(whole)}); dat zou ${fmt(Math.round((1000 * v) / whole) / 10)} procent geven.`,
            }));
          }
        }
        continue;
      }
      const checked = sumAgainst(partCells.map(cellValue), whole, rule);
      if (!checked || whole === undefined) {
        t.skip();
        continue;
      }
      if (checked.ok) {
        t.pass();
        continue;
      }
      const { sum, tolerance, diff } = checked;
      t.fail(() => ({
        ...at(
          table,
          row.codes,
          measure,
          partCodes.map((codes) => cellOf(table, codes, measure.key)),
        ),
        values: [
          { label: totalTitle, value: whole },
          { label: `som van ${parts.length} delen`, value: sum },
          { label: 'verschil', value: diff },
        ],
        expected: `gelijk aan de som van de delen${tolerance ? `, op ${fmt(tolerance)} na (afronding)` : ''}`,
        message: `${placeOf(table, row.codes, measure)}: het totaal ${fmt(whole)} wijkt ${fmt(Math.abs(diff))} af van de som van de ${parts.length} delen (${fmt(sum)}); toegestaan is ${fmt(tolerance)}.`,
      }));
    }
  }
}

function runParents(table: DataTable, sum: boolean, rule: CompiledRule, t: Tally): void {
  const children = table.measures.filter((m) => m.parent !== undefined);
  for (const row of table.rows) {
    for (const child of children) {
      const parent = table.measures.find((m) => m.key === child.parent) as Measure;
      const v = cellValue(row.cells[table.measures.indexOf(child)]);
      const p = cellValue(row.cells[table.measures.indexOf(parent)]);
      if (v === undefined || p === undefined) {
        t.skip();
        continue;
      }
      const tolerance = toleranceOf(rule, 1, p);
      if (v <= p + tolerance) {
        t.pass();
        continue;
      }
      t.fail(() => ({
        ...at(table, row.codes, child, [cellOf(table, row.codes, parent.key)]),
        values: [
          { label: stripFootnoteMarkers(child.title), value: v },
          { label: stripFootnoteMarkers(parent.title), value: p },
        ],
        expected: `hoogstens "${stripFootnoteMarkers(parent.title)}" (${fmt(p)})`,
        message: `${placeOf(table, row.codes, child)}: het deel "${stripFootnoteMarkers(child.title)}" (${fmt(v)}) is groter dan het geheel "${stripFootnoteMarkers(parent.title)}" (${fmt(p)}).`,
      }));
    }
    if (!sum) continue;
    for (const parent of table.measures.filter((m) => children.some((c) => c.parent === m.key))) {
      const parts = children.filter((c) => c.parent === parent.key);
      const p = cellValue(row.cells[table.measures.indexOf(parent)]);
      const checked = sumAgainst(
        parts.map((c) => cellValue(row.cells[table.measures.indexOf(c)])),
        p,
        rule,
      );
      if (!checked || p === undefined) {
        t.skip();
        continue;
      }
      if (checked.ok) {
        t.pass();
        continue;
      }
      const total = checked.sum;
      t.fail(() => ({
        ...at(
          table,
          row.codes,
          parent,
          parts.map((c) => cellOf(table, row.codes, c.key)),
        ),
        values: [
          { label: stripFootnoteMarkers(parent.title), value: p },
          { label: 'som van de waarvan-delen', value: total },
        ],
        expected: `gelijk aan de som van de waarvan-delen${checked.tolerance ? `, op ${fmt(checked.tolerance)} na` : ''}`,
        message: `${placeOf(table, row.codes, parent)}: ${fmt(p)} is niet de som van de waarvan-delen (${fmt(total)}).`,
      }));
    }
  }
}

function runIdentity(
  dataset: Dataset,
  raw: Extract<CompiledRule['raw'], { kind: 'identity' }>,
  rule: CompiledRule,
  t: Tally,
  missing: (message: string, tableId?: string | null) => void,
): void {
  const resolved: { table: DataTable; codes: string[]; measure: Measure; cell: Cell | undefined }[] = [];
  for (const ref of raw.cells) {
    const table = dataset.tables.find((x) => x.id === ref.table);
    const measure = table?.measures.find((m) => m.key === ref.measure);
    if (!table || !measure) {
      missing(
        `Regel "${raw.id}" noemt ${table ? `maat "${ref.measure}" van ` : ''}tabel "${ref.table}", die de dataset niet heeft.`,
        table?.id ?? null,
      );
      return;
    }
    let codes: string[];
    try {
      codes = resolveCodes(dataset, table, ref.codes);
    } catch (error) {
      missing(`Regel "${raw.id}": ${error instanceof Error ? error.message : String(error)}`, table.id);
      return;
    }
    resolved.push({ table, codes, measure, cell: cellAt(table, codes, table.measures.indexOf(measure)) });
  }
  const values = resolved.map((r) => cellValue(r.cell));
  const first = resolved[0];
  const base = values[0];
  if (!first || base === undefined || values.some((v) => v === undefined)) {
    t.skip();
    return;
  }
  const tolerance = toleranceOf(rule, resolved.length, base);
  const odd = resolved.findIndex((_, i) => Math.abs((values[i] as number) - base) > tolerance + 1e-9);
  if (odd < 0) {
    t.pass();
    return;
  }
  const other = resolved[odd] as (typeof resolved)[number];
  t.fail(() => ({
    ...at(
      other.table,
      other.codes,
      other.measure,
      resolved.filter((_, i) => i !== odd).map((r) => cellOf(r.table, r.codes, r.measure.key)),
    ),
    values: resolved.map((r, i) => ({ label: placeOf(r.table, r.codes, r.measure), value: values[i] ?? null })),
    expected: `gelijk aan ${placeOf(first.table, first.codes, first.measure)} (${fmt(base)})`,
    message: `${placeOf(other.table, other.codes, other.measure)} is ${fmt(values[odd] as number)}, maar ${placeOf(first.table, first.codes, first.measure)} is ${fmt(base)}; die horen gelijk te zijn.`,
  }));
  // The cells of other tables are marked on their own grid.
}

function runCondition(table: DataTable, rule: CompiledRule, t: Tally, missing: (message: string, tableId?: string | null) => void): void {
  const condition = rule.condition;
  if (!condition) return;
  const indexes = new Map(condition.names.map((n) => [n, table.measures.findIndex((m) => m.key === n)]));
  const absent = [...indexes].filter(([, i]) => i < 0).map(([n]) => n);
  if (absent.length > 0) {
    missing(`Regel "${rule.raw.id}": tabel "${table.id}" heeft geen maat ${absent.map((n) => `"${n}"`).join(', ')}.`, table.id);
    return;
  }
  for (const row of table.rows) {
    const values: Record<string, number> = {};
    let complete = true;
    for (const [name, mi] of indexes) {
      const v = cellValue(row.cells[mi]);
      if (v === undefined) complete = false;
      else values[name] = v;
    }
    if (!complete) {
      t.skip();
      continue;
    }
    if (condition.evaluate(values) === true) {
      t.pass();
      continue;
    }
    const measures = condition.names.map((n) => table.measures[indexes.get(n) ?? 0] as Measure);
    const first = measures[0] as Measure;
    t.fail(() => ({
      ...at(
        table,
        row.codes,
        first,
        measures.slice(1).map((m) => cellOf(table, row.codes, m.key)),
      ),
      values: measures.map((m) => ({ label: stripFootnoteMarkers(m.title), value: values[m.key] ?? null })),
      expected: condition.source,
      message: `${placeOf(table, row.codes)}: de voorwaarde "${condition.source}" geldt niet (${measures.map((m) => `${m.key} = ${fmt(values[m.key] ?? 0)}`).join(', ')}).`,
    }));
  }
}

function timeIndex(table: DataTable): number {
  return table.dimensions.findIndex((d) => d.kind === 'time');
}

function runChange(
  dataset: Dataset,
  previous: Dataset,
  raw: Extract<CompiledRule['raw'], { kind: 'change' }>,
  tables: readonly DataTable[],
  t: Tally,
): void {
  for (const table of tables) {
    const before = previous.tables.find((x) => x.id === table.id);
    if (!before) continue;
    const ti = timeIndex(table);
    const beforeTi = timeIndex(before);
    const beforePeriod =
      ti >= 0 ? before.dimensions[beforeTi]?.codes.find((c) => c.key === previous.publication.period.key)?.key : undefined;
    if (before.dimensions.map((d) => d.key).join() !== table.dimensions.map((d) => d.key).join()) continue;
    for (const measure of selectMeasures(table, raw.measures)) {
      const mi = table.measures.indexOf(measure);
      const bmi = before.measures.findIndex((m) => m.key === measure.key);
      if (bmi < 0) continue;
      for (const row of table.rows) {
        if (ti >= 0 && row.codes[ti] !== dataset.publication.period.key) continue;
        const codes = [...row.codes];
        if (ti >= 0) {
          if (beforePeriod === undefined) continue;
          codes[ti] = beforePeriod;
        }
        const now = cellValue(row.cells[mi]);
        const then = cellValue(cellAt(before, codes, bmi));
        if (now === undefined || then === undefined) {
          t.skip();
          continue;
        }
        const delta = now - then;
        const relative = then === 0 ? (now === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(delta) / then;
        if (relative <= raw.relative || Math.abs(delta) <= raw.absolute) {
          t.pass();
          continue;
        }
        const percent = Number.isFinite(relative) ? `${delta < 0 ? '-' : '+'}${fmt(Math.round(relative * 1000) / 10)} procent` : 'van 0';
        t.fail(() => ({
          ...at(table, row.codes, measure),
          values: [
            { label: previous.publication.period.title, value: then },
            { label: dataset.publication.period.title, value: now },
            { label: 'verschil', value: delta },
          ],
          expected: `een verandering van hoogstens ${fmt(raw.relative * 100)} procent of ${fmt(raw.absolute)}`,
          message: `${placeOf(table, row.codes, measure)}: van ${fmt(then)} in het ${previous.publication.period.title} naar ${fmt(now)} (${delta > 0 ? '+' : ''}${fmt(delta)}, ${percent}).`,
        }));
      }
    }
  }
}

function runTemplateFigures(dataset: Dataset, facts: TemplateFacts, t: Tally): void {
  for (const use of facts.figures) {
    const table = dataset.tables.find((x) => x.id === use.table);
    const mi = table ? table.measures.findIndex((m) => m.key === use.measure) : -1;
    if (!table || mi < 0) continue; // reported by the names check
    const measure = table.measures[mi] as Measure;
    let codes: string[];
    let wholeCodes: string[] | undefined;
    try {
      codes = resolveCodes(dataset, table, use.coords);
      if (use.of) {
        const whole: Record<string, string> = { ...use.coords };
        for (const key of use.of) {
          const dim = table.dimensions.find((d) => d.key === key);
          const total = dim ? totalCode(dim) : undefined;
          if (total) whole[key] = total;
        }
        wholeCodes = resolveCodes(dataset, table, whole);
      }
    } catch {
      continue; // reported by the names check
    }
    const cell = cellAt(table, codes, mi);
    const v = cellValue(cell);
    const wholeCell = wholeCodes ? cellAt(table, wholeCodes, mi) : undefined;
    const w = cellValue(wholeCell);
    const extra = wholeCodes ? [cellOf(table, wholeCodes, measure.key)] : [];
    if (v === undefined || (wholeCodes && w === undefined)) {
      const bad = v === undefined ? cell : wholeCell;
      const shown =
        bad === undefined
          ? 'ontbreekt'
          : bad.kind === 'symbol' && bad.symbol === ''
            ? 'is leeg (kan niet voorkomen)'
            : 'is "." (onbekend of geheim)';
      t.fail(() => ({
        ...at(table, v === undefined ? codes : (wholeCodes as string[]), measure, extra),
        values: [{ label: 'cel', value: cellShown(bad) }],
        expected: 'een getal',
        message: `${use.place}: de tekst gebruikt ${placeOf(table, v === undefined ? codes : (wholeCodes as string[]), measure)}, maar die cel ${shown}.`,
      }));
      continue;
    }
    if (w !== undefined && (w <= 0 || v < 0 || v > w)) {
      t.fail(() => ({
        ...at(table, codes, measure, extra),
        values: [
          { label: 'deel', value: v },
          { label: 'geheel', value: w },
        ],
        expected: 'een percentage tussen 0 en 100',
        message: `${use.place}: de tekst zou "${w > 0 ? fmt(Math.round((1000 * v) / w) / 10) : '?'} procent" schrijven: ${placeOf(table, codes, measure)} (${fmt(v)}) van het totaal (${fmt(w)}).`,
      }));
      continue;
    }
    t.pass();
  }
}

function checkTemplateNames(
  dataset: Dataset,
  facts: TemplateFacts,
  t: Tally,
  missing: (message: string, tableId?: string | null) => void,
): void {
  const tableIds = dataset.tables.map((x) => x.id).join(', ');
  for (const use of facts.names) {
    const table = dataset.tables.find((x) => x.id === use.table);
    if (!table) {
      missing(`${use.place}: het sjabloon noemt tabel "${use.table}", maar de dataset heeft die niet (tabellen: ${tableIds}).`);
      continue;
    }
    if (use.dimension !== undefined) {
      const dim = table.dimensions.find((d) => d.key === use.dimension);
      if (!dim) {
        missing(`${use.place}: tabel "${table.id}" heeft geen dimensie "${use.dimension}".`, table.id);
        continue;
      }
      if (use.level !== undefined && !dim.codes.some((c) => c.level === use.level)) {
        missing(`${use.place}: dimensie "${dim.key}" van tabel "${table.id}" heeft geen codes van niveau "${use.level}".`, table.id);
        continue;
      }
    }
    t.pass();
  }
  for (const use of facts.figures) {
    const table = dataset.tables.find((x) => x.id === use.table);
    if (!table) {
      missing(`${use.place}: de tekst gebruikt tabel "${use.table}", maar de dataset heeft die niet (tabellen: ${tableIds}).`);
      continue;
    }
    if (!table.measures.some((m) => m.key === use.measure)) {
      missing(
        `${use.place}: tabel "${table.id}" heeft geen maat "${use.measure}" (maten: ${table.measures.map((m) => m.key).join(', ')}).`,
        table.id,
      );
      continue;
    }
    try {
      resolveCodes(dataset, table, use.coords);
      t.pass();
    } catch (error) {
      missing(`${use.place}: ${error instanceof Error ? error.message : String(error)}.`, table.id);
    }
  }
}

function checkPeriod(dataset: Dataset, t: Tally): void {
  const period = dataset.publication.period;
  for (const table of dataset.tables) {
    for (const dim of table.dimensions) {
      if (dim.kind !== 'time') continue;
      const only = dim.codes.length === 1;
      if (dim.codes.some((c) => c.key === period.key)) {
        t.pass();
        continue;
      }
      const codes = dim.codes.map((c) => `${c.key} (${c.title})`).join(', ');
      t.fail(() => ({
        ...tableWide(table),
        values: [
          { label: 'periode van de publicatie', value: `${period.key} (${period.title})` },
          { label: `periode${only ? '' : 's'} in de tabel`, value: codes },
        ],
        expected: `periode ${period.key} (${period.title})`,
        message: `Tabel "${stripFootnoteMarkers(table.title)}" bevat ${only ? 'alleen periode' : 'de perioden'} ${codes}, maar de publicatie gaat over ${period.key} (${period.title}).`,
      }));
    }
  }
}

function checkStatus(dataset: Dataset, t: Tally): void {
  const { period, status } = dataset.publication;
  for (const table of dataset.tables) {
    for (const dim of table.dimensions) {
      if (dim.kind !== 'time') continue;
      const code = dim.codes.find((c) => c.key === period.key);
      if (!code || code.status === undefined) continue;
      if (code.status === status) {
        t.pass();
        continue;
      }
      t.fail(() => ({
        ...tableWide(table),
        values: [
          { label: 'status van de publicatie', value: status },
          { label: `status van ${period.key} in de tabel`, value: code.status ?? null },
        ],
        expected: `status "${status}"`,
        message: `De publicatie heeft status "${status}", maar in tabel "${stripFootnoteMarkers(table.title)}" heeft periode ${period.key} status "${code.status}"; maak ze gelijk.`,
      }));
    }
  }
}

/** A geographic level used in several tables has the same codes in each: a region left out of one is found. */
function checkRegionCodes(dataset: Dataset, t: Tally): void {
  const byLevel = new Map<string, { table: DataTable; dim: Dimension; codes: Set<string> }[]>();
  for (const table of dataset.tables) {
    for (const dim of table.dimensions) {
      if (dim.kind !== 'geo') continue;
      for (const level of new Set(dim.codes.map((c) => c.level ?? ''))) {
        if (level === '' || level === 'nederland') continue;
        const list = byLevel.get(level) ?? [];
        list.push({ table, dim, codes: new Set(dim.codes.filter((c) => c.level === level).map((c) => c.key)) });
        byLevel.set(level, list);
      }
    }
  }
  for (const [level, uses] of byLevel) {
    const all = new Set(uses.flatMap((u) => [...u.codes]));
    for (const use of uses) {
      const lacking = [...all].filter((c) => !use.codes.has(c)).sort();
      if (lacking.length === 0) {
        t.pass();
        continue;
      }
      const others = uses.filter((u) => u !== use).map((u) => `"${u.table.id}"`);
      t.fail(() => ({
        ...tableWide(use.table),
        values: [
          { label: `codes van niveau ${level}`, value: use.codes.size },
          { label: 'in andere tabellen', value: all.size },
        ],
        expected: `alle ${all.size} codes van niveau ${level}`,
        message: `Tabel "${stripFootnoteMarkers(use.table.title)}", dimensie "${stripFootnoteMarkers(use.dim.title)}" mist ${lacking.join(', ')} (niveau ${level}), die tabel ${others.join(', ')} wel heeft; een teksthelper zou ${use.codes.size} in plaats van ${all.size} tellen.`,
      }));
    }
  }
}

function checkChangedCodes(dataset: Dataset, previous: Dataset, t: Tally): void {
  for (const table of dataset.tables) {
    const before = previous.tables.find((x) => x.id === table.id);
    if (!before) continue;
    for (const dim of table.dimensions) {
      if (dim.kind === 'time') continue;
      const old = before.dimensions.find((d) => d.key === dim.key);
      if (!old) continue;
      const oldKeys = new Set(old.codes.map((c) => c.key));
      const newKeys = new Set(dim.codes.map((c) => c.key));
      const came = dim.codes.filter((c) => !oldKeys.has(c.key));
      const went = old.codes.filter((c) => !newKeys.has(c.key));
      if (came.length === 0 && went.length === 0) {
        t.pass();
        continue;
      }
      const list = (codes: readonly { key: string; title: string }[]) =>
        codes.map((c) => `${c.key} (${stripFootnoteMarkers(c.title)})`).join(', ');
      t.fail(() => ({
        ...tableWide(table),
        values: [
          { label: 'bijgekomen', value: list(came) || '–' },
          { label: 'verdwenen', value: list(went) || '–' },
        ],
        expected: `dezelfde codes als in het ${previous.publication.period.title}`,
        message: `Tabel "${stripFootnoteMarkers(table.title)}", dimensie "${stripFootnoteMarkers(dim.title)}": ${[came.length ? `bijgekomen ${list(came)}` : '', went.length ? `verdwenen ${list(went)}` : ''].filter(Boolean).join('; ')} sinds het ${previous.publication.period.title}.`,
      }));
    }
  }
}

/** True when a cell of a table both versions have reads differently (a quick scan, before the full diff). */
function someFigureDiffers(before: Dataset, after: Dataset): boolean {
  for (const table of after.tables) {
    const old = before.tables.find((t) => t.id === table.id);
    if (!old || old.measures.length !== table.measures.length) continue;
    if (old.measures.some((m, i) => m.key !== table.measures[i]?.key)) continue;
    for (const row of table.rows) {
      const ri = old.rowIndex.get(rowKey(row.codes));
      const oldRow = ri === undefined ? undefined : old.rows[ri];
      if (!oldRow) continue;
      for (let mi = 0; mi < row.cells.length; mi++) {
        const a = row.cells[mi];
        const b = oldRow.cells[mi];
        if (a?.kind !== b?.kind || cellValue(a) !== cellValue(b) || (a?.kind === 'symbol' && b?.kind === 'symbol' && a.symbol !== b.symbol))
          return true;
      }
    }
  }
  return false;
}

/** Publication fields a correction may not change: a different value means a different publication. */
const FIXED_FIELDS = [
  ['id', 'het id van de publicatie'],
  ['template', 'het sjabloon'],
  ['title', 'de titel'],
  ['period.key', 'de periode'],
  ['period.title', 'de naam van de periode'],
  ['status', 'de status van de cijfers'],
  ['publicationDate', 'de publicatiedatum'],
  ['language', 'de taal'],
] as const;

function field(dataset: Dataset, path: string): string {
  const p = dataset.publication as unknown as Record<string, unknown>;
  if (path.startsWith('period.')) return String((p.period as Record<string, unknown>)[path.slice(7)] ?? '');
  return String(p[path] ?? '');
}

function checkCorrection(dataset: Dataset, compare: Dataset, t: Tally): void {
  const base = tableWide(null);
  let changedMetadata = false;
  for (const [path, name] of FIXED_FIELDS) {
    const before = field(compare, path);
    const after = field(dataset, path);
    if (before === after) {
      t.pass();
      continue;
    }
    changedMetadata = true;
    t.fail(() => ({
      ...base,
      values: [
        { label: 'eerste editie', value: before },
        { label: 'correctie', value: after },
      ],
      expected: `${name} van de editie die wordt gecorrigeerd (${before})`,
      message: `Een correctie mag ${name} niet wijzigen ("${before}" werd "${after}"): ${path.startsWith('period') ? 'een nieuwe periode is een nieuwe publicatie, met een eigen id' : 'dat maakt er een andere publicatie van'}.`,
    }));
  }
  if (changedMetadata) return;
  // A changed figure settles it at once; otherwise the erratum's own diff decides (titles, codes, measures).
  if (someFigureDiffers(compare, dataset) || !diffDatasets(compare, dataset).identical) {
    t.pass();
    return;
  }
  const texts = JSON.stringify(compare.publication.texts) !== JSON.stringify(dataset.publication.texts);
  if (texts) {
    t.pass();
    return;
  }
  t.fail(() => ({
    ...base,
    values: [],
    expected: 'minstens één gewijzigd cijfer, label of tekst',
    message:
      'Geen wijzigingen: de cijfers en teksten zijn gelijk aan die van de editie die wordt gecorrigeerd; een correctie zonder wijzigingen wordt geen nieuwe editie.',
  }));
}
