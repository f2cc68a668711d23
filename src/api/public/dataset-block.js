// A collapsible block under step 1 (import, new period): a form whose submit runs `run` with the
// button disabled; the block's status line and result area show what came of it, or the error.

import { $, fill, h, setStatus } from './dom.js';
import { ApiError, describeError } from './errors.js';

/** @typedef {{ status: HTMLElement, result: HTMLElement }} BlockParts */

/**
 * Adds `<details id>` with `summary` (its summary's id is `<id>-kop`), `form`, a status line and a
 * result area to step 1. On submit, `run({ status, result })` runs; a thrown error is shown with
 * the service's message and, when there are several, its problems.
 * @param {{ id: string, summary: string, form: HTMLFormElement, button: HTMLButtonElement, run: (parts: BlockParts) => Promise<void> }} block
 */
export function addDatasetBlock({ id, summary, form, button, run }) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const result = h('div', { hidden: true });
  $('stap-dataset').append(h('details', { id }, h('summary', { id: `${id}-kop` }, summary), form, status, result));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.hidden = true;
    fill(result);
    button.disabled = true;
    try {
      await run({ status, result });
    } catch (error) {
      const { title, detail } = describeError(error);
      setStatus(status, title, 'error');
      const problems = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
      fill(
        result,
        detail ? h('p', {}, detail) : null,
        problems.length > 1
          ? h(
              'ol',
              { class: 'problems' },
              problems.slice(0, 20).map((p) => h('li', {}, p.message)),
            )
          : null,
      );
    } finally {
      button.disabled = false;
      result.hidden = false;
    }
  });
}
