// Step 1 of the editor's page: the dataset file is checked by the service, and the page says
// whether it is valid (with its tables and the checks' findings) or where it is wrong.

import { api } from './api.js';
import { showFindings } from './bevindingen.js';
import { describeError } from './errors.js';
import { $, fill, h, input, noticeHeading, serviceMessage, setStatus } from './dom.js';
import { formatDay, jsonErrorText, placeText, plural } from './format.js';
import { clearFormErrors, updateRenderForm } from './render-step.js';
import { pageState } from './state.js';

/** @typedef {import('./page-types.js').ValidationReport} ValidationReport */
/** @typedef {import('./page-types.js').DatasetProblem} DatasetProblem */

/** Counts the checks started: the answer to an earlier one is not shown. */
let checkCount = 0;

/**
 * The problems of a dataset, each with its place in words and the service's message.
 * @param {readonly DatasetProblem[]} errors
 */
function problemList(errors) {
  return h(
    'ol',
    { class: 'problems' },
    errors.map((problem) => {
      const json = jsonErrorText(problem.message);
      return h(
        'li',
        {},
        h('p', { class: 'problem-place' }, h('strong', {}, placeText(problem.place, problem.path))),
        json ? h('p', {}, json) : null,
        serviceMessage(problem.message),
      );
    }),
  );
}

/**
 * @param {string} name
 * @param {string} text
 * @param {ValidationReport} report
 */
function showValid(name, text, report) {
  const p = report.publication;
  const known = pageState.publications.find((x) => x.publicationId === p.id);
  pageState.chosen = { name, text, report, editionsBefore: known?.editions ?? 0 };
  setStatus($('dataset-status'), `Geldig: ${name} kan gemaakt worden.`, 'ok');
  const tables = h(
    'ul',
    { class: 'plain-list' },
    report.tables.map((t) => h('li', {}, `${t.title} `, h('span', { class: 'meta' }, `(${t.id}, ${plural(t.rows, 'rij', 'rijen')})`))),
  );
  fill(
    $('dataset-resultaat'),
    h(
      'div',
      { class: 'notice notice-ok' },
      noticeHeading('✓ ', 'De dataset is geldig'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Publicatie'),
        h('dd', {}, `${p.title}, ${p.period}`),
        h('dt', {}, 'Kenmerk'),
        h('dd', {}, h('code', {}, p.id)),
        h('dt', {}, 'Editie'),
        h('dd', {}, `${p.edition}, publicatiedatum ${formatDay(p.publicationDate)} (cijfers ${p.status})`),
        h('dt', {}, 'Tabellen'),
        h('dd', {}, h('details', {}, h('summary', {}, plural(report.tables.length, 'tabel', 'tabellen')), tables)),
      ),
    ),
  );
  showFindings($('dataset-resultaat'), $('dataset-status'), report.checks, text);
  $('dataset-resultaat').hidden = false;
}

/**
 * @param {string} name
 * @param {Pick<ValidationReport, 'code' | 'errors'>} report
 */
function showInvalid(name, report) {
  const count = report.errors.length;
  const heading = report.code === 'DATASET_UNREADABLE' ? 'Dit bestand is geen leesbare JSON' : 'Deze dataset is niet geldig';
  setStatus(
    $('dataset-status'),
    `Niet geldig: ${name} heeft ${plural(count, 'fout', 'fouten')}${count >= 50 ? ' (of meer)' : ''}.`,
    'error',
  );
  fill(
    $('dataset-resultaat'),
    h(
      'div',
      { class: 'notice notice-error' },
      noticeHeading('✕ ', heading),
      h(
        'p',
        {},
        `Er kan nog niets van gemaakt worden. Verbeter het bestand en kies het opnieuw.${count >= 50 ? ' Hieronder staan de eerste 50 fouten.' : ''}`,
      ),
      problemList(report.errors),
    ),
  );
  $('dataset-resultaat').hidden = false;
}

/** @param {unknown} error */
function showCheckFailed(error) {
  const { title, detail } = describeError(error);
  setStatus($('dataset-status'), `Controleren lukte niet: ${title}`, 'error');
  fill(
    $('dataset-resultaat'),
    h(
      'div',
      { class: 'notice notice-error' },
      noticeHeading('✕ ', 'Controleren lukte niet'),
      h('p', {}, title),
      detail ? serviceMessage(detail) : null,
    ),
  );
  $('dataset-resultaat').hidden = false;
}

/** Forgets the dataset's result (not the file chosen). */
export function clearDatasetResult() {
  pageState.chosen = null;
  $('dataset-resultaat').hidden = true;
  fill($('dataset-resultaat'));
}

/** Checks the file chosen in step 1 with the service and shows what it says. */
export async function checkDataset() {
  const file = input('dataset-bestand').files?.[0];
  const count = ++checkCount;
  clearDatasetResult();
  clearFormErrors(); // they were about the dataset chosen before
  updateRenderForm();
  if (!file) {
    setStatus($('dataset-status'), '');
    return;
  }
  setStatus($('dataset-status'), `Bezig met controleren van ${file.name}…`, 'busy');
  /** @type {string} */
  let text;
  try {
    text = await file.text();
  } catch {
    showCheckFailed(new Error('Het bestand kon niet gelezen worden.'));
    return;
  }
  if (text.trim() === '') {
    if (count !== checkCount) return;
    showInvalid(file.name, { code: 'DATASET_UNREADABLE', errors: [{ path: '(root)', message: 'the file is empty', place: null }] });
    return;
  }
  try {
    /** @type {{ data: ValidationReport }} */
    const { data: report } = await api('/api/datasets/validate', { method: 'POST', text });
    if (count !== checkCount) return;
    if (report.valid) showValid(file.name, text, report);
    else showInvalid(file.name, report);
  } catch (error) {
    if (count !== checkCount) return;
    showCheckFailed(error);
  }
  updateRenderForm();
}

/**
 * Makes a file (an imported dataset) the chosen file of step 1, checked as any other.
 * @param {string} name
 * @param {string} text
 */
export function useDataset(name, text) {
  const files = new DataTransfer();
  files.items.add(new File([text], name, { type: 'application/json' }));
  input('dataset-bestand').files = files.files;
  void checkDataset();
}
