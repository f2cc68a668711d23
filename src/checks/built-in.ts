import { type DataTable, type Dataset, resolveCodes, rowKey, stripFootnoteMarkers } from '../model/dataset.js';
import type { Dimension } from '../model/dataset-schema.js';
import { diffDatasets } from '../render/errata/dataset-diff.js';
import { cellValue, type Tally, tableWide } from './finding-kit.js';
import type { TemplateFacts } from './template-facts.js';

/** The built-in checks (docs/checks.md): they need no rule file. */

export function checkTemplateNames(
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

export function checkPeriod(dataset: Dataset, t: Tally): void {
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

export function checkStatus(dataset: Dataset, t: Tally): void {
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
export function checkRegionCodes(dataset: Dataset, t: Tally): void {
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

export function checkChangedCodes(dataset: Dataset, previous: Dataset, t: Tally): void {
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

export function checkCorrection(dataset: Dataset, compare: Dataset, t: Tally): void {
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
