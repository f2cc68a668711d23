// Step 2 of the editor's page: a first edition or a corrected one with its erratum, checked in the
// page first, then sent as a draft (POST /api/drafts); what the service refuses is shown at its field.

import { acceptsWarnings } from './bevindingen.js';
import { api } from './api.js';
import { ApiError, describeError } from './errors.js';
import { $, fill, h, input, noticeHeading, serviceMessage } from './dom.js';
import { formatDateTime, formatDay, plural } from './format.js';
import { FIELD_ERRORS, fieldErrors, readCorrection, renderBody } from './render-request.js';
import { pageState } from './state.js';

/** @typedef {import('./render-request.js').FieldError} FieldError */

let submitting = false;

const isCorrection = () => input('soort-correctie').checked;
const publicationSelect = () => $('correctie-publicatie', HTMLSelectElement);

/** The choice of the publication to correct, from the publications the service knows. */
function fillPublicationChoice() {
  const select = publicationSelect();
  const { publications, chosen } = pageState;
  const wanted = chosen?.report.publication.id ?? select.value;
  const options = [h('option', { value: '' }, publications.length === 0 ? 'Er is nog geen publicatie gemaakt' : 'Kies een publicatie')];
  for (const p of publications) {
    options.push(h('option', { value: p.publicationId }, `${p.publicationId} (laatste: editie ${p.latest?.edition})`));
  }
  select.replaceChildren(...options);
  select.value = publications.some((p) => p.publicationId === wanted) ? wanted : '';
  describePrevious();
}

/** Says which edition the service will correct, and which number the new one gets. */
export function describePrevious() {
  const id = publicationSelect().value;
  const { publications, chosen } = pageState;
  const latest = publications.find((p) => p.publicationId === id)?.latest;
  const el = $('correctie-vorige');
  if (!latest) {
    const own = chosen?.report.publication.id;
    el.textContent =
      own && !publications.some((p) => p.publicationId === own)
        ? `Van publicatie ${own} (de gekozen dataset) heeft de service nog geen editie. Maak eerst de publicatie zelf.`
        : '';
    return;
  }
  const what = latest.correctedOn
    ? `editie ${latest.edition} (correctie van ${formatDay(latest.correctedOn)})`
    : `editie ${latest.edition}`;
  el.textContent = `U corrigeert ${what}, gemaakt op ${formatDateTime(latest.createdAt)}. De correctie wordt editie ${latest.edition + 1}.`;
}

/** Shows the form for the kind of edition chosen, and which dataset it will be made from. */
export function updateRenderForm() {
  const correction = isCorrection();
  $('correctie-velden').hidden = !correction;
  $('maak-knop').textContent = correction ? 'Gecorrigeerde editie maken' : 'Publicatie maken';
  const { chosen } = pageState;
  const line = $('maak-dataset');
  if (!chosen) {
    fill(line, 'Nog geen geldige dataset gekozen (stap 1).');
  } else {
    const p = chosen.report.publication;
    const before = chosen.editionsBefore;
    fill(
      line,
      h('span', { class: 'label' }, 'Dataset: '),
      `${chosen.name}: ${p.title}, ${p.period} (`,
      h('code', {}, p.id),
      ')',
      before > 0 && !correction
        ? h(
            'span',
            { class: 'hint-inline' },
            ` Van deze publicatie ${before === 1 ? 'bestaat' : 'bestaan'} al ${plural(before, 'editie', 'edities')}. Is dit een correctie? Kies dan ‘Een gecorrigeerde editie met erratum’.`,
          )
        : null,
    );
  }
  if (correction) fillPublicationChoice();
}

/**
 * The error element of a field of the form; a field without one (the templates choice) has its
 * message in the summary only.
 * @param {string} field
 */
function errorOf(field) {
  const id = FIELD_ERRORS[field];
  return id ? $(id) : null;
}

/** @param {string} field */
const fieldBox = (field) => $(field).closest('.field');

/** Takes the error off one field (when the user corrects it). @param {string} field */
function clearFieldError(field) {
  $(field).removeAttribute('aria-invalid');
  fieldBox(field)?.classList.remove('field-invalid');
  const errorEl = errorOf(field);
  if (!errorEl) return;
  errorEl.hidden = true;
  errorEl.textContent = '';
}

export function clearFormErrors() {
  for (const field of Object.keys(FIELD_ERRORS)) clearFieldError(field);
  $('maak-fouten').hidden = true;
  fill($('maak-fouten'));
}

/**
 * Shows what stops the rendering: a summary with links to the fields, and each field's own error.
 * @param {string} title
 * @param {readonly FieldError[]} items
 * @param {HTMLElement | null} [extra]
 */
function showFormErrors(title, items, extra = null) {
  for (const { field, message } of items) {
    if (!field) continue;
    $(field).setAttribute('aria-invalid', 'true');
    fieldBox(field)?.classList.add('field-invalid');
    const errorEl = errorOf(field);
    if (!errorEl) continue;
    fill(errorEl, h('span', { class: 'visually-hidden' }, 'Fout: '), message);
    errorEl.hidden = false;
  }
  const box = $('maak-fouten');
  fill(
    box,
    noticeHeading('✕ ', title),
    items.length > 0
      ? h(
          'ul',
          { class: 'error-links' },
          items.map(({ field, message }) => h('li', {}, field ? h('a', { href: `#${field}`, 'data-field': field }, message) : message)),
        )
      : null,
    extra,
  );
  box.hidden = false;
  box.focus();
}

/** @param {SubmitEvent} event */
async function submitRender(event) {
  event.preventDefault();
  if (submitting) return;
  clearFormErrors();
  const { chosen } = pageState;
  if (!chosen) {
    showFormErrors('Er is nog geen geldige dataset', [], h('p', {}, 'Kies bij stap 1 een datasetbestand dat de controle doorstaat.'));
    return;
  }
  let correction;
  if (isCorrection()) {
    const form = {
      publication: publicationSelect().value,
      date: input('erratum-datum').value,
      text: $('erratum-tekst', HTMLTextAreaElement).value,
    };
    const { items, erratum } = readCorrection(form, chosen.report.publication.id);
    if (items.length > 0) {
      showFormErrors('Vul het formulier aan', items);
      return;
    }
    correction = { erratum, currentTemplates: input('sjablonen-huidig').checked };
  }
  const texts = pageState.periodTexts.value();
  const body = renderBody({ datasetText: chosen.text, texts, correction, acceptWarnings: acceptsWarnings() });
  submitting = true;
  $('maak-knop').setAttribute('aria-disabled', 'true');
  try {
    // Every render is a draft: the review view (redactie-review.js) shows it; another editor approves it.
    const { data: draft } = await api('/api/drafts', { method: 'POST', body });
    document.dispatchEvent(new CustomEvent('draft:created', { detail: draft }));
  } catch (error) {
    const { title, detail } = describeError(error);
    const fields = fieldErrors(error instanceof ApiError ? (error.problem?.errors ?? []) : []);
    if (fields.some((f) => f.field === 'periode-teksten')) pageState.periodTexts.reveal();
    showFormErrors(title, fields, detail ? serviceMessage(detail) : null);
  } finally {
    submitting = false;
    $('maak-knop').removeAttribute('aria-disabled');
  }
}

/** Wires the form of step 2. */
export function setupRenderStep() {
  for (const radio of document.querySelectorAll('input[name="soort"]')) radio.addEventListener('change', updateRenderForm);
  publicationSelect().addEventListener('change', describePrevious);
  for (const field of Object.keys(FIELD_ERRORS)) {
    $(field).addEventListener('input', () => {
      if ($(field).getAttribute('aria-invalid') === 'true') clearFieldError(field);
    });
  }
  $('maak-formulier', HTMLFormElement).addEventListener('submit', (event) => void submitRender(event));
  $('maak-fouten').addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-field]') : null;
    if (!(link instanceof HTMLElement) || !link.dataset.field) return;
    event.preventDefault();
    $(link.dataset.field).focus();
  });
}

/** Empties what the user typed or chose. */
export function clearForm() {
  input('dataset-bestand').value = '';
  input('soort-eerste').checked = true;
  input('erratum-datum').value = '';
  $('erratum-tekst', HTMLTextAreaElement).value = '';
  updateRenderForm();
}
