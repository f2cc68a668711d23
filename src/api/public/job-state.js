// Step 3 of the editor's page in words: what each step of a render job shows, the status line,
// and how long to wait before asking again. Pure: no page, no DOM.

import { formatDay } from './format.js';

/** @typedef {import('./page-types.js').Job} Job */
/** @typedef {'wacht' | 'bezig' | 'klaar' | 'mislukt' | 'niet-nodig' | 'niet-gedaan'} StepState */

/** How often the page asks for a running job, in milliseconds. */
export const POLL_MS = 500;
/** The longest wait between two tries when the service does not answer. */
const MAX_RETRY_MS = 10_000;

/** The words of each step state. @type {Readonly<Record<StepState, string>>} */
export const STEP_STATE_TEXT = {
  wacht: 'wacht',
  bezig: 'bezig…',
  klaar: 'klaar',
  mislukt: 'mislukt',
  'niet-nodig': 'niet nodig',
  'niet-gedaan': 'niet gedaan',
};

/**
 * The state of each step (by key, in order) from the job's state and the step it reached. The
 * erratum is not needed for a first edition.
 * @param {readonly string[]} keys
 * @param {Pick<Job, 'state' | 'progress' | 'correctedOn'>} job
 * @returns {StepState[]}
 */
export function stepStates(keys, job) {
  const corrected = job.correctedOn !== null;
  const reached = job.progress ? keys.indexOf(job.progress.step) : -1;
  return keys.map((key, i) => {
    if (key === 'erratum' && !corrected) return 'niet-nodig';
    if (job.state === 'completed') return 'klaar';
    if (job.state === 'failed') return i < reached ? 'klaar' : i === reached ? 'mislukt' : 'niet-gedaan';
    if (job.state === 'active') return i < reached ? 'klaar' : i === Math.max(reached, 0) ? 'bezig' : 'wacht';
    return 'wacht';
  });
}

/**
 * The status line of a job.
 * @param {Pick<Job, 'state' | 'progress' | 'correctedOn' | 'error' | 'attempts'>} job
 * @param {readonly { key: string, label: string }[]} steps the page's steps, in order
 */
export function jobStatusText(job, steps) {
  const shown = steps.filter((step) => job.correctedOn !== null || step.key !== 'erratum');
  if (job.state === 'completed') return 'Klaar. De bestanden staan hieronder.';
  if (job.state === 'failed') return 'Mislukt. De reden staat hieronder.';
  if (job.state === 'active' && job.progress) {
    const step = job.progress.step;
    const at = shown.findIndex((s) => s.key === step);
    const label = shown[at]?.label ?? step;
    return `Bezig: ${label} (stap ${at + 1} van ${shown.length}).`;
  }
  if (job.state === 'active') return 'Bezig: het maken is begonnen.';
  if (job.error && job.attempts) {
    return `Een poging is mislukt (${job.error.message}). Poging ${job.attempts.made + 1} van ${job.attempts.max} volgt zo.`;
  }
  return 'In de wachtrij: het maken begint zodra de service vrij is.';
}

/** The kind of the status line of a job. @param {Pick<Job, 'state'>} job @returns {'error' | 'ok' | 'busy'} */
export const jobStatusKind = (job) => (job.state === 'failed' ? 'error' : job.state === 'completed' ? 'ok' : 'busy');

/** Whether the page keeps asking about a job. @param {Pick<Job, 'state'>} job */
export const isRunning = (job) => job.state !== 'completed' && job.state !== 'failed';

/**
 * What a job makes, in words (after "Taak: ", before "van <publication>").
 * @param {Pick<Job, 'correctedOn' | 'edition'>} job
 */
export function jobWhat(job) {
  return job.correctedOn ? `Gecorrigeerde editie ${job.edition} (erratum van ${formatDay(job.correctedOn)})` : `Editie ${job.edition}`;
}

/** The wait before the next try after `failures` failed ones in a row: doubling, at most 10 s. @param {number} failures */
export const retryDelay = (failures) => Math.min(MAX_RETRY_MS, POLL_MS * 2 ** failures);
