import { type Cell, type DataTable, type Dataset, resolveCodes, rowKey, stripFootnoteMarkers, totalCode } from '../model/dataset.js';
import type { Dimension, Measure } from '../model/dataset-schema.js';
import type { CheckOptions } from './check-dataset.js';
import {
  at,
  cellAt,
  cellOf,
  cellShown,
  cellValue,
  codeTitle,
  fmt,
  forEachCell,
  placeOf,
  selectMeasures,
  type Tally,
  tableWide,
} from './finding-kit.js';
import type { CompiledRule } from './rules.js';
import type { TemplateFacts } from './template-facts.js';

/** The kinds of declared rules (docs/checks.md): each confronts the dataset with one rule of the rule file. */

export function tablesOf(
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

export function runRule(
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
