// Step 3 of the editor's page: a render job followed step by step until its files are there (or
// it failed), with its address in the page (#taak=…) so a reload shows the same job.

import { api } from './api.js';
import { $, fill, h, noticeHeading, serviceMessage, setStatus } from './dom.js';
import { changedCellsView, fileList } from './edition-views.js';
import { ApiError, describeError } from './errors.js';
import { isRunning, jobStatusKind, jobStatusText, jobWhat, POLL_MS, retryDelay, STEP_STATE_TEXT, stepStates } from './job-state.js';
import { loadPublications } from './publications.js';

/** @typedef {import('./page-types.js').Job} Job */
/** @typedef {import('./page-types.js').Edition} Edition */

/**
 * The job the page follows: its id, the timer of the next question, a count that makes answers
 * to an earlier job stale, and the failed questions in a row.
 * @type {{ id: string | null, timer: ReturnType<typeof setTimeout> | undefined, count: number, failures: number }}
 */
let following = { id: null, timer: undefined, count: 0, failures: 0 };

/** The id of the job the page follows, if any. */
export const followedJobId = () => following.id;

/** Stops following a job; an answer still on its way is not shown. */
export function stopFollowing() {
  clearTimeout(following.timer);
  following = { id: null, timer: undefined, count: following.count + 1, failures: 0 };
}

/** The step items of the page, with their keys and labels. */
function steps() {
  return [...document.querySelectorAll('#taak-stappen .step')].flatMap((li) =>
    li instanceof HTMLElement
      ? [{ li, key: li.dataset.step ?? '', label: li.querySelector('.step-label')?.textContent ?? li.dataset.step ?? '' }]
      : [],
  );
}

/** Marks each step from the job's state and the step it reached. @param {Job} job */
function showSteps(job) {
  const items = steps();
  const states = stepStates(
    items.map((s) => s.key),
    job,
  );
  items.forEach(({ li }, i) => {
    const state = states[i] ?? 'wacht';
    li.dataset.state = state;
    const text = li.querySelector('.step-state');
    if (text) text.textContent = STEP_STATE_TEXT[state];
    if (state === 'bezig') li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
  });
}

/**
 * Shows a job and follows it until it is done.
 * @param {Job} job
 * @param {boolean} existed whether the service had this job already (same input asked before)
 * @param {{ focus?: boolean }} [options]
 */
export function followJob(job, existed, { focus = true } = {}) {
  clearTimeout(following.timer);
  following = { id: job.id, timer: undefined, count: following.count + 1, failures: 0 };
  $('voortgang').hidden = false;
  fill($('taak-titel'), h('span', { class: 'label' }, 'Taak: '), `${jobWhat(job)} van `, h('code', {}, job.publicationId));
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

/**
 * @param {Job} job
 * @param {number} count
 */
function showJob(job, count) {
  if (count !== following.count) return;
  showSteps(job);
  setStatus(
    $('taak-status'),
    jobStatusText(
      job,
      steps().map(({ key, label }) => ({ key, label })),
    ),
    jobStatusKind(job),
  );
  if (job.state === 'completed') {
    void showResult(job, count);
  } else if (job.state === 'failed') {
    const { title } = describeError(new ApiError(500, job.error));
    fill(
      $('taak-fout'),
      noticeHeading('✕ ', 'Het maken is mislukt'),
      h('p', {}, title),
      job.error ? serviceMessage(job.error.message) : null,
      h('p', {}, 'Verbeter wat de melding noemt en start het maken opnieuw. Een storing buiten de dataset kunt u gewoon opnieuw proberen.'),
    );
    $('taak-fout').hidden = false;
  } else if (isRunning(job)) {
    following.timer = setTimeout(() => void poll(job.id, count), POLL_MS);
  }
}

/**
 * @param {string} id
 * @param {number} count
 */
async function poll(id, count) {
  try {
    /** @type {{ data: Job }} */
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
    following.timer = setTimeout(() => void poll(id, count), retryDelay(following.failures));
  }
}

/**
 * The files of a finished job (from its edition, with the moment it was made) and its changed cells.
 * @param {Job} job
 * @param {number} count
 */
async function showResult(job, count) {
  /** @type {Edition | undefined} */
  let edition;
  try {
    /** @type {{ data: { editions: Edition[] } }} */
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

/** Follows a job again (after signing in anew, or from the page's address), without moving the focus. @param {string} id */
export async function resumeJob(id) {
  try {
    /** @type {{ data: Job }} */
    const { data: job } = await api(`/api/jobs/${encodeURIComponent(id)}`);
    followJob(job, false, { focus: false });
  } catch {
    // The job is gone or not visible to this user: nothing to pick up.
    history.replaceState(null, '', location.pathname);
  }
}

/** Empties step 3. */
export function clearJobView() {
  $('voortgang').hidden = true;
  for (const id of ['taak-titel', 'taak-bestanden', 'taak-wijzigingen', 'taak-fout']) fill($(id));
  setStatus($('taak-status'), '');
}
