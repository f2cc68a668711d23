import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import { formatDatasetJson, newPeriodSkeleton } from '../model/new-period.js';
import { parseTextsFile } from '../model/texts-file.js';
import { templateSectionNames } from '../render/period-sections.js';
import type { TemplateFiles } from '../render/types.js';
import { loadTemplates } from '../resources.js';
import { jsonBody } from './json-body.js';
import { readJsonBody } from './zod-body.js';

/** The body of POST /api/datasets/new-period: the last period's dataset, the new period's code, optionally its title and the last texts file. */
const NewPeriodBodySchema = z.strictObject({
  dataset: z.record(z.string(), z.unknown(), { error: 'must be the dataset of the last period, a JSON object' }),
  period: z.string({ error: 'must be the code of the new period, e.g. 2019HJ02' }).min(1).max(64),
  title: z.string().min(1).max(120).optional(),
  texts: z.string({ error: 'must be the texts file of the last period as text' }).max(200_000).optional(),
});

/**
 * POST /api/datasets/new-period: as `npm run new-period` (docs/editors.md), makes the skeleton of
 * the next period from the last one: the dataset file (new period, status and dates to confirm,
 * tables without figures) and the texts file (each period text marked as taken over, to review).
 * Nothing is stored. A wrong period code or title is 400 REQUEST_INVALID naming the field.
 */
export function addNewPeriodRoute(router: Router, maxBodyBytes: number, gate: RequestHandler, templates?: TemplateFiles): void {
  let current = templates;
  router.post('/api/datasets/new-period', ...jsonBody(maxBodyBytes, true, gate), (req, res) => {
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
  });
}
