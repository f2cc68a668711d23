// The findings of the checks before publishing without the page (bevindingen.js shows them):
// figures and cells as the publication prints them, the findings grouped by rule, the dataset's
// tables indexed for the grids, and the report as CSV. Pure: no DOM; tests/unit/page/ tests it.

/** @typedef {import('./page-types.js').CheckReport} CheckReport */
/** @typedef {import('./page-types.js').Finding} Finding */
/** @typedef {import('./page-types.js').FindingCell} FindingCell */
/** @typedef {import('./page-types.js').RuleSummary} RuleSummary */
/** @typedef {import('./page-types.js').Severity} Severity */
/** @typedef {import('./page-types.js').DatasetFile} DatasetFile */
/** @typedef {import('./page-types.js').DatasetTable} DatasetTable */
/** @typedef {import('./page-types.js').DatasetRow} DatasetRow */
/** @typedef {{ table: DatasetTable, rows: Map<string, DatasetRow> }} TableEntry */
/** @typedef {{ rule: RuleSummary | undefined, severity: Severity, findings: Finding[] }} RuleGroup */

const number = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

/** A figure as the publication prints it: a space between thousands ("53 080"), a decimal comma. @param {number} n */
export const figure = (n) => number.format(n).replace(/\./g, '\u00a0');
/** @param {number} n @param {string} one @param {string} many */
export const plural = (n, one, many) => `${figure(n)} ${n === 1 ? one : many}`;
/** A title without its footnote marks ("[^1]"). @param {unknown} text */
export const stripNotes = (text) => String(text).replace(/\[\^\d{1,2}\]/g, '');

/** A cell as the publication prints it: Dutch digits, "." as is, blank as "leeg". @param {string | number | null | undefined} value */
export function shownValue(value) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return figure(value);
  return value === '' ? 'leeg' : value;
}

/** @param {string} tableId @param {Readonly<Record<string, unknown>>} codes @param {string} measure */
export const keyOf = (tableId, codes, measure) => `${tableId}\u0001${Object.values(codes).join('\u0000')}\u0001${measure}`;

/** The findings of one rule, with the cells each one marks. */
/** @param {CheckReport} checks @returns {RuleGroup[]} */
export function groupByRule(checks) {
  /** @type {Map<string, RuleGroup>} */
  const groups = new Map();
  for (const finding of checks.findings) {
    let group = groups.get(finding.ruleId);
    if (!group) {
      const rule = checks.rules.find((r) => r.id === finding.ruleId);
      group = { rule, severity: finding.severity, findings: [] };
      groups.set(finding.ruleId, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()];
}

/** The dataset's tables by id, with a lookup from code combination to row. */
/** @param {DatasetFile | null} dataset */
export function indexTables(dataset) {
  /** @type {Map<string, TableEntry>} */
  const tables = new Map();
  for (const table of dataset?.tables ?? []) {
    /** @type {Map<string, DatasetRow>} */
    const rows = new Map();
    for (const row of table.rows) rows.set(table.dimensions.map((d) => row[d.key]).join('\u0000'), row);
    tables.set(table.id, { table, rows });
  }
  return tables;
}

/** @param {DatasetTable} table @param {DatasetRow} row */
export function rowLabel(table, row) {
  const varying = table.dimensions.filter((d) => d.codes.length > 1);
  const dims = varying.length > 0 ? varying : table.dimensions;
  return dims.map((d) => stripNotes(d.codes.find((c) => c.key === row[d.key])?.title ?? row[d.key])).join(' · ');
}

/** @param {unknown} value */
function csvField(value) {
  const text = String(value ?? '');
  return /[";\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The report as CSV with ";" (Excel in Dutch opens it as columns), one finding a line. */
/** @param {CheckReport} checks */
export function toCsv(checks) {
  const head = ['ernst', 'regel', 'tabel', 'rij', 'maat', 'cijfers', 'verwacht', 'melding'];
  const lines = checks.findings.map((f) =>
    [
      f.severity === 'error' ? 'fout' : 'waarschuwing',
      f.ruleId,
      f.tableTitle ?? '',
      f.codes.map((c) => `${c.dimensionTitle}: ${c.title} (${c.code})`).join('; '),
      f.measure ? f.measure.title : '',
      f.values.map((v) => `${v.label}: ${shownValue(v.value)}`).join('; '),
      f.expected,
      f.message,
    ]
      .map(csvField)
      .join(';'),
  );
  return `\ufeff${[head.join(';'), ...lines].join('\r\n')}\r\n`;
}

/**
 * The rules of the accepted warnings, by the findings' ids (rule|table|codes|measure), each once.
 * @param {readonly string[]} findingIds
 */
export function acceptedRules(findingIds) {
  return [...new Set(findingIds.map((id) => id.split('|')[0]))].join(', ');
}
