import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { datasetJson, importUpload } from '../import/import-dataset.js';
import { FigureStatusSchema } from '../model/dataset-schema.js';
import { IsoDateSchema } from '../model/iso-date.js';
import { jsonBody } from './json-body.js';

/** The body of POST /api/datasets/import: the file as base64, and for a CSV its mapping. */
const ImportBodySchema = z.strictObject({
  /** statline: a ZIP of the JSON files of StatLine open data v4 or v3; csv: a CSV file. */
  kind: z.enum(['statline', 'csv']),
  fileName: z.string().min(1).max(200),
  /** The file's bytes, base64: the importer checks the encoding itself. */
  file: z.base64({ error: 'must be the file as base64' }),
  mapping: z.unknown().optional(),
  tableId: z.string().max(80).optional(),
  publicationDate: IsoDateSchema.optional(),
  periodStatus: FigureStatusSchema.optional(),
});

/**
 * POST /api/datasets/import: turns an uploaded StatLine download (ZIP) or CSV with its mapping into
 * a checked dataset and returns it with the importer's notes; nothing is stored. Bad input is 422
 * IMPORT_INVALID with one detail per problem (file, line or entity, field).
 */
export function addImportRoute(router: Router, maxBodyBytes: number, gate: RequestHandler): void {
  router.post('/api/datasets/import', ...jsonBody(maxBodyBytes, true, gate), async (req, res) => {
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
      dataset: datasetJson(result.input),
    });
  });
}
