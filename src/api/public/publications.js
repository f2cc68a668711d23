// The publications the service knows on the editor's page, each with its editions (loaded when
// opened): state, embargo, erratum, acceptance of warnings, files and changed cells.

import { api } from './api.js';
import { acceptanceNote } from './bevindingen.js';
import { $, fill, h, setStatus, srOnly } from './dom.js';
import { changedCellsView, fileList } from './edition-views.js';
import { describeError } from './errors.js';
import { editionStateName, formatDateTime, formatDay, formatWhole, plural, publicationSummary, releaseState } from './format.js';
import { updateRenderForm } from './render-step.js';
import { pageState } from './state.js';

/** @typedef {import('./page-types.js').Edition} Edition */
/** @typedef {import('./page-types.js').PublicationSummary} PublicationSummary */

/**
 * @param {string} publicationId
 * @param {Edition} e
 */
function editionView(publicationId, e) {
  const heading = e.correctedOn ? `Editie ${e.edition}: correctie van ${formatDay(e.correctedOn)}` : `Editie ${e.edition}`;
  const release = e.releaseAt ? releaseState(e.releaseAt, Date.now()) : null;
  return h(
    'li',
    { class: 'edition' },
    h('h3', {}, heading),
    h(
      'p',
      { class: 'meta edition-meta' },
      h('strong', { class: `edition-state state-${e.state}` }, editionStateName(e)),
      e.createdAt ? ` · gemaakt op ${formatDateTime(e.createdAt)}` : '',
      release ? (release.embargo ? h('strong', { class: 'embargo' }, release.text) : release.text) : null,
    ),
    e.withdrawn
      ? h('p', { class: 'notice notice-error' }, `Ingetrokken op ${formatDateTime(e.withdrawn.at)}: ${e.withdrawn.reason}`)
      : null,
    e.erratum ? h('p', { class: 'erratum-text' }, h('span', { class: 'label' }, 'Tekst van het erratum: '), e.erratum.text) : null,
    acceptanceNote(e.checks),
    fileList(e.artifacts, null, e.edition),
    e.correctedOn
      ? h(
          'details',
          { class: 'changes-details' },
          h(
            'summary',
            { class: 'changes-summary' },
            e.changedCells ? `Gewijzigde cellen (${formatWhole(e.changedCells.total)})` : 'Gewijzigde cellen',
            srOnly(` van editie ${e.edition} van ${publicationId}`),
          ),
          ...changedCellsView(e.changedCells),
        )
      : null,
  );
}

/** @param {HTMLDetailsElement} details */
async function loadEditions(details) {
  const body = details.querySelector('.publication-body');
  const id = details.dataset.publication;
  if (!body || !id) return;
  fill(body, h('p', { class: 'status', 'data-kind': 'busy' }, 'Edities laden…'));
  try {
    /** @type {{ data: { editions: Edition[] } }} */
    const { data } = await api(`/api/publications/${encodeURIComponent(id)}/editions`);
    const newestFirst = [...data.editions].reverse();
    fill(
      body,
      h(
        'ol',
        { class: 'editions', reversed: true },
        newestFirst.map((e) => editionView(id, e)),
      ),
    );
    details.dataset.loaded = 'true';
  } catch (error) {
    fill(body, h('p', { class: 'notice notice-error' }, `De edities konden niet geladen worden. ${describeError(error).title}`));
  }
}

/**
 * @param {PublicationSummary} p
 * @param {boolean} open
 */
function publicationView(p, open) {
  const details = h(
    'details',
    { class: 'publication', 'data-publication': p.publicationId },
    h('summary', {}, h('span', { class: 'publication-id' }, p.publicationId), h('span', { class: 'meta' }, publicationSummary(p))),
    h('div', { class: 'publication-body' }),
  );
  details.addEventListener('toggle', () => {
    if (details.open && details.dataset.loaded !== 'true') void loadEditions(details);
  });
  if (open) details.open = true;
  return details;
}

/**
 * Loads the list of publications; those open stay open, and `openId` opens too.
 * @param {string} [openId]
 */
export async function loadPublications(openId) {
  const status = $('publicaties-status');
  setStatus(status, 'Publicaties laden…', 'busy');
  const wasOpen = new Set(
    [...document.querySelectorAll('#publicaties-lijst details[open]')].map((d) =>
      d instanceof HTMLElement ? d.dataset.publication : undefined,
    ),
  );
  if (openId) wasOpen.add(openId);
  try {
    /** @type {{ data: { publications: PublicationSummary[] } }} */
    const { data } = await api('/api/publications');
    const publications = data.publications;
    pageState.publications = publications;
    const list = $('publicaties-lijst');
    if (publications.length === 0) {
      fill(list, h('p', {}, 'De service heeft nog geen publicatie gemaakt.'));
    } else {
      fill(list, ...publications.map((p) => publicationView(p, wasOpen.has(p.publicationId))));
    }
    setStatus(status, `${plural(publications.length, 'publicatie', 'publicaties')}.`);
  } catch (error) {
    setStatus(status, `De lijst kon niet geladen worden: ${describeError(error).title}`, 'error');
  }
  updateRenderForm();
}
