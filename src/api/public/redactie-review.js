// The draft and review views of the editor's page: drafts waiting for review and who made them,
// and one draft with its findings, its PDF pages (pdf.js), its files, its changed figures and the
// approve/reject form. Like redactie.js it reads and changes everything through the API and
// writes text as text. Loaded as its own module; redactie.js tells it about a new draft with the
// event "draft:created" on document.

import { acceptanceNote } from './bevindingen.js';
import { api as callApi, currentSession } from './api.js';
import { $, fill, h, input } from './dom.js';

/** @typedef {import('./page-types.js').Draft} Draft */
/** @typedef {import('./page-types.js').AuditEntry} AuditEntry */
/** @typedef {import('./page-types.js').ChangedCells} ChangedCells */

const dateTime = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
/** pdf.js (pdfjs-dist's build), served by the service (page-routes.ts). */
const PDFJS = '/static/pdf.min.mjs';
/** @type {Readonly<Record<string, string>>} */
const STATE_NAMES = { pending: 'wacht op beoordeling', approved: 'goedgekeurd', rejected: 'afgekeurd' };
/** @type {Readonly<Record<string, string>>} */
const FILE_TITLES = {
  'publicatie.pdf': 'Publicatie (PDF)',
  'tabellenbijlage.xlsx': 'Tabellenbijlage (Excel)',
  'erratum.pdf': 'Erratum (PDF)',
};
/** @type {Readonly<Record<string, string>>} */
const KIND_NAMES = { value: 'waarde', moved: 'verplaatst', 'moved-value': 'verplaatst en gewijzigd' };

/** The draft shown, and the timer that shows it again while it is being made. @type {{ id: string | null, timer: ReturnType<typeof setTimeout> | undefined }} */
let current = { id: null, timer: undefined };

/** The message of a failure, for the status lines. @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error));

/**
 * Calls the API through api.js, as every view of the page does (the session's CSRF token, the
 * sign-in form when the session ended), and returns its JSON answer (typed by the caller); a
 * refusal throws ApiError with the service's detail as message.
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<any>}
 */
async function api(path, options = {}) {
  return (await callApi(path, options)).data;
}

/** @param {string} text @param {string} [kind] */
function setStatus(text, kind = '') {
  const el = $('concepten-status');
  el.textContent = text;
  if (kind) el.dataset.kind = kind;
  else delete el.dataset.kind;
}

function canReview() {
  const role = currentSession()?.actor.role;
  return role === 'editor' || role === 'admin';
}

// ---------------------------------------------------------------------------------------------
// The list of drafts

/** @param {Draft} d */
function draftLine(d) {
  const title = d.correctsEdition ? `Correctie van editie ${d.correctsEdition}` : 'Publicatie';
  const open = h('button', { type: 'button', class: 'link-button', 'data-draft': d.id }, `${title} · ${d.publicationId}`);
  open.addEventListener('click', () => void showDraft(d.id));
  const state = d.state === 'approved' && d.edition ? `goedgekeurd, editie ${d.edition}` : STATE_NAMES[d.state];
  return h(
    'li',
    { class: `draft-line draft-${d.state}` },
    open,
    h('span', { class: 'meta' }, ` · gemaakt door ${d.createdBy.name} op ${dateTime.format(new Date(d.createdAt))} · `),
    h('strong', { class: 'draft-state' }, state),
  );
}

async function loadDrafts() {
  if (!canReview()) return;
  setStatus('Concepten laden…', 'busy');
  try {
    /** @type {{ drafts: Draft[] }} */
    const { drafts } = await api('/api/drafts');
    const waiting = drafts.filter((d) => d.state === 'pending');
    const done = drafts.filter((d) => d.state !== 'pending').slice(0, 10);
    fill(
      $('concepten-lijst'),
      h('h3', {}, `Wachten op beoordeling (${waiting.length})`),
      waiting.length ? h('ul', { class: 'drafts' }, waiting.map(draftLine)) : h('p', {}, 'Er wacht geen concept op beoordeling.'),
      done.length ? [h('h3', {}, 'Laatst beoordeeld'), h('ul', { class: 'drafts' }, done.map(draftLine))] : null,
    );
    setStatus('');
  } catch (error) {
    setStatus(`De concepten konden niet geladen worden: ${messageOf(error)}`, 'error');
  }
}

// ---------------------------------------------------------------------------------------------
// One draft

/** @param {ChangedCells | null | undefined} changed */
function changedTable(changed) {
  if (!changed) return h('p', {}, 'Dit concept is geen correctie: er zijn geen gewijzigde cijfers.');
  if (changed.total === 0) return h('p', {}, 'Geen enkel cijfer verschilt van de editie die het corrigeert.');
  return [
    h(
      'p',
      {},
      `${changed.total} cijfers verschillen van de editie die dit concept corrigeert${changed.cells.length < changed.total ? ` (de eerste ${changed.cells.length} staan hieronder)` : ''}.`,
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'changes' },
        h('caption', { class: 'sr-only' }, 'Gewijzigde cijfers: was en wordt'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Tabel', 'Rij', 'Kolom', 'Was', 'Wordt', 'Soort'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          changed.cells.map((c) =>
            h(
              'tr',
              {},
              h('td', {}, c.tableTitle),
              h('td', {}, c.rowLabel, c.movedFromLabel ? h('span', { class: 'meta' }, ` (stond onder ${c.movedFromLabel})`) : null),
              h('td', {}, c.columnTitle),
              h('td', { class: 'num' }, c.oldText),
              h('td', { class: 'num' }, c.newText),
              h('td', {}, KIND_NAMES[c.kind] ?? c.kind),
            ),
          ),
        ),
      ),
    ),
  ];
}

/** @type {Readonly<Record<string, string>>} */
const SEVERITY_NAMES = { error: 'Fout', warning: 'Waarschuwing' };

/** The findings of the checks before publishing that the draft was made with, and who accepted the warnings. */
/**
 * @param {unknown} findings the draft's findings: a list, or the checks with their list and acceptance
 */
function findingsView(findings) {
  /** @type {{ findings?: unknown, acceptance?: import('./page-types.js').WarningAcceptance | null } | null} */
  const checks = typeof findings === 'object' && findings !== null && !Array.isArray(findings) ? findings : null;
  /** @type {readonly (string | { severity?: string, message?: string })[] | null} */
  const list = Array.isArray(findings) ? findings : Array.isArray(checks?.findings) ? checks.findings : null;
  if (!list || list.length === 0) return h('p', {}, 'De controles vóór publicatie vonden geen fouten en geen waarschuwingen.');
  return [
    h(
      'ul',
      { class: 'findings' },
      list.map((f) =>
        h('li', {}, typeof f === 'string' ? f : [f.severity ? `${SEVERITY_NAMES[f.severity] ?? f.severity}: ` : '', f.message ?? '']),
      ),
    ),
    acceptanceNote(checks),
  ];
}

/** @param {Draft} d */
function fileLinks(d) {
  return h(
    'ul',
    { class: 'files' },
    d.artifacts.map((a) =>
      h(
        'li',
        {},
        h('a', { href: `${a.links.view}?download=1`, download: '' }, `${FILE_TITLES[a.name] ?? a.name} (concept) downloaden`),
        h('span', { class: 'meta' }, ` · ${Math.max(1, Math.round(a.size / 1024))} kB`),
      ),
    ),
  );
}

/** Renders the pages of a PDF of the draft into the viewer with pdf.js. */
/**
 * @param {HTMLElement} container
 * @param {string} url
 * @param {string} title
 */
async function showPdf(container, url, title) {
  fill(container, h('p', { class: 'status', 'data-kind': 'busy' }, `${title} laden…`));
  try {
    /** @type {typeof import('pdfjs-dist')} */
    const pdfjs = await import(PDFJS);
    pdfjs.GlobalWorkerOptions.workerSrc = '/static/pdf.worker.min.mjs';
    const doc = await pdfjs.getDocument({ url, isEvalSupported: false, withCredentials: true }).promise;
    const pages = h('div', { class: 'pdf-pages' });
    fill(container, h('p', { class: 'meta' }, `${title}: ${doc.numPages} bladzijden`), pages);
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1.1 });
      const canvas = h('canvas', {
        class: 'pdf-page',
        width: Math.floor(viewport.width),
        height: Math.floor(viewport.height),
        role: 'img',
        'aria-label': `${title}, bladzijde ${n} van ${doc.numPages}`,
      });
      pages.append(h('figure', { class: 'pdf-figure' }, canvas, h('figcaption', { class: 'meta' }, `Bladzijde ${n}`)));
      await page.render({ canvasContext: canvas.getContext('2d') ?? undefined, viewport, canvas }).promise;
    }
  } catch (error) {
    fill(
      container,
      h('p', { class: 'notice notice-error' }, `De PDF kon niet getoond worden: ${messageOf(error)}. Download het bestand hieronder.`),
    );
  }
}

/** @param {Draft} d */
function reviewForm(d) {
  if (d.state !== 'pending') {
    const r = d.review;
    return h(
      'div',
      { class: `notice ${d.state === 'approved' ? 'notice-ok' : 'notice-error'}` },
      h(
        'p',
        {},
        h('strong', {}, d.state === 'approved' ? `Goedgekeurd: editie ${d.edition}` : 'Afgekeurd'),
        r ? ` door ${r.reviewer.name} op ${dateTime.format(new Date(r.at))}` : '',
      ),
      r ? h('p', {}, `Toelichting: ${r.comment}`) : null,
    );
  }
  if (d.createdBy.id === currentSession()?.actor.id) {
    return h(
      'p',
      { class: 'notice' },
      'U heeft dit concept zelf gemaakt. Een andere redacteur moet het beoordelen; niemand keurt zijn eigen werk goed.',
    );
  }
  if (d.render.state !== 'completed')
    return h('p', { class: 'notice' }, 'Het concept wordt nog gemaakt. Beoordeel het als u de bestanden hebt kunnen bekijken.');
  const comment = h('textarea', {
    id: 'beoordeling-toelichting',
    rows: 3,
    required: true,
    maxlength: 2000,
    'aria-describedby': 'beoordeling-uitleg',
  });
  const seen = h('input', { type: 'checkbox', id: 'beoordeling-gezien' });
  const message = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  /** @param {'approve' | 'reject'} decision */
  const send = async (decision) => {
    if (comment.value.trim() === '') {
      message.textContent = 'Schrijf eerst een toelichting.';
      message.dataset.kind = 'error';
      comment.focus();
      return;
    }
    if (decision === 'approve' && !seen.checked) {
      message.textContent = 'Bevestig eerst dat u de bestanden en de gewijzigde cijfers hebt bekeken.';
      message.dataset.kind = 'error';
      seen.focus();
      return;
    }
    message.textContent = decision === 'approve' ? 'Goedkeuren…' : 'Afkeuren…';
    message.dataset.kind = 'busy';
    try {
      await api(`/api/drafts/${encodeURIComponent(d.id)}/reviews`, { method: 'POST', body: { decision, comment: comment.value } });
      await showDraft(d.id);
      await loadDrafts();
      document.dispatchEvent(new CustomEvent('record:changed', { detail: { publicationId: d.publicationId } }));
    } catch (error) {
      message.textContent = messageOf(error);
      message.dataset.kind = 'error';
    }
  };
  const approve = h('button', { type: 'button', class: 'button' }, 'Goedkeuren en editie maken');
  const reject = h('button', { type: 'button', class: 'button button-secondary' }, 'Afkeuren');
  approve.addEventListener('click', () => void send('approve'));
  reject.addEventListener('click', () => void send('reject'));
  return h(
    'form',
    { class: 'review-form', novalidate: true },
    h('h4', {}, 'Uw beoordeling'),
    h(
      'p',
      { id: 'beoordeling-uitleg', class: 'hint' },
      'Goedkeuren geeft dit concept het volgende editienummer. Lezers zien de editie vanaf het moment van publicatie.',
    ),
    h('label', { for: 'beoordeling-toelichting' }, 'Toelichting (verplicht)'),
    comment,
    h(
      'p',
      {},
      seen,
      ' ',
      h('label', { for: 'beoordeling-gezien' }, 'Ik heb de bladzijden, de bestanden en de gewijzigde cijfers bekeken.'),
    ),
    h('div', { class: 'actions' }, approve, ' ', reject),
    message,
  );
}

/** @param {string} id */
async function showDraft(id) {
  clearTimeout(current.timer);
  current = { id, timer: undefined };
  const view = $('concept');
  view.hidden = false;
  fill(view, h('p', { class: 'status', 'data-kind': 'busy' }, 'Concept laden…'));
  /** @type {Draft} */
  let d;
  try {
    d = await api(`/api/drafts/${encodeURIComponent(id)}`);
  } catch (error) {
    fill(view, h('p', { class: 'notice notice-error' }, `Het concept kon niet geladen worden: ${messageOf(error)}`));
    return;
  }
  if (current.id !== id) return;
  const title = d.correctsEdition ? `Concept: correctie van editie ${d.correctsEdition}` : 'Concept: publicatie';
  const rendering = d.render.state !== 'completed';
  const viewer = h('div', { class: 'pdf-viewer', tabindex: 0, role: 'region', 'aria-label': 'Bladzijden van de publicatie' });
  const erratumViewer = h('div', { class: 'pdf-viewer', tabindex: 0, role: 'region', 'aria-label': 'Bladzijden van het erratum' });
  fill(
    view,
    h('h3', {}, `${title} · ${d.publicationId}`),
    h(
      'p',
      { class: 'meta' },
      `Gemaakt door ${d.createdBy.name} op ${dateTime.format(new Date(d.createdAt))} · publicatiemoment ${dateTime.format(new Date(d.releaseAt))} · ${STATE_NAMES[d.state]}`,
    ),
    d.erratum ? h('p', { class: 'erratum-text' }, h('strong', {}, 'Tekst van het erratum: '), d.erratum.text) : null,
    d.templates ? h('p', { class: 'meta' }, h('strong', {}, 'Sjablonen: '), d.templates.label) : null,
    rendering
      ? h(
          'p',
          { class: 'status', 'data-kind': d.render.state === 'failed' ? 'error' : 'busy' },
          d.render.state === 'failed' ? `Het maken is mislukt: ${d.render.error?.message ?? ''}` : 'Het concept wordt gemaakt…',
        )
      : null,
    h('h4', {}, 'Bevindingen van de controles'),
    findingsView(d.findings),
    h('h4', {}, 'Gewijzigde cijfers'),
    rendering ? h('p', {}, 'Volgen zodra het concept klaar is.') : changedTable(d.changedCells),
    h('h4', {}, 'Bestanden'),
    rendering ? null : fileLinks(d),
    rendering || !d.sheets?.length
      ? null
      : [
          h('h4', {}, `Werkbladen van de tabellenbijlage (${d.sheets.length})`),
          h(
            'ol',
            { class: 'sheets' },
            d.sheets.map((name) => h('li', {}, name)),
          ),
        ],
    h('h4', {}, 'Bladzijden van de publicatie'),
    viewer,
    d.artifacts?.some((a) => a.name === 'erratum.pdf') ? [h('h4', {}, 'Bladzijden van het erratum'), erratumViewer] : null,
    reviewForm(d),
  );
  view.focus();
  if (rendering && d.render.state !== 'failed') {
    current.timer = setTimeout(() => void showDraft(id), 700);
    return;
  }
  const pdf = d.artifacts.find((a) => a.name === 'publicatie.pdf');
  if (pdf) void showPdf(viewer, pdf.links.view, 'Publicatie');
  const erratum = d.artifacts.find((a) => a.name === 'erratum.pdf');
  if (erratum) void showPdf(erratumViewer, erratum.links.view, 'Erratum');
}

// ---------------------------------------------------------------------------------------------
// Admins: withdraw a released edition, read the audit log

/** @type {Readonly<Record<string, string>>} */
const ACTION_NAMES = {
  'draft.created': 'concept gemaakt',
  'findings.accepted': 'waarschuwingen geaccepteerd',
  'draft.approved': 'concept goedgekeurd',
  'draft.rejected': 'concept afgekeurd',
  'edition.released': 'editie openbaar',
  'edition.withdrawn': 'editie ingetrokken',
  'draft.removed': 'oud concept verwijderd',
  'retention.removed': 'opgeruimd (bewaartermijn)',
  'token.created': 'toegangscode gemaakt',
  'token.revoked': 'toegangscode ingetrokken',
  'session.created': 'aangemeld',
  'session.ended': 'afgemeld',
  'access.denied': 'toegang geweigerd',
  'artifact.downloaded': 'bestand opgehaald',
};

async function loadAudit() {
  try {
    /** @type {{ entries: AuditEntry[] }} */
    const { entries } = await api('/api/audit?limit=50');
    fill(
      $('logboek'),
      h(
        'table',
        { class: 'changes' },
        h('caption', { class: 'sr-only' }, 'De laatste 50 gebeurtenissen'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Wanneer', 'Wie', 'Wat', 'Waarover'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          entries.map((e) =>
            h(
              'tr',
              {},
              h('td', {}, dateTime.format(new Date(e.at))),
              h('td', {}, e.actor ? e.actor.name : 'de service'),
              h('td', {}, ACTION_NAMES[e.action] ?? e.action, e.reason ? ` (${e.reason})` : ''),
              h(
                'td',
                {},
                Object.entries(e.object)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(' · '),
              ),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    fill($('logboek'), h('p', { class: 'notice notice-error' }, `Het logboek kon niet geladen worden: ${messageOf(error)}`));
  }
}

/** @param {SubmitEvent} event */
async function withdraw(event) {
  event.preventDefault();
  const status = $('intrek-status');
  const publication = input('intrek-publicatie').value.trim();
  const edition = input('intrek-editie').value.trim();
  const reason = $('intrek-reden', HTMLTextAreaElement).value.trim();
  if (!publication || !edition || !reason) {
    status.textContent = 'Vul de publicatie, de editie en de openbare reden in.';
    status.dataset.kind = 'error';
    return;
  }
  status.textContent = 'Intrekken…';
  status.dataset.kind = 'busy';
  try {
    await api(`/api/publications/${encodeURIComponent(publication)}/editions/${encodeURIComponent(edition)}/withdrawal`, {
      method: 'POST',
      body: { reason },
    });
    status.textContent = `Editie ${edition} van ${publication} is ingetrokken.`;
    status.dataset.kind = 'ok';
    document.dispatchEvent(new CustomEvent('record:changed', { detail: { publicationId: publication } }));
    await loadAudit();
  } catch (error) {
    status.textContent = messageOf(error);
    status.dataset.kind = 'error';
  }
}

// ---------------------------------------------------------------------------------------------

/** Shows what the session allows: called at load and whenever sign-in.js has a new session. */
async function start() {
  const admin = currentSession()?.actor.role === 'admin';
  $('concepten').hidden = !canReview();
  $('beheer').hidden = !admin;
  if (admin) void loadAudit();
  if (!canReview()) return;
  await loadDrafts();
}

document.addEventListener('draft:created', (event) => {
  const draft = event instanceof CustomEvent ? event.detail : null;
  void start().then(() => (draft?.id ? showDraft(draft.id) : undefined));
});
document.addEventListener('session:changed', () => void start());
// Signed out or the session ended: nothing the service showed stays in the page.
document.addEventListener('session:cleared', () => {
  clearTimeout(current.timer);
  current = { id: null, timer: undefined };
  fill($('concepten-lijst'));
  fill($('concept'));
  $('concept').hidden = true;
  $('concepten').hidden = true;
  $('beheer').hidden = true;
  fill($('logboek'));
  setStatus('');
});
$('logboek-vernieuwen').addEventListener('click', () => void loadAudit());
$('intrek-formulier', HTMLFormElement).addEventListener('submit', (event) => void withdraw(event));
$('concepten-vernieuwen').addEventListener('click', () => void loadDrafts());
void start();
