import { readFileSync } from 'node:fs';
import { UnrecoverableError } from 'bullmq';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWithTemplates } from '../../../src/checks/index.js';
import { AppError } from '../../../src/errors.js';
import { createRenderSandbox } from '../../../src/jobs/render-sandbox.js';
import { toJobError } from '../../../src/jobs/render-worker.js';
import { checkSubmission } from '../../../src/jobs/submission-checks.js';
import { renderEdition } from '../../../src/render/render-edition.js';
import { loadResources } from '../../../src/resources.js';
import { EXAMPLES, loadExample } from '../../helpers/examples.js';

// A typo in a directive (`::tabel` for `::table`) is a fault of the template: TEMPLATE_INVALID naming
// file, line and directive, refused by the checks before a job is queued, and never retried.

const resources = loadResources();
const before = loadExample(EXAMPLES.asPublished);
const after = loadExample(EXAMPLES.corrected);
const erratum = { date: '2020-04-28', text: 'De cijfers van Limburg zijn hersteld.' };

/** The templates with `::table kerncijfers` on line `line` of `file` written `::tabel kerncijfers`. */
function withTypo(file: string, line: number): Record<string, string> {
  const source = resources.templates[file] ?? '';
  const lines = source.split('\n');
  lines.splice(line - 1, 0, '::tabel kerncijfers');
  return { ...resources.templates, [file]: lines.join('\n') };
}

/** The line of the erratum text after which a typo goes: after its first blank line. */
const ERRATUM_LINE = (resources.templates['beleidsinformatie/erratum.hbs'] ?? '').split('\n').indexOf('') + 2;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the render to fail'),
    (error: unknown) => error,
  );
}

describe('a directive typo in a template', () => {
  it('in a chapter: TEMPLATE_INVALID naming the file, the line and the directive', async () => {
    const templates = withTypo('beleidsinformatie/02-uitkomsten.hbs', 3);
    const error = await rejection(renderEdition({ dataset: before }, { ...resources, templates }));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('TEMPLATE_INVALID');
    expect((error as AppError).message).toBe(
      'templates/beleidsinformatie/02-uitkomsten.hbs, line 3: ::tabel kerncijfers: unknown directive (known: ::table, ::symbols, ::figure, ::pagebreak)',
    );
  });

  it('in the erratum text: TEMPLATE_INVALID, not a plain Error', async () => {
    const templates = withTypo('beleidsinformatie/erratum.hbs', ERRATUM_LINE);
    const error = await rejection(renderEdition({ dataset: after, previous: before, erratum }, { ...resources, templates }));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('TEMPLATE_INVALID');
    expect((error as AppError).message).toContain(`templates/beleidsinformatie/erratum.hbs, line ${ERRATUM_LINE}: ::tabel kerncijfers`);
  });

  it('is refused by the checks and by a submission, before anything is queued', () => {
    const templates = withTypo('beleidsinformatie/erratum.hbs', ERRATUM_LINE);
    const place = `templates/beleidsinformatie/erratum.hbs, line ${ERRATUM_LINE}: ::tabel kerncijfers`;
    expect(() => checkWithTemplates(before, templates)).toThrow(place);
    let error: unknown;
    try {
      checkSubmission({ dataset: before, acceptWarnings: true, actor: 'test', now: new Date(0), templates });
    } catch (e) {
      error = e;
    }
    expect((error as AppError).code).toBe('TEMPLATE_INVALID');
    expect((error as AppError).details).toEqual([{ path: place, message: expect.stringContaining('unknown directive') }]);
    // The templates as they are pass.
    expect(() => checkWithTemplates(before, resources.templates)).not.toThrow();
  });

  describe('in the render child', () => {
    const sandbox = createRenderSandbox({ timeoutMs: 120_000 });
    afterAll(() => sandbox.close());

    it('arrives as TEMPLATE_INVALID, which the worker fails at once (no retry)', async () => {
      const templates = withTypo('beleidsinformatie/erratum.hbs', ERRATUM_LINE);
      const read = (file: string): Buffer => readFileSync(file);
      const error = await rejection(
        sandbox.render({ dataset: read(EXAMPLES.corrected), previous: read(EXAMPLES.asPublished), erratum, templates }),
      );
      expect((error as AppError).code).toBe('TEMPLATE_INVALID');
      const jobError = toJobError(error, pino({ enabled: false }), 'test');
      expect(jobError).toBeInstanceOf(UnrecoverableError);
      expect(jobError.message).toMatch(/^TEMPLATE_INVALID: templates\/beleidsinformatie\/erratum\.hbs, line \d+: ::tabel kerncijfers/);
    }, 120_000);
  });
});
