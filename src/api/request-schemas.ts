import { z } from 'zod';
import { AppError, type ErrorDetail } from '../errors.js';
import type { SubmitRequest } from '../jobs/index.js';
import { capText } from '../model/echo-limits.js';
import { isIsoDate } from '../model/iso-date.js';
import { findDirectives } from '../render/text/markup.js';
import { asComponent } from './route-table.js';

const jsonObject = z.record(z.string(), z.unknown(), {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a JSON object'),
});

/** A dataset in a request: any JSON object here (the service checks it with its places); documented as the Dataset schema. */
const datasetField = (description: string) => asComponent(jsonObject.meta({ description }), 'Dataset');

/** The erratum of a corrected edition (its content is checked after the shape: 422 ERRATUM_INVALID). */
export const ErratumSchema = asComponent(
  z.strictObject({
    date: z
      .string({ error: 'must be a date as YYYY-MM-DD' })
      .meta({ format: 'date', description: 'The date of the correction, YYYY-MM-DD.' }),
    text: z.string({ error: 'must be text (Markdown-like)' }).meta({ minLength: 1, description: 'What was corrected (Markdown-like).' }),
  }),
  'Erratum',
);

/** The shape of POST /api/jobs: the dataset, optionally the previous dataset and the erratum. */
export const SubmitBodySchema = asComponent(
  z.strictObject(
    {
      dataset: datasetField('A dataset in the dataset format (docs/dataset.schema.json).'),
      previous: datasetField(
        'Optional: the dataset as published before. Without it, the service uses the latest edition it rendered.',
      ).optional(),
      erratum: ErratumSchema.optional(),
      releaseAt: z.iso
        .datetime({ offset: true, error: 'must be an ISO date-time with offset, e.g. 2026-03-05T09:30:00+01:00' })
        .optional()
        .meta({
          description:
            "Optional: the release moment (with offset). Default: the dataset's publication.releaseAt, else its publicationDate " +
            'at 09:30 Dutch time; for a corrected edition no earlier than the erratum date at 09:30. Before it only editors see the edition.',
        }),
      acceptWarnings: z
        .boolean({ error: 'must be true or false' })
        .optional()
        .meta({
          description:
            'Accepts the warnings of the checks before publishing (rounding, period-on-period jumps). Without it a dataset with ' +
            'warnings is refused (WARNINGS_NOT_ACCEPTED). The acceptance (user, moment, finding ids) is recorded with the job and the edition.',
        }),
      texts: z.string({ error: 'must be the texts file as text (Markdown)' }).max(200_000).optional().meta({
        description:
          "Optional: the edition's texts file (Markdown: front matter 'periode', sections '# name'; docs/editors.md). Its sections become the dataset's publication.texts.",
      }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'the body must be a JSON object') },
  ),
  'RenderRequest',
);

function toPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(body)' : path.map(String).join('.');
}

/** Checks the body of POST /api/jobs: its shape (400 REQUEST_INVALID), then the erratum's content (422 ERRATUM_INVALID). */
export function parseSubmitBody(body: unknown): SubmitRequest {
  if (body === undefined) {
    throw new AppError('REQUEST_INVALID', 'the request has no body: send {"dataset": {...}} as application/json', {
      details: [{ path: '(body)', message: 'is empty' }],
    });
  }
  const parsed = SubmitBodySchema.safeParse(body);
  if (!parsed.success) {
    const details: ErrorDetail[] = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = toPath([...issue.path, key]);
          details.push({
            path,
            message: `${path} is not a field of the request (fields: dataset, previous, erratum, releaseAt, acceptWarnings, texts; erratum has date and text)`,
          });
        }
      } else {
        const path = toPath(issue.path);
        details.push({ path, message: `${path} ${issue.message}` });
      }
    }
    throw new AppError('REQUEST_INVALID', `the request body is invalid: ${details.map((d) => d.message).join('; ')}`, { details });
  }
  const { dataset, previous, erratum, releaseAt, acceptWarnings, texts } = parsed.data;
  if (erratum) {
    const details: ErrorDetail[] = [];
    if (!isIsoDate(erratum.date)) {
      details.push({ path: 'erratum.date', message: `erratum.date must be a date as YYYY-MM-DD, not "${erratum.date.slice(0, 40)}"` });
    }
    if (erratum.text.trim() === '') details.push({ path: 'erratum.text', message: 'erratum.text must say what was corrected' });
    for (const { line, text } of findDirectives(erratum.text).slice(0, 5)) {
      details.push({
        path: 'erratum.text',
        message: `erratum.text line ${line}: "${capText(text, 60)}" is a directive of the templates, which an erratum text may not hold (write \\:: for the characters)`,
      });
    }
    if (details.length > 0) throw new AppError('ERRATUM_INVALID', details.map((d) => d.message).join('; '), { details });
  }
  return {
    dataset,
    previous,
    erratum,
    releaseAt,
    ...(acceptWarnings !== undefined ? { acceptWarnings } : {}),
    ...(texts !== undefined ? { texts } : {}),
  };
}
