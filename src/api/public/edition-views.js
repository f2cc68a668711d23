// Views of an edition on the editor's page, used by step 3 and the publications list: its files
// to download and its changed cells.

import { h, srOnly } from './dom.js';
import { artifactMeta, changeText, formatWhole, plural, shownFigure } from './format.js';

/** @typedef {import('./page-types.js').Artifact} Artifact */
/** @typedef {import('./page-types.js').ChangedCells} ChangedCells */
/** @typedef {import('./page-types.js').ChangedCell} ChangedCell */

/**
 * The download list of an edition: name, kind, size and date of each file.
 * @param {readonly Artifact[]} artifacts
 * @param {string | null | undefined} createdAt
 * @param {number} edition
 */
export function fileList(artifacts, createdAt, edition) {
  return h(
    'ul',
    { class: 'files' },
    artifacts.map((a) =>
      h(
        'li',
        {},
        h('a', { href: a.links.download, download: a.name, class: 'file-link' }, a.name, srOnly(`, editie ${edition}`)),
        h('span', { class: 'meta' }, artifactMeta(a, createdAt)),
      ),
    ),
  );
}

/**
 * The changed cells of a corrected edition, one table per dataset table.
 * @param {ChangedCells | null | undefined} record
 * @returns {HTMLElement[]}
 */
export function changedCellsView(record) {
  if (!record) return [h('p', {}, 'De gewijzigde cellen zijn bij deze editie niet vastgelegd. Ze staan in het erratum (PDF).')];
  const intro = h(
    'p',
    {},
    `${plural(record.total, 'cel', 'cellen')} gewijzigd ten opzichte van de vorige editie.`,
    record.cells.length < record.total ? ` Hieronder staan de eerste ${formatWhole(record.cells.length)}; alle staan in het erratum.` : '',
  );
  /** @type {Map<string, ChangedCell[]>} */
  const groups = new Map();
  for (const cell of record.cells) {
    const group = groups.get(cell.tableId);
    if (group) group.push(cell);
    else groups.set(cell.tableId, [cell]);
  }
  const tables = [...groups.values()].map((cells) =>
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'changes' },
        h('caption', {}, `${cells[0]?.tableTitle} `, h('span', { class: 'meta' }, `(${plural(cells.length, 'cel', 'cellen')})`)),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Rij', 'Kolom', 'Was', 'Wordt', 'Toelichting'].map((t) =>
              h('th', { scope: 'col', class: t === 'Was' || t === 'Wordt' ? 'num' : null }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          cells.map((c) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', 'data-label': 'Rij' }, c.rowLabel),
              h('td', { 'data-label': 'Kolom' }, c.columnTitle),
              h('td', { 'data-label': 'Was', class: 'num' }, shownFigure(c.oldText)),
              h('td', { 'data-label': 'Wordt', class: 'num' }, shownFigure(c.newText)),
              h('td', { 'data-label': 'Toelichting' }, changeText(c.kind, c.movedFromLabel)),
            ),
          ),
        ),
      ),
    ),
  );
  return [intro, ...tables];
}
