import { setupImport } from './import.js';
import { setupNewPeriod } from './new-period.js';
import { setupTexts } from './texts.js';

// The editor's page. Everything it knows and changes goes through the API routes (/api/...),
// so every check the API makes holds here too; this script only asks and shows. No inline
// script or style anywhere: the page works under `script-src 'self'; style-src 'self'`.

/** Dutch headings for the error codes of the API (the detail comes from the service itself). */
import { acceptanceNote, acceptsWarnings, showFindings } from './bevindingen.js';

const CODE_TITLES = {
  DATASET_INVALID: 'De dataset klopt niet met het datasetformaat.',
  DATASET_UNREADABLE: 'Het bestand is geen leesbare JSON.',
  IMPORT_INVALID: 'De bestanden kunnen niet worden geïmporteerd.',
  TEMPLATE_INVALID: 'Het sjabloon van de publicatie past niet bij de dataset.',
  PREVIOUS_EDITION_MISMATCH: 'De vorige editie hoort bij een andere publicatie.',
  PREVIOUS_EDITION_UNKNOWN: 'De service kent nog geen editie van deze publicatie om te corrigeren. Maak eerst de publicatie zelf.',
  ERRATUM_INVALID: 'De datum of de tekst van het erratum ontbreekt of klopt niet.',
  DATASET_IMPLAUSIBLE:
    'De controles vóór publicatie vinden fouten (in de cijfers, of in de correctie ten opzichte van de vorige editie). Er is niets gemaakt.',
  WARNINGS_NOT_ACCEPTED: 'De controles vóór publicatie geven waarschuwingen: bekijk ze bij stap 1 en vink aan dat u ze accepteert.',
  RULES_INVALID: 'Het regelbestand van het sjabloon klopt niet.',
  RENDER_FAILED: 'Het maken is mislukt door een storing buiten de dataset.',
  REQUEST_INVALID: 'Het verzoek aan de service klopt niet.',
  PAYLOAD_TOO_LARGE: 'Het bestand is te groot voor de service.',
  UNSUPPORTED_MEDIA_TYPE: 'De service kan dit soort bestand niet lezen.',
  NOT_FOUND: 'Niet gevonden.',
  REDIS_UNAVAILABLE: 'De wachtrij van de service is even niet bereikbaar. Probeer het zo opnieuw.',
  NOT_READY: 'De service is nog niet klaar. Probeer het zo opnieuw.',
  STORAGE_FAILED: 'Het opslaan of lezen van bestanden is mislukt.',
  JOB_TIMEOUT: 'Het maken duurde te lang en is gestopt.',
  JOB_INVALID: 'De taak in de wachtrij is onleesbaar.',
  UNAUTHENTICATED: 'U bent niet (meer) aangemeld. Meld u aan met uw toegangscode.',
  FORBIDDEN: 'U heeft geen toegang tot deze functie.',
  RATE_LIMITED: 'Te veel verzoeken achter elkaar. Wacht even en probeer het opnieuw.',
  INTERNAL: 'Er ging onverwacht iets mis. Het is vastgelegd in het logboek van de service.',
};

const ARTIFACT_TITLES = {
  'publicatie.pdf': 'Publicatie (PDF)',
  'tabellenbijlage.xlsx': 'Tabellenbijlage (Excel)',
  'erratum.pdf': 'Erratum (PDF)',
};

const ROLE_NAMES = { reader: 'lezer', editor: 'redacteur', admin: 'beheerder' };

const POLL_MS = 500;

const dateTime = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
const dayOnly = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' });
const decimal = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('nl-NL');

const $ = (id) => document.getElementById(id);

/** Makes an element; text always goes in as text, never as markup. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'hidden') el.hidden = true;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces the content of an element; leaves out null, undefined and false (the DOM would print them). */
function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
}

/** Text only for screen readers, e.g. which edition a "publicatie.pdf" link belongs to. */
const srOnly = (text) => h('span', { class: 'visually-hidden' }, text);

function formatSize(bytes) {
  if (bytes < 1000) return `${whole.format(bytes)} bytes`;
  if (bytes < 1_000_000) return `${decimal.format(bytes / 1000)} kB`;
  return `${decimal.format(bytes / 1_000_000)} MB`;
}

const formatDateTime = (iso) => dateTime.format(new Date(iso)).replace(',', ' om');
const formatDay = (isoDate) => dayOnly.format(new Date(`${isoDate}T12:00:00Z`));
const plural = (n, one, more) => `${whole.format(n)} ${n === 1 ? one : more}`;

/** An answer of the API that is not a success, with its problem document when it sent one. */
class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? null;
  }
}

/** Who uses the page, from GET /api/session: { mode, via, actor, csrfToken }. */
let session = null;

/**
 * Calls the API. `body` is sent as JSON, `text` as it is (a dataset file); both as
 * application/json. Every request goes to the same routes and through the same checks as any
 * other client's; a state-changing one carries the session's CSRF token.
 */
async function api(path, { method = 'GET', body, text } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined || text !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = text ?? JSON.stringify(body);
  }
  if (method !== 'GET' && session?.csrfToken) headers['X-CSRF-Token'] = session.csrfToken;
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, null);
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const error = new ApiError(res.status, data);
    // The session ended (expired, signed out elsewhere, token revoked): ask to sign in again.
    if (res.status === 401 && path !== '/api/session') showSignIn('Uw aanmelding is verlopen of ingetrokken. Meld u opnieuw aan.');
    throw error;
  }
  return { status: res.status, data };
}

/** The Dutch heading and the service's own detail of a failed call. */
function describeError(error) {
  if (!(error instanceof ApiError)) return { title: 'Er ging iets mis op deze pagina.', detail: String(error?.message ?? error) };
  if (error.status === 0) return { title: 'De service is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.', detail: null };
  const code = error.problem?.code;
  let title = CODE_TITLES[code];
  if (!title && error.status === 401) title = 'U bent niet (meer) aangemeld.';
  if (!title && error.status === 403) title = 'U heeft geen toegang tot deze functie.';
  if (!title && error.status === 429) title = 'Te veel verzoeken achter elkaar. Wacht even en probeer het opnieuw.';
  return { title: title ?? `De service gaf een fout (${error.status}).`, detail: error.problem?.detail ?? null };
}

/** A short status line with its kind ("busy", "ok", "error"), spoken by the live region it is in. */
function setStatus(el, text, kind = '') {
  el.textContent = text;
  if (kind) el.dataset.kind = kind;
  else delete el.dataset.kind;
}

/** A message of the service, shown as it is (the service writes them in English). */
const serviceMessage = (text) => h('p', { class: 'service-message' }, h('span', { class: 'label' }, 'Melding van de service: '), text);

// ---------------------------------------------------------------------------------------------
// Step 1: the dataset

/** The dataset the editor chose and the service found valid: { name, text, report }. */
let chosen = null;
let checkCount = 0;

function placeText(place, path) {
  if (!place) return path === '(root)' ? 'Het hele bestand' : `Onderdeel ${path}`;
  const parts = [];
  let table = `Tabel ${place.table}`;
  if (place.tableTitle) table += ` ‘${place.tableTitle}’`;
  if (place.tableId) table += ` (${place.tableId})`;
  parts.push(table);
  if (place.row !== null) {
    const codes = place.rowCodes.map((c) => `${c.dimension}: ${c.title ? `${c.title} (${c.code})` : c.code}`);
    parts.push(`rij ${place.row}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`);
  }
  if (place.cell !== null) {
    const name = place.cellTitle ? `${place.cellTitle} (${place.cell})` : place.cell;
    if (place.cellKind === 'measure') parts.push(`cel ${name}`);
    else if (place.cellKind === 'dimension') parts.push(`dimensie ${name}`);
    else parts.push(`veld ${name}`);
  }
  if (place.field !== null) parts.push(`onderdeel ${place.field}`);
  return parts.join(', ');
}

/** The problems of a dataset, each with its place in words and the service's message. */
function problemList(errors) {
  return h(
    'ol',
    { class: 'problems' },
    errors.map((problem) => {
      const json = /line (\d+), column (\d+)/.exec(problem.message);
      return h(
        'li',
        {},
        h('p', { class: 'problem-place' }, h('strong', {}, placeText(problem.place, problem.path))),
        json ? h('p', {}, `De JSON klopt niet op regel ${json[1]}, kolom ${json[2]}.`) : null,
        serviceMessage(problem.message),
      );
    }),
  );
}

function showValid(name, text, report) {
  const p = report.publication;
  // The editions the publication had when the dataset was chosen (not those rendered from it since).
  const known = publications.find((x) => x.publicationId === p.id);
  chosen = { name, text, report, editionsBefore: known?.editions ?? 0 };
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
      h('h3', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓ '), 'De dataset is geldig'),
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
      h('h3', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✕ '), heading),
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

function showCheckFailed(error) {
  const { title, detail } = describeError(error);
  setStatus($('dataset-status'), `Controleren lukte niet: ${title}`, 'error');
  fill(
    $('dataset-resultaat'),
    h(
      'div',
      { class: 'notice notice-error' },
      h('h3', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✕ '), 'Controleren lukte niet'),
      h('p', {}, title),
      detail ? serviceMessage(detail) : null,
    ),
  );
  $('dataset-resultaat').hidden = false;
}

async function checkDataset() {
  const file = $('dataset-bestand').files?.[0];
  const count = ++checkCount;
  chosen = null;
  $('dataset-resultaat').hidden = true;
  fill($('dataset-resultaat'));
  clearFormErrors(); // they were about the dataset chosen before
  updateRenderForm();
  if (!file) {
    setStatus($('dataset-status'), '');
    return;
  }
  setStatus($('dataset-status'), `Bezig met controleren van ${file.name}…`, 'busy');
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

// ---------------------------------------------------------------------------------------------
// Step 2: start a rendering

/** The publications the service knows, from /api/publications. */
let publications = [];
let submitting = false;

const isCorrection = () => $('soort-correctie').checked;

function fillPublicationChoice() {
  const select = $('correctie-publicatie');
  const wanted = chosen?.report.publication.id ?? select.value;
  const options = [h('option', { value: '' }, publications.length === 0 ? 'Er is nog geen publicatie gemaakt' : 'Kies een publicatie')];
  for (const p of publications) {
    const latest = p.latest;
    options.push(h('option', { value: p.publicationId }, `${p.publicationId} (laatste: editie ${latest.edition})`));
  }
  select.replaceChildren(...options);
  select.value = publications.some((p) => p.publicationId === wanted) ? wanted : '';
  describePrevious();
}

/** Says which edition the service will correct, and which number the new one gets. */
function describePrevious() {
  const id = $('correctie-publicatie').value;
  const publication = publications.find((p) => p.publicationId === id);
  const el = $('correctie-vorige');
  if (!publication) {
    const own = chosen?.report.publication.id;
    el.textContent =
      own && !publications.some((p) => p.publicationId === own)
        ? `Van publicatie ${own} (de gekozen dataset) heeft de service nog geen editie. Maak eerst de publicatie zelf.`
        : '';
    return;
  }
  const latest = publication.latest;
  const what = latest.correctedOn
    ? `editie ${latest.edition} (correctie van ${formatDay(latest.correctedOn)})`
    : `editie ${latest.edition}`;
  el.textContent = `U corrigeert ${what}, gemaakt op ${formatDateTime(latest.createdAt)}. De correctie wordt editie ${latest.edition + 1}.`;
}

function updateRenderForm() {
  const correction = isCorrection();
  $('correctie-velden').hidden = !correction;
  $('maak-knop').textContent = correction ? 'Gecorrigeerde editie maken' : 'Publicatie maken';
  const p = chosen?.report.publication;
  const before = chosen?.editionsBefore ?? 0;
  const line = $('maak-dataset');
  if (!p) {
    fill(line, 'Nog geen geldige dataset gekozen (stap 1).');
  } else {
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

const FIELD_ERRORS = {
  'correctie-publicatie': 'correctie-publicatie-fout',
  'erratum-datum': 'erratum-datum-fout',
  'erratum-tekst': 'erratum-tekst-fout',
  'periode-teksten': 'periode-teksten-fout',
};

/** The period texts block of step 2 (texts.js); set up at start. */
let periodTexts = { value: () => undefined, reveal: () => {} };

/** Takes the error off one field (when the user corrects it). */
function clearFieldError(field) {
  $(field).removeAttribute('aria-invalid');
  $(field).closest('.field').classList.remove('field-invalid');
  $(FIELD_ERRORS[field]).hidden = true;
  $(FIELD_ERRORS[field]).textContent = '';
}

function clearFormErrors() {
  for (const field of Object.keys(FIELD_ERRORS)) clearFieldError(field);
  $('maak-fouten').hidden = true;
  fill($('maak-fouten'));
}

/** Shows what stops the rendering: a summary with links to the fields, and each field's own error. */
function showFormErrors(title, items, extra = null) {
  for (const { field, message } of items) {
    if (!field) continue;
    $(field).setAttribute('aria-invalid', 'true');
    $(field).closest('.field').classList.add('field-invalid');
    const errorEl = $(FIELD_ERRORS[field]);
    fill(errorEl, h('span', { class: 'visually-hidden' }, 'Fout: '), message);
    errorEl.hidden = false;
  }
  const box = $('maak-fouten');
  fill(
    box,
    h('h3', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✕ '), title),
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

function readCorrection(datasetId) {
  const items = [];
  const publication = $('correctie-publicatie').value;
  const date = $('erratum-datum').value;
  const text = $('erratum-tekst').value;
  if (!publication) items.push({ field: 'correctie-publicatie', message: 'Kies de publicatie die u corrigeert.' });
  else if (publication !== datasetId) {
    items.push({
      field: 'correctie-publicatie',
      message: `De gekozen dataset is van publicatie ${datasetId}, niet van ${publication}. Kies die publicatie, of kies bij stap 1 een dataset van ${publication}.`,
    });
  }
  if (!date) items.push({ field: 'erratum-datum', message: 'Vul de datum van het erratum in (dag, maand, jaar).' });
  if (text.trim() === '') items.push({ field: 'erratum-tekst', message: 'Schrijf in de tekst wat er gecorrigeerd is.' });
  return { items, erratum: { date, text } };
}

/** The fields a problem of POST /api/jobs points at. */
function fieldOf(path) {
  if (path === 'erratum.date') return 'erratum-datum';
  if (path === 'erratum.text') return 'erratum-tekst';
  if (path?.startsWith('texts')) return 'periode-teksten';
  if (path === 'templates') return 'sjablonen-bewaard';
  return null;
}

async function submitRender(event) {
  event.preventDefault();
  if (submitting) return;
  clearFormErrors();
  if (!chosen) {
    showFormErrors('Er is nog geen geldige dataset', [], h('p', {}, 'Kies bij stap 1 een datasetbestand dat de controle doorstaat.'));
    return;
  }
  const body = { dataset: JSON.parse(chosen.text) };
  const texts = periodTexts.value();
  if (texts !== undefined) body.texts = texts;
  if (isCorrection()) {
    const { items, erratum } = readCorrection(chosen.report.publication.id);
    if (items.length > 0) {
      showFormErrors('Vul het formulier aan', items);
      return;
    }
    body.erratum = erratum;
    if ($('sjablonen-huidig').checked) body.templates = 'current';
  }
  if (acceptsWarnings()) body.acceptWarnings = true;
  submitting = true;
  $('maak-knop').setAttribute('aria-disabled', 'true');
  try {
    // Every render is a draft: the review view (redactie-review.js) shows it; another editor approves it.
    const { data: draft } = await api('/api/drafts', { method: 'POST', body });
    document.dispatchEvent(new CustomEvent('draft:created', { detail: draft }));
  } catch (error) {
    const { title, detail } = describeError(error);
    const problems = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
    const fields = problems.filter((p) => fieldOf(p.path)).map((p) => ({ field: fieldOf(p.path), message: p.message }));
    if (fields.some((f) => f.field === 'periode-teksten')) periodTexts.reveal();
    showFormErrors(title, fields, detail ? serviceMessage(detail) : null);
  } finally {
    submitting = false;
    $('maak-knop').removeAttribute('aria-disabled');
  }
}

// ---------------------------------------------------------------------------------------------
// Step 3: follow the job

let following = { id: null, timer: null, count: 0 };

function stepElements() {
  return [...document.querySelectorAll('#taak-stappen .step')];
}

const STATE_TEXT = {
  wacht: 'wacht',
  bezig: 'bezig…',
  klaar: 'klaar',
  mislukt: 'mislukt',
  'niet-nodig': 'niet nodig',
  'niet-gedaan': 'niet gedaan',
};

function setStep(li, state) {
  li.dataset.state = state;
  li.querySelector('.step-state').textContent = STATE_TEXT[state];
  if (state === 'bezig') li.setAttribute('aria-current', 'step');
  else li.removeAttribute('aria-current');
}

/** Marks each step from the job's state and the step it reached. */
function showSteps(job) {
  const corrected = job.correctedOn !== null;
  const items = stepElements();
  const keys = items.map((li) => li.dataset.step);
  const reached = job.progress ? keys.indexOf(job.progress.step) : -1;
  items.forEach((li, i) => {
    if (li.dataset.step === 'erratum' && !corrected) return setStep(li, 'niet-nodig');
    if (job.state === 'completed') return setStep(li, 'klaar');
    if (job.state === 'failed') return setStep(li, i < reached ? 'klaar' : i === reached ? 'mislukt' : 'niet-gedaan');
    if (job.state === 'active') return setStep(li, i < reached ? 'klaar' : i === Math.max(reached, 0) ? 'bezig' : 'wacht');
    return setStep(li, 'wacht');
  });
}

function statusText(job) {
  const items = stepElements().filter((li) => job.correctedOn !== null || li.dataset.step !== 'erratum');
  if (job.state === 'completed') return 'Klaar. De bestanden staan hieronder.';
  if (job.state === 'failed') return 'Mislukt. De reden staat hieronder.';
  if (job.state === 'active' && job.progress) {
    const at = items.findIndex((li) => li.dataset.step === job.progress.step);
    const label = items[at]?.querySelector('.step-label').textContent ?? job.progress.step;
    return `Bezig: ${label} (stap ${at + 1} van ${items.length}).`;
  }
  if (job.state === 'active') return 'Bezig: het maken is begonnen.';
  if (job.error && job.attempts) {
    return `Een poging is mislukt (${job.error.message}). Poging ${job.attempts.made + 1} van ${job.attempts.max} volgt zo.`;
  }
  return 'In de wachtrij: het maken begint zodra de service vrij is.';
}

function jobTitle(job) {
  const what = job.correctedOn
    ? `Gecorrigeerde editie ${job.edition} (erratum van ${formatDay(job.correctedOn)})`
    : `Editie ${job.edition}`;
  return [h('span', { class: 'label' }, 'Taak: '), `${what} van `, h('code', {}, job.publicationId)];
}

function followJob(job, existed, { focus = true } = {}) {
  clearTimeout(following.timer);
  following = { id: job.id, timer: null, count: following.count + 1, failures: 0 };
  $('voortgang').hidden = false;
  fill($('taak-titel'), ...jobTitle(job));
  $('taak-fout').hidden = true;
  $('taak-bestanden').hidden = true;
  $('taak-wijzigingen').hidden = true;
  fill($('taak-bestanden'));
  fill($('taak-wijzigingen'));
  if (existed) {
    $('taak-titel').append(
      h('span', { class: 'hint-inline' }, ' Deze editie is al eerder met precies deze gegevens aangevraagd; u ziet die taak.'),
    );
  }
  // The job's address in the page: a reload (or a link sent to a colleague) shows the same job.
  history.replaceState(null, '', `#taak=${job.id}`);
  if (focus) $('voortgang-kop').focus();
  showJob(job, following.count);
}

function showJob(job, count) {
  if (count !== following.count) return;
  showSteps(job);
  setStatus($('taak-status'), statusText(job), job.state === 'failed' ? 'error' : job.state === 'completed' ? 'ok' : 'busy');
  if (job.state === 'completed') {
    void showResult(job, count);
  } else if (job.state === 'failed') {
    const { title } = describeError(new ApiError(500, job.error));
    fill(
      $('taak-fout'),
      h('h3', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✕ '), 'Het maken is mislukt'),
      h('p', {}, title),
      job.error ? serviceMessage(job.error.message) : null,
      h('p', {}, 'Verbeter wat de melding noemt en start het maken opnieuw. Een storing buiten de dataset kunt u gewoon opnieuw proberen.'),
    );
    $('taak-fout').hidden = false;
  } else {
    following.timer = setTimeout(() => void poll(job.id, count), POLL_MS);
  }
}

async function poll(id, count) {
  try {
    const { data: job } = await api(`/api/jobs/${encodeURIComponent(id)}`);
    following.failures = 0;
    showJob(job, count);
  } catch (error) {
    if (count !== following.count) return;
    if (error instanceof ApiError && error.status === 404) {
      setStatus($('taak-status'), 'De service kent deze taak niet (meer).', 'error');
      return;
    }
    if (error instanceof ApiError && error.status === 401) {
      setStatus($('taak-status'), 'Meld u opnieuw aan om de voortgang verder te volgen.', 'error');
      return;
    }
    following.failures += 1;
    const { title } = describeError(error);
    setStatus($('taak-status'), `${title} De pagina probeert het opnieuw…`, 'busy');
    following.timer = setTimeout(() => void poll(id, count), Math.min(10_000, POLL_MS * 2 ** following.failures));
  }
}

/** The download list of an edition: name, kind, size and date of each file. */
function fileList(artifacts, createdAt, edition) {
  return h(
    'ul',
    { class: 'files' },
    artifacts.map((a) =>
      h(
        'li',
        {},
        h('a', { href: a.links.download, download: a.name, class: 'file-link' }, a.name, srOnly(`, editie ${edition}`)),
        h(
          'span',
          { class: 'meta' },
          [ARTIFACT_TITLES[a.name] ?? a.contentType, formatSize(a.size), createdAt ? `gemaakt op ${formatDateTime(createdAt)}` : null]
            .filter(Boolean)
            .join(' · '),
        ),
      ),
    ),
  );
}

const KIND_TEXT = {
  value: () => 'gecorrigeerd',
  moved: (from) => `stond eerder bij ${from}`,
  'moved-value': (from) => `stond eerder bij ${from} en is gecorrigeerd`,
};

const shownFigure = (text) => (text === '' ? '(leeg)' : text);

/** The changed cells of a corrected edition, one table per dataset table. */
function changedCellsView(record) {
  if (!record) return [h('p', {}, 'De gewijzigde cellen zijn bij deze editie niet vastgelegd. Ze staan in het erratum (PDF).')];
  const intro = h(
    'p',
    {},
    `${plural(record.total, 'cel', 'cellen')} gewijzigd ten opzichte van de vorige editie.`,
    record.cells.length < record.total ? ` Hieronder staan de eerste ${whole.format(record.cells.length)}; alle staan in het erratum.` : '',
  );
  const groups = new Map();
  for (const cell of record.cells) {
    if (!groups.has(cell.tableId)) groups.set(cell.tableId, []);
    groups.get(cell.tableId).push(cell);
  }
  const tables = [...groups.values()].map((cells) =>
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'changes' },
        h('caption', {}, `${cells[0].tableTitle} `, h('span', { class: 'meta' }, `(${plural(cells.length, 'cel', 'cellen')})`)),
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
              h('td', { 'data-label': 'Toelichting' }, KIND_TEXT[c.kind]?.(c.movedFromLabel ?? '?') ?? c.kind),
            ),
          ),
        ),
      ),
    ),
  );
  return [intro, ...tables];
}

async function showResult(job, count) {
  let edition;
  try {
    const { data } = await api(job.links.editions);
    edition = data.editions.find((e) => e.jobId === job.id);
  } catch {
    edition = undefined;
  }
  if (count !== following.count) return;
  fill($('taak-bestanden'), h('h3', {}, 'Bestanden'), fileList(edition?.artifacts ?? job.artifacts, edition?.createdAt, job.edition));
  $('taak-bestanden').hidden = false;
  if (job.correctedOn) {
    fill($('taak-wijzigingen'), h('h3', {}, 'Gewijzigde cellen'), ...changedCellsView(edition?.changedCells ?? null));
    $('taak-wijzigingen').hidden = false;
  }
  await loadPublications(job.publicationId);
}

// ---------------------------------------------------------------------------------------------
// Publications and their editions

function editionView(publicationId, e) {
  const heading = e.correctedOn ? `Editie ${e.edition}: correctie van ${formatDay(e.correctedOn)}` : `Editie ${e.edition}`;
  return h(
    'li',
    { class: 'edition' },
    h('h3', {}, heading),
    h(
      'p',
      { class: 'meta edition-meta' },
      editionStateText(e),
      e.createdAt ? ` · gemaakt op ${formatDateTime(e.createdAt)}` : '',
      releaseText(e.releaseAt),
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
            e.changedCells ? `Gewijzigde cellen (${whole.format(e.changedCells.total)})` : 'Gewijzigde cellen',
            srOnly(` van editie ${e.edition} van ${publicationId}`),
          ),
          ...changedCellsView(e.changedCells),
        )
      : null,
  );
}

/** Where an edition stands (the record's state), and whether it is the current one. */
function editionStateText(e) {
  const names = { rendering: 'wordt gemaakt', scheduled: 'goedgekeurd, nog niet openbaar', released: 'openbaar', withdrawn: 'ingetrokken' };
  return h('strong', { class: `edition-state state-${e.state}` }, `${e.current ? 'Huidige editie · ' : ''}${names[e.state] ?? e.state}`);
}

/** When an edition may be seen by readers (its embargo), when the service says so. */
function releaseText(releaseAt) {
  if (!releaseAt) return null;
  return Date.parse(releaseAt) > Date.now()
    ? h('strong', { class: 'embargo' }, ` · onder embargo tot ${formatDateTime(releaseAt)}`)
    : ` · openbaar sinds ${formatDateTime(releaseAt)}`;
}

async function loadEditions(details) {
  const body = details.querySelector('.publication-body');
  const id = details.dataset.publication;
  fill(body, h('p', { class: 'status', 'data-kind': 'busy' }, 'Edities laden…'));
  try {
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

function publicationView(p, open) {
  const latest = p.latest;
  const latestText = !latest
    ? 'nog geen editie openbaar'
    : latest.correctedOn
      ? `huidige: editie ${latest.edition}, correctie van ${formatDay(latest.correctedOn)}`
      : `huidige: editie ${latest.edition}`;
  const details = h(
    'details',
    { class: 'publication', 'data-publication': p.publicationId },
    h(
      'summary',
      {},
      h('span', { class: 'publication-id' }, p.publicationId),
      h(
        'span',
        { class: 'meta' },
        `${plural(p.editions, 'editie', 'edities')}, ${latestText}${latest?.createdAt ? `, gemaakt op ${formatDateTime(latest.createdAt)}` : ''}`,
      ),
    ),
    h('div', { class: 'publication-body' }),
  );
  details.addEventListener('toggle', () => {
    if (details.open && details.dataset.loaded !== 'true') void loadEditions(details);
  });
  if (open) details.open = true;
  return details;
}

async function loadPublications(openId) {
  const status = $('publicaties-status');
  setStatus(status, 'Publicaties laden…', 'busy');
  const wasOpen = new Set([...document.querySelectorAll('#publicaties-lijst details[open]')].map((d) => d.dataset.publication));
  if (openId) wasOpen.add(openId);
  try {
    const { data } = await api('/api/publications');
    publications = data.publications;
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

// ---------------------------------------------------------------------------------------------
// Signing in (only when the service has access tokens)

/** Forgets everything the service told this page: the next user must not see it. */
function clearServiceData() {
  clearTimeout(following.timer);
  following = { id: null, timer: null, count: following.count + 1, failures: 0 };
  chosen = null;
  publications = [];
  setStatus($('dataset-status'), '');
  $('dataset-resultaat').hidden = true;
  fill($('dataset-resultaat'));
  clearFormErrors();
  $('voortgang').hidden = true;
  for (const id of ['taak-titel', 'taak-bestanden', 'taak-wijzigingen', 'taak-fout']) fill($(id));
  setStatus($('taak-status'), '');
  fill($('publicaties-lijst'));
  setStatus($('publicaties-status'), '');
  document.dispatchEvent(new CustomEvent('session:cleared'));
}

/** Empties what the user typed or chose. */
function clearForm() {
  $('dataset-bestand').value = '';
  $('soort-eerste').checked = true;
  $('erratum-datum').value = '';
  $('erratum-tekst').value = '';
  updateRenderForm();
}

/** What to pick up again when the same user signs in after the session ended: { actorId, jobId }. */
let resume = null;

/**
 * Shows the sign-in form. Whatever the service showed is removed from the page; what the user
 * typed stays only when the session ended by itself (the same user may sign in again), not when
 * the user signed out.
 */
function showSignIn(message, { signedOut = false } = {}) {
  if (signedOut) resume = null;
  else if (session) resume = { actorId: session.actor.id, jobId: following.id };
  session = null;
  clearServiceData();
  if (signedOut) {
    clearForm();
    history.replaceState(null, '', location.pathname);
  }
  $('pagina-status').hidden = true;
  $('werk').hidden = true;
  $('sessie').hidden = true;
  $('aanmelden').hidden = false;
  setStatus($('aanmelden-melding'), message ?? '', message ? 'error' : '');
  $('toegangscode').focus();
}

function applySession(data) {
  if (!data.signedIn) {
    showSignIn();
    return;
  }
  session = { mode: data.mode, via: data.via, actor: data.actor, csrfToken: data.csrfToken ?? null };
  const { actor } = session;
  $('pagina-status').hidden = true;
  $('aanmelden').hidden = true;
  $('werk').hidden = false;
  if (session.via === 'open') {
    $('sessie-wie').textContent = 'Zonder aanmelding: de service kent nog geen toegangscodes en is alleen op deze computer te bereiken.';
  } else if (session.via === 'none') {
    $('sessie-wie').textContent = 'Zonder aanmelding.';
  } else {
    fill($('sessie-wie'), 'Aangemeld als ', h('strong', {}, actor.name), ` (${ROLE_NAMES[actor.role] ?? actor.role})`);
  }
  $('afmelden').hidden = session.via !== 'session';
  document.dispatchEvent(new CustomEvent('session:changed'));
  $('sessie').hidden = false;
  // What the role allows is checked by the service on every request; the page only hides what would be refused.
  const canMake = actor.role === 'editor' || actor.role === 'admin';
  $('stap-dataset').hidden = !canMake;
  $('stap-maken').hidden = !canMake;
  $('alleen-lezen').hidden = canMake;
  const again = resume?.actorId === actor.id ? resume : null;
  resume = null;
  if (!again) clearForm();
  const linked = /^#taak=(r-[0-9a-f]{64})$/.exec(location.hash)?.[1];
  void loadPublications().then(() => {
    if (canMake && again && $('dataset-bestand').files?.length) void checkDataset();
    const jobId = again?.jobId ?? linked;
    if (jobId) void resumeJob(jobId);
  });
}

/** Follows a job again after signing in anew, without moving the focus. */
async function resumeJob(id) {
  try {
    const { data: job } = await api(`/api/jobs/${encodeURIComponent(id)}`);
    followJob(job, false, { focus: false });
  } catch {
    // The job is gone or not visible to this user: nothing to pick up.
    history.replaceState(null, '', location.pathname);
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = $('toegangscode');
  const errorEl = $('toegangscode-fout');
  const fail = (message) => {
    input.setAttribute('aria-invalid', 'true');
    input.closest('.field').classList.add('field-invalid');
    fill(errorEl, h('span', { class: 'visually-hidden' }, 'Fout: '), message);
    errorEl.hidden = false;
    input.focus();
  };
  input.removeAttribute('aria-invalid');
  input.closest('.field').classList.remove('field-invalid');
  errorEl.hidden = true;
  const token = input.value.trim();
  if (token === '') {
    fail('Vul uw toegangscode in.');
    return;
  }
  try {
    const { data } = await api('/api/session', { method: 'POST', body: { token } });
    input.value = '';
    applySession(data);
    $('inhoud').focus();
  } catch (error) {
    fail(
      error instanceof ApiError && error.status === 401
        ? 'Deze toegangscode is onbekend of ingetrokken. Controleer de code, of vraag de beheerder om een nieuwe.'
        : describeError(error).title,
    );
  }
}

async function signOut() {
  try {
    await api('/api/session', { method: 'DELETE' });
    showSignIn('U bent afgemeld.', { signedOut: true });
  } catch (error) {
    setStatus($('pagina-status'), `Afmelden lukte niet: ${describeError(error).title}`, 'error');
    $('pagina-status').hidden = false;
  }
}

async function loadSession() {
  try {
    const { data } = await api('/api/session');
    applySession(data);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      // A service without sign-in at all: it answers everyone, and checks every request itself.
      applySession({ signedIn: true, mode: 'open', via: 'none', actor: { id: 'anonymous', name: '', role: 'admin' } });
      return;
    }
    setStatus($('pagina-status'), `De service is niet bereikbaar: ${describeError(error).title}`, 'error');
  }
}

// ---------------------------------------------------------------------------------------------

function start() {
  $('aanmeld-formulier').addEventListener('submit', (event) => void signIn(event));
  $('afmelden').addEventListener('click', () => void signOut());
  $('dataset-bestand').addEventListener('change', () => void checkDataset());
  // An imported dataset becomes the chosen file of step 1, checked as any other.
  const useDataset = (name, text) => {
    const files = new DataTransfer();
    files.items.add(new File([text], name, { type: 'application/json' }));
    $('dataset-bestand').files = files.files;
    void checkDataset();
  };
  setupImport({ api, describeError, setStatus, h, fill, useDataset });
  setupNewPeriod({ api, describeError, setStatus, h, fill });
  periodTexts = setupTexts({ h, currentDataset: () => (chosen ? JSON.parse(chosen.text) : null) });
  for (const radio of document.querySelectorAll('input[name="soort"]')) radio.addEventListener('change', updateRenderForm);
  $('correctie-publicatie').addEventListener('change', describePrevious);
  for (const field of Object.keys(FIELD_ERRORS)) {
    $(field).addEventListener('input', () => {
      if ($(field).getAttribute('aria-invalid') === 'true') clearFieldError(field);
    });
  }
  $('maak-formulier').addEventListener('submit', (event) => void submitRender(event));
  $('maak-fouten').addEventListener('click', (event) => {
    const link = event.target.closest('a[data-field]');
    if (!link) return;
    event.preventDefault();
    $(link.dataset.field).focus();
  });
  $('publicaties-vernieuwen').addEventListener('click', () => void loadPublications());
  document.addEventListener('record:changed', (event) => void loadPublications(event.detail?.publicationId));
  updateRenderForm();
  void loadSession();
}

start();
