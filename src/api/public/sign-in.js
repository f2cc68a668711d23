// Signing in on the editor's page (only when the service has access tokens): the sign-in form, the
// session line, signing out, and what the page forgets when the session ends.

import { api, currentSession, setSession } from './api.js';
import { checkDataset, clearDatasetResult } from './dataset-step.js';
import { $, fill, h, input, setStatus } from './dom.js';
import { ApiError, describeError } from './errors.js';
import { clearJobView, followedJobId, resumeJob, stopFollowing } from './job-step.js';
import { loadPublications } from './publications.js';
import { clearForm, clearFormErrors } from './render-step.js';
import { pageState } from './state.js';

/** @typedef {import('./page-types.js').SessionAnswer} SessionAnswer */

/** @type {Readonly<Record<string, string>>} */
const ROLE_NAMES = { reader: 'lezer', editor: 'redacteur', admin: 'beheerder' };

/** What to pick up again when the same user signs in after the session ended. @type {{ actorId: string, jobId: string | null } | null} */
let resume = null;

/** Forgets everything the service told this page: the next user must not see it. */
function clearServiceData() {
  stopFollowing();
  clearDatasetResult();
  pageState.publications = [];
  setStatus($('dataset-status'), '');
  clearFormErrors();
  clearJobView();
  fill($('publicaties-lijst'));
  setStatus($('publicaties-status'), '');
  document.dispatchEvent(new CustomEvent('session:cleared'));
}

/**
 * Shows the sign-in form. Whatever the service showed is removed from the page; what the user
 * typed stays only when the session ended by itself (the same user may sign in again), not when
 * the user signed out.
 * @param {string} [message]
 * @param {{ signedOut?: boolean }} [options]
 */
export function showSignIn(message, { signedOut = false } = {}) {
  const session = currentSession();
  if (signedOut) resume = null;
  else if (session) resume = { actorId: session.actor.id, jobId: followedJobId() };
  setSession(null);
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
  input('toegangscode').focus();
}

/** Shows the page for who signed in, and picks up what they were doing. @param {SessionAnswer} data */
function applySession(data) {
  const actor = data.actor;
  if (!data.signedIn || !actor) {
    showSignIn();
    return;
  }
  setSession({ mode: data.mode, via: data.via, actor, csrfToken: data.csrfToken ?? null });
  $('pagina-status').hidden = true;
  $('aanmelden').hidden = true;
  $('werk').hidden = false;
  if (data.via === 'open') {
    $('sessie-wie').textContent = 'Zonder aanmelding: de service kent nog geen toegangscodes en is alleen op deze computer te bereiken.';
  } else if (data.via === 'none') {
    $('sessie-wie').textContent = 'Zonder aanmelding.';
  } else {
    fill($('sessie-wie'), 'Aangemeld als ', h('strong', {}, actor.name), ` (${ROLE_NAMES[actor.role] ?? actor.role})`);
  }
  $('afmelden').hidden = data.via !== 'session';
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
    if (canMake && again && input('dataset-bestand').files?.length) void checkDataset();
    const jobId = again?.jobId ?? linked;
    if (jobId) void resumeJob(jobId);
  });
}

/** @param {SubmitEvent} event */
async function signIn(event) {
  event.preventDefault();
  const field = input('toegangscode');
  const errorEl = $('toegangscode-fout');
  /** @param {string} message */
  const fail = (message) => {
    field.setAttribute('aria-invalid', 'true');
    field.closest('.field')?.classList.add('field-invalid');
    fill(errorEl, h('span', { class: 'visually-hidden' }, 'Fout: '), message);
    errorEl.hidden = false;
    field.focus();
  };
  field.removeAttribute('aria-invalid');
  field.closest('.field')?.classList.remove('field-invalid');
  errorEl.hidden = true;
  const token = field.value.trim();
  if (token === '') {
    fail('Vul uw toegangscode in.');
    return;
  }
  try {
    /** @type {{ data: SessionAnswer }} */
    const { data } = await api('/api/session', { method: 'POST', body: { token } });
    field.value = '';
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

/** Asks the service who uses the page, and shows the page for them (or the sign-in form). */
export async function loadSession() {
  try {
    /** @type {{ data: SessionAnswer }} */
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

/** Wires the sign-in form and the sign-out button. */
export function setupSignIn() {
  $('aanmeld-formulier', HTMLFormElement).addEventListener('submit', (event) => void signIn(event));
  $('afmelden').addEventListener('click', () => void signOut());
}
