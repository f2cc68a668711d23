import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import { formatDatasetJson } from '../model/dataset-json.js';
import { newPeriodSkeleton } from '../model/new-period.js';
import { parseTextsFile } from '../model/texts-file.js';
import { templateSectionNames } from '../render/period-sections.js';
import type { TemplateFiles } from '../render/types.js';
import { loadTemplates } from '../resources.js';
import { jsonBody } from './json-body.js';
import { asComponent, defineRoute, problemAnswer } from './route-table.js';
import { readJsonBody } from './zod-body.js';

/** The body of POST /api/datasets/new-period: the last period's dataset, the new period's code, optionally its title and the last texts file. */
const NewPeriodBodySchema = z.strictObject({
  dataset: asComponent(
    z.record(z.string(), z.unknown(), { error: 'must be the dataset of the last period, a JSON object' }).meta({
      description: 'The dataset of the last period.',
    }),
    'Dataset',
  ),
  period: z
    .string({ error: 'must be the code of the new period, e.g. 2019HJ02' })
    .min(1)
    .max(64)
    .meta({ description: 'The code of the new period, e.g. 2019HJ02.' }),
  title: z.string().min(1).max(120).optional().meta({ description: 'Its title, e.g. "2e halfjaar van 2019"; default from the code.' }),
  texts: z
    .string({ error: 'must be the texts file of the last period as text' })
    .max(200_000)
    .optional()
    .meta({ description: 'The texts file of the last period; default the texts in its dataset.' }),
});

/** The answer of POST /api/datasets/new-period. */
const NewPeriodAnswerSchema = z.object({
  publicationId: z.string(),
  fileName: z.string(),
  dataset: z.string().meta({ description: 'The text of the dataset file of the new period.' }),
  textsFileName: z.string(),
  texts: z.string().meta({ description: 'The texts file of the new period.' }),
  todo: z.array(z.string()).meta({ description: 'What the editor must still do before the skeleton renders.' }),
});

/**
 * POST /api/datasets/new-period: as `npm run new-period` (docs/editors.md), makes the skeleton of
 * the next period from the last one: the dataset file (new period, status and dates to confirm,
 * tables without figures) and the texts file (each period text marked as taken over, to review).
 * Nothing is stored. A wrong period code or title is 400 REQUEST_INVALID naming the field.
 */
export const newPeriodRoute = defineRoute<{ readonly maxBodyBytes: number; readonly gate: RequestHandler }>({
  method: 'POST',
  path: '/api/datasets/new-period',
  role: 'editor',
  operationId: 'newPeriod',
  summary: 'Make the skeleton of the next period from the dataset of the last one',
  description:
    'As `npm run new-period` (docs/editors.md): the dataset file of the new period (status, dates and the note on ' +
    'illustrative figures to confirm; every table without figures) and the texts file (each period text of the last ' +
    'period marked as taken over, to review). Rendering refuses the skeleton until both are done. Nothing is stored.',
  input: { body: { 'application/json': NewPeriodBodySchema } },
  responses: {
    200: {
      description: 'The skeleton: publicationId, fileName and dataset (the text of the dataset file), textsFileName and texts, todo.',
      content: { 'application/json': NewPeriodAnswerSchema },
    },
    400: problemAnswer('The request is not as described, or the period code or title is wrong (REQUEST_INVALID).'),
    415: problemAnswer('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
    422: problemAnswer('The dataset of the last period or its texts file is invalid (DATASET_INVALID, TEXTS_INVALID).'),
  },
  handler: ({ maxBodyBytes, gate }) => {
    let current: TemplateFiles | undefined;
    return [
      ...jsonBody(maxBodyBytes, true, gate),
      (req, res) => {
        const body = readJsonBody(req, NewPeriodBodySchema, 'new-period request');
        current ??= loadTemplates();
        let skeleton: ReturnType<typeof newPeriodSkeleton>;
        try {
          skeleton = newPeriodSkeleton(
            body.dataset,
            {
              period: body.period,
              ...(body.title ? { title: body.title } : {}),
              ...(body.texts !== undefined ? { previousTexts: parseTextsFile(body.texts, 'texts') } : {}),
              sections: templateSectionNames(current, (body.dataset.publication as { template?: unknown } | undefined)?.template),
            },
            'dataset',
          );
        } catch (error) {
          // The skeleton's own refusals name the command line's options; here they are fields of the request.
          if (isAppError(error, 'USAGE')) {
            const message = error.message.replace(/--(period|title)\b/g, '$1');
            const field = /\btitle\b/.test(message) ? 'title' : 'period';
            throw new AppError('REQUEST_INVALID', message, { details: [{ path: field, message }] });
          }
          throw error;
        }
        const id = (skeleton.dataset.publication as { id: string }).id;
        res.json({
          publicationId: id,
          fileName: `${id}.json`,
          dataset: formatDatasetJson(skeleton.dataset),
          textsFileName: `${id}-teksten.md`,
          texts: skeleton.texts,
          todo: skeleton.todo,
        });
      },
    ];
  },
});
