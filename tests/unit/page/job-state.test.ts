import { describe, expect, it } from 'vitest';
import { isRunning, jobStatusKind, jobStatusText, jobWhat, retryDelay, stepStates } from '../../../src/api/public/job-state.js';
import { PAGE_STEPS } from '../../../src/api/page-routes.js';

// Step 3 of the editor's page without the page (src/api/public/job-state.js): the state of each
// step of a render job, the status line and the wait before asking again. The steps are the page's
// own (PAGE_STEPS), as the template lists them.

const KEYS = PAGE_STEPS.map((s) => s.key);
const first = { correctedOn: null, progress: null, error: null, attempts: null };

describe('render job in the page', () => {
  it('marks the steps of a running first edition: done, busy, waiting; the erratum not needed', () => {
    expect(stepStates(KEYS, { ...first, state: 'active', progress: { step: 'pdf' } })).toEqual([
      'klaar',
      'klaar',
      'bezig',
      'wacht',
      'niet-nodig',
      'wacht',
    ]);
    // Active without progress yet: the first step is busy.
    expect(stepStates(KEYS, { ...first, state: 'active' })[0]).toBe('bezig');
    expect(stepStates(KEYS, { ...first, state: 'waiting' })).toEqual(['wacht', 'wacht', 'wacht', 'wacht', 'niet-nodig', 'wacht']);
  });

  it('marks where a failed correction stopped, and all steps of a finished one done', () => {
    const corrected = { ...first, correctedOn: '2020-03-02' };
    expect(stepStates(KEYS, { ...corrected, state: 'failed', progress: { step: 'xlsx' } })).toEqual([
      'klaar',
      'klaar',
      'klaar',
      'mislukt',
      'niet-gedaan',
      'niet-gedaan',
    ]);
    expect(stepStates(KEYS, { ...corrected, state: 'completed', progress: { step: 'store' } })).toEqual(KEYS.map(() => 'klaar'));
  });

  it('says which step of how many is running, counting the erratum only for a correction', () => {
    expect(jobStatusText({ ...first, state: 'active', progress: { step: 'pdf' } }, PAGE_STEPS)).toBe(
      'Bezig: PDF van de publicatie maken (stap 3 van 5).',
    );
    expect(jobStatusText({ ...first, correctedOn: '2020-03-02', state: 'active', progress: { step: 'store' } }, PAGE_STEPS)).toBe(
      'Bezig: Bestanden opslaan (stap 6 van 6).',
    );
    expect(jobStatusText({ ...first, state: 'active' }, PAGE_STEPS)).toBe('Bezig: het maken is begonnen.');
    expect(jobStatusText({ ...first, state: 'completed' }, PAGE_STEPS)).toBe('Klaar. De bestanden staan hieronder.');
    expect(jobStatusText({ ...first, state: 'failed' }, PAGE_STEPS)).toBe('Mislukt. De reden staat hieronder.');
    expect(jobStatusText({ ...first, state: 'waiting' }, PAGE_STEPS)).toBe('In de wachtrij: het maken begint zodra de service vrij is.');
    expect(
      jobStatusText({ ...first, state: 'delayed', error: { message: 'Redis went away' }, attempts: { made: 1, max: 3 } }, PAGE_STEPS),
    ).toBe('Een poging is mislukt (Redis went away). Poging 2 van 3 volgt zo.');
  });

  it('gives the kind of the status line and whether to keep asking', () => {
    expect(['completed', 'failed', 'active', 'waiting'].map((state) => jobStatusKind({ state }))).toEqual(['ok', 'error', 'busy', 'busy']);
    expect(['completed', 'failed', 'active', 'waiting'].map((state) => isRunning({ state }))).toEqual([false, false, true, true]);
  });

  it('names what the job makes', () => {
    expect(jobWhat({ edition: 1, correctedOn: null })).toBe('Editie 1');
    expect(jobWhat({ edition: 2, correctedOn: '2020-03-02' })).toBe('Gecorrigeerde editie 2 (erratum van 2 maart 2020)');
  });

  it('waits twice as long after each failure in a row, at most 10 seconds', () => {
    expect([1, 2, 3, 4, 5, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
