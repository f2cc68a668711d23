// The findings of the checks before publishing on the editor's page (docs/checks.md): a summary,
// then per rule one group with the rule's text and a grid of the table in which the cells the rule
// is about are marked and numbered; the numbers lead to the findings listed under the grid. A
// report can be downloaded (CSV for Excel, JSON as the service gives it). Text goes in as text only.

import { h } from './dom.js';
import {
  acceptedRules,
  figure,
  groupByRule,
  indexTables,
  keyOf,
  plural,
  rowLabel,
  shownValue,
  stripNotes,
  toCsv,
} from './findings-report.js';

/** @typedef {import('./page-types.js').CheckReport} CheckReport */
/** @typedef {import('./page-types.js').Finding} Finding */
/** @typedef {import('./page-types.js').Severity} Severity */
/** @typedef {import('./page-types.js').DatasetFile} DatasetFile */
/** @typedef {import('./findings-report.js').TableEntry} TableEntry */
/** @typedef {import('./findings-report.js').RuleGroup} RuleGroup */
/** @typedef {import('./findings-report.js').FindingCell} FindingCell */
/** @typedef {{ codes: FindingCell['codes'], measure: string, numbers: number[], messages: string[] }} Mark */

/** A table with more rows than this shows only the rows the findings are about. */
const FULL_TABLE_ROWS = 40;
/** Rows and findings listed per group at most; the rest is counted. */
const MAX_GRID_ROWS = 60;
const MAX_LISTED = 25;
const MAX_COLUMNS = 6;

/**
 * A grid of one table: the rows and columns the findings are about, their cells marked and numbered.
 * @param {TableEntry} entry
 * @param {Map<string, Mark>} marks
 * @param {Severity} severity
 * @param {string} caption
 */
function gridView(entry, marks, severity, caption) {
  const { table } = entry;
  const involvedRows = new Set();
  const involvedMeasures = new Set();
  for (const mark of marks.values()) {
    involvedRows.add(Object.values(mark.codes).join('\u0000'));
    involvedMeasures.add(mark.measure);
  }
  const full = table.rows.length <= FULL_TABLE_ROWS;
  const rowsShown = (
    full ? table.rows : table.rows.filter((r) => involvedRows.has(table.dimensions.map((d) => r[d.key]).join('\u0000')))
  ).slice(0, MAX_GRID_ROWS);
  // A wide table shows only the columns the findings are about, so no marked cell is out of sight.
  const measures = table.measures.length <= MAX_COLUMNS ? table.measures : table.measures.filter((m) => involvedMeasures.has(m.key));
  const byKey = new Map(table.measures.map((m) => [m.key, m]));
  const head = h(
    'tr',
    {},
    h(
      'th',
      { scope: 'col' },
      table.dimensions
        .filter((d) => d.codes.length > 1)
        .map((d) => stripNotes(d.title))
        .join(' · ') || 'Rij',
    ),
    measures.map((m) =>
      h(
        'th',
        { scope: 'col', class: 'num' },
        m.parent ? h('span', { class: 'meta' }, `${stripNotes(byKey.get(m.parent)?.title ?? m.parent)}: `) : null,
        stripNotes(m.title),
      ),
    ),
  );
  const body = rowsShown.map((row) => {
    const codes = Object.fromEntries(table.dimensions.map((d) => [d.key, row[d.key]]));
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, rowLabel(table, row)),
      measures.map((m) => {
        const mark = marks.get(keyOf(table.id, codes, m.key));
        const value = shownValue(row[m.key]);
        if (!mark) return h('td', { class: 'num' }, value);
        if (mark.numbers.length === 0) {
          return h(
            'td',
            { class: 'num cell-related', title: 'Betrokken cel' },
            value,
            h('span', { class: 'visually-hidden' }, ' (betrokken cel)'),
          );
        }
        const label = `bevinding ${mark.numbers.join(', ')}`;
        return h(
          'td',
          { class: `num cell-${severity}`, title: mark.messages.join('\n') },
          h(
            'span',
            { class: 'cell-mark', 'aria-hidden': 'true' },
            mark.numbers.length > 3 ? `${mark.numbers.slice(0, 3).join(',')}…` : mark.numbers.join(','),
          ),
          value,
          h('span', { class: 'visually-hidden' }, ` (${label})`),
        );
      }),
    );
  });
  const note =
    !full || rowsShown.length < table.rows.length
      ? `Alleen de ${plural(rowsShown.length, 'rij', 'rijen')} met bevindingen van de ${figure(table.rows.length)}.`
      : null;
  return h(
    'div',
    { class: 'table-scroll findings-grid-wrap' },
    h('table', { class: 'findings-grid' }, h('caption', {}, caption), h('thead', {}, head), h('tbody', {}, body)),
    note ? h('p', { class: 'meta' }, note) : null,
  );
}

/** @param {Finding} finding @param {number} n */
function findingItem(finding, n) {
  const values = finding.values.map((v) => `${v.label}: ${shownValue(v.value)}`).join('; ');
  return h(
    'li',
    { value: n },
    finding.message,
    h('br'),
    h('span', { class: 'meta' }, values ? `Cijfers: ${values}. ` : '', `Verwacht: ${finding.expected}.`),
  );
}

/** @param {RuleGroup} group @param {Map<string, TableEntry>} tables */
function groupView(group, tables) {
  const { rule, severity, findings } = group;
  const badge = severity === 'error' ? 'Fout' : 'Waarschuwing';
  // Marks per table: a numbered mark for the cell a finding is about, an outline for the cells it involves.
  /** @type {Map<string, Map<string, Mark>>} */
  const marksByTable = new Map();
  /** @type {(cell: FindingCell, number: number | null, message: string) => void} */
  const mark = (cell, number, message) => {
    let marks = marksByTable.get(cell.tableId);
    if (!marks) {
      marks = new Map();
      marksByTable.set(cell.tableId, marks);
    }
    const key = keyOf(cell.tableId, cell.codes, cell.measure);
    let m = marks.get(key);
    if (!m) {
      m = { codes: cell.codes, measure: cell.measure, numbers: [], messages: [] };
      marks.set(key, m);
    }
    if (number !== null) {
      m.numbers.push(number);
      m.messages.push(message);
    }
  };
  findings.forEach((f, i) => {
    f.cells.forEach((cell, ci) => {
      if (ci === 0) mark(cell, i + 1, f.message);
    });
  });
  findings.forEach((f) => {
    for (const cell of f.cells.slice(1)) mark(cell, null, '');
  });
  const grids = [];
  for (const [tableId, marks] of marksByTable) {
    const entry = tables.get(tableId);
    if (entry) grids.push(gridView(entry, marks, severity, stripNotes(entry.table.title)));
  }
  const listed = findings.slice(0, MAX_LISTED).map((f, i) => findingItem(f, i + 1));
  const more =
    findings.length > MAX_LISTED
      ? h('p', { class: 'meta' }, `En nog ${plural(findings.length - MAX_LISTED, 'bevinding', 'bevindingen')}: zie het rapport.`)
      : null;
  const total = rule?.fails ?? findings.length;
  return h(
    'section',
    { class: `finding-group finding-group-${severity}`, 'aria-label': `${badge}: ${rule?.id ?? ''}` },
    h('h4', {}, h('span', { class: `badge badge-${severity}` }, badge), ' ', rule?.text ?? findings[0]?.ruleId),
    h(
      'p',
      { class: 'meta' },
      `Regel ${rule?.id ?? findings[0]?.ruleId}: ${plural(total, 'keer niet voldaan', 'keer niet voldaan')}`,
      rule ? ` van ${plural(rule.items, 'controle', 'controles')}` : '',
      '.',
    ),
    grids,
    grids.length > 0
      ? h(
          'p',
          { class: 'meta legend' },
          h('span', { class: `legend-mark cell-${severity}` }, '1'),
          ' cel van de bevinding met dat nummer ',
          findings.some((f) => f.cells.length > 1)
            ? [h('span', { class: 'legend-mark cell-related' }, '\u00a0'), ' cel die meetelt']
            : null,
        )
      : null,
    h('ol', { class: 'finding-list' }, listed),
    more,
  );
}

/** @param {string} text @param {string} type @param {string} name @param {string} label */
function downloadLink(text, type, name, label) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return h('a', { class: 'button button-secondary', href: url, download: name }, label);
}

/** Whether the editor ticked that the warnings may be accepted (sent as acceptWarnings). */
export function acceptsWarnings() {
  const box = document.getElementById('waarschuwingen-accepteren');
  return box instanceof HTMLInputElement && box.checked;
}

/**
 * Shows the checks of a valid dataset under its summary: `checks` as the validate endpoint gives
 * it, `text` the dataset file (for the grids). Sets the status line when there are findings.
 * @param {HTMLElement} container
 * @param {HTMLElement} statusEl
 * @param {CheckReport | undefined} checks
 * @param {string} text
 */
export function showFindings(container, statusEl, checks, text) {
  if (!checks) return;
  /** @type {DatasetFile | null} */
  let dataset = null;
  try {
    dataset = JSON.parse(text);
  } catch {
    dataset = null;
  }
  const tables = indexTables(dataset);
  const ruleCount = checks.rules.length;
  const checked = checks.rules.reduce((n, r) => n + r.items, 0);
  const base = (dataset?.publication?.id ?? 'controles').replace(/[^a-z0-9-]/g, '');
  const downloads = h(
    'p',
    { class: 'actions' },
    downloadLink(toCsv(checks), 'text/csv;charset=utf-8', `${base}-controles.csv`, 'Rapport downloaden (CSV)'),
    ' ',
    downloadLink(`${JSON.stringify(checks, null, 2)}\n`, 'application/json', `${base}-controles.json`, 'Rapport als JSON'),
  );
  const summary = h(
    'details',
    { class: 'rule-summary' },
    h('summary', {}, `Alle ${plural(ruleCount, 'controle', 'controles')} (${plural(checked, 'keer', 'keer')} toegepast)`),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'changes' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Regel', 'Soort', 'Gecontroleerd', 'Goed', 'Niet goed', 'Niet te controleren'].map((t, i) =>
              h('th', { scope: 'col', class: i > 1 ? 'num' : null }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          checks.rules.map((r) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, r.text, h('br'), h('span', { class: 'meta' }, r.id)),
              h('td', {}, r.severity === 'error' ? 'fout' : 'waarschuwing'),
              [r.items, r.passes, r.fails, r.skipped].map((n) => h('td', { class: 'num' }, figure(n))),
            ),
          ),
        ),
      ),
    ),
  );
  /** @type {HTMLElement} */
  let head;
  if (checks.errors > 0) {
    head = h(
      'div',
      { class: 'notice notice-error', tabindex: '-1' },
      h(
        'h3',
        {},
        h('span', { class: 'icon', 'aria-hidden': 'true' }, '✕ '),
        `De controles vinden ${plural(checks.errors, 'fout', 'fouten')}${checks.warnings > 0 ? ` en ${plural(checks.warnings, 'waarschuwing', 'waarschuwingen')}` : ''}`,
      ),
      h(
        'p',
        {},
        'Het bestand heeft het goede formaat, maar deze cijfers kunnen zo niet gepubliceerd worden. Hieronder staat per controle welke cellen niet kloppen: ' +
          'de cel van een bevinding heeft het nummer van de bevinding, de cellen die meetellen zijn gestippeld omlijnd. Verbeter de dataset en kies het bestand opnieuw.',
      ),
    );
    statusEl.textContent = `Niet te publiceren: ${plural(checks.errors, 'fout', 'fouten')} in de cijfers.`;
    statusEl.dataset.kind = 'error';
  } else if (checks.warnings > 0) {
    head = h(
      'div',
      { class: 'notice notice-warning', tabindex: '-1' },
      h(
        'h3',
        {},
        h('span', { class: 'icon', 'aria-hidden': 'true' }, '! '),
        `De controles geven ${plural(checks.warnings, 'waarschuwing', 'waarschuwingen')}`,
      ),
      h(
        'p',
        {},
        'De cijfers kunnen gepubliceerd worden, maar kijk eerst of de gemarkeerde cijfers kloppen. Wie de waarschuwingen accepteert, wordt met de editie vastgelegd.',
      ),
      h(
        'p',
        { class: 'accept' },
        h('input', { type: 'checkbox', id: 'waarschuwingen-accepteren' }),
        ' ',
        h(
          'label',
          { for: 'waarschuwingen-accepteren' },
          `Ik heb de ${plural(checks.warnings, 'waarschuwing', 'waarschuwingen')} bekeken en accepteer ze voor deze editie.`,
        ),
      ),
    );
    statusEl.textContent = `Geldig, met ${plural(checks.warnings, 'waarschuwing', 'waarschuwingen')}: bekijk ze voordat u de publicatie maakt.`;
    statusEl.dataset.kind = 'warning';
  } else {
    head = h(
      'div',
      { class: 'notice notice-ok' },
      h('h3', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓ '), 'De cijfers doorstaan alle controles'),
      h(
        'p',
        {},
        `${plural(ruleCount, 'controle', 'controles')} vóór publicatie, ${plural(checked, 'keer', 'keer')} toegepast: geen fouten en geen waarschuwingen.`,
      ),
    );
  }
  const groups = groupByRule(checks).map((g) => groupView(g, tables));
  container.append(h('section', { class: 'findings', 'aria-label': 'Controles vóór publicatie' }, head, groups, summary, downloads));
}

const moment = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });

/**
 * A line for an edition whose warnings were accepted: who, when, how many (null when none were).
 * @param {import('./page-types.js').EditionChecks | null | undefined} checks
 */
export function acceptanceNote(checks) {
  const acceptance = checks?.acceptance;
  if (!acceptance) return null;
  const rules = acceptedRules(acceptance.findings);
  return h(
    'p',
    { class: 'meta acceptance-note' },
    `${plural(acceptance.findings.length, 'waarschuwing', 'waarschuwingen')} van de controles geaccepteerd door ${acceptance.by} op ${moment.format(new Date(acceptance.at))}`,
    rules ? ` (${rules})` : '',
    '.',
  );
}
