import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { importUpload } from '../import/import-dataset.js';
import { formatDatasetJson } from '../model/dataset-json.js';
import { FigureStatusSchema } from '../model/dataset-schema.js';
import { IsoDateSchema } from '../model/iso-date.js';
import { jsonBody } from './json-body.js';
import { defineRoute, problemAnswer } from './route-table.js';

/** The body of POST /api/datasets/import: the file as base64, and for a CSV its mapping. */
const ImportBodySchema = z.strictObject({
  /** statline: a ZIP of the JSON files of StatLine open data v4 or v3; csv: a CSV file. */
  kind: z.enum(['statline', 'csv']),
  fileName: z.string().min(1).max(200),
  /** The file's bytes, base64: the importer checks the encoding itself. */
  file: z.base64({ error: 'must be the file as base64' }),
  mapping: z.unknown().optional().meta({ type: 'object', description: 'CSV only: the mapping (docs/import.md).' }),
  tableId: z.string().max(80).optional(),
  publicationDate: IsoDateSchema.optional(),
  periodStatus: FigureStatusSchema.optional(),
});

/** The answer of POST /api/datasets/import. */
const ImportAnswerSchema = z.object({
  format: z.enum(['statline-v4', 'statline-v3', 'csv']).meta({ description: 'What was read.' }),
  tableId: z.string(),
  figures: z.int().min(0).meta({ description: 'How many figures the dataset holds.' }),
  notes: z.array(z.string()).meta({ description: 'What the importer inferred or left out, to review.' }),
  fileName: z.string(),
  dataset: z.string().meta({ description: 'The text of the dataset file.' }),
});

/**
 * POST /api/datasets/import: turns an uploaded StatLine download (ZIP) or CSV with its mapping into
 * a checked dataset and returns it with the importer's notes; nothing is stored. Bad input is 422
 * IMPORT_INVALID with one detail per problem (file, line or entity, field).
 */
export const importRoute = defineRoute<{ readonly maxBodyBytes: number; readonly gate: RequestHandler }>({
  method: 'POST',
  path: '/api/datasets/import',
  role: 'editor',
  operationId: 'importDataset',
  summary: 'Turn a StatLine open data download (ZIP, v4 or v3) or a CSV with its mapping into a checked dataset',
  description:
    'As `npm run import` (docs/import.md): the body names the kind, the file name and the file as base64, for a CSV ' +
    'also the mapping. The answer holds the dataset file (JSON text) and the notes on what was inferred. Nothing is stored.',
  input: { body: { 'application/json': ImportBodySchema } },
  responses: {
    200: {
      description: 'The imported dataset (as the text of a dataset file), its format, table id, figure count and notes.',
      content: { 'application/json': ImportAnswerSchema },
    },
    400: problemAnswer('The request is not as described (REQUEST_INVALID).'),
    413: problemAnswer('The body is larger than MAX_BODY_BYTES (PAYLOAD_TOO_LARGE).'),
    415: problemAnswer('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
    422: problemAnswer('The files cannot be imported; each detail names file, line or entity and field (IMPORT_INVALID).'),
  },
  handler: ({ maxBodyBytes, gate }) => [
    ...jsonBody(maxBodyBytes, true, gate),
    async (req, res) => {
      if (!req.is('application/json'))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the upload as JSON with Content-Type: application/json');
      const parsed = ImportBodySchema.safeParse(req.body);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({
          path: i.path.join('.') || '(body)',
          message: `${i.path.join('.') || 'body'}: ${i.message}`,
        }));
        throw new AppError('REQUEST_INVALID', `the import request is not valid: ${details[0]?.message ?? ''}`, { details });
      }
      const body = parsed.data;
      const bytes = Buffer.from(body.file, 'base64');
      const upload =
        body.kind === 'csv'
          ? { kind: 'csv' as const, name: body.fileName, bytes, mapping: body.mapping }
          : { kind: 'statline' as const, name: body.fileName, bytes };
      const result = await importUpload(upload, {
        ...(body.tableId ? { as: body.tableId } : {}),
        ...(body.publicationDate ? { publicationDate: body.publicationDate } : {}),
        ...(body.periodStatus ? { periodStatus: body.periodStatus } : {}),
      });
      res.json({
        format: result.format,
        tableId: result.tableId,
        figures: result.figures,
        notes: result.notes,
        fileName: `${result.input.publication.id}.json`,
        dataset: formatDatasetJson(result.input),
      });
    },
  ],
});
