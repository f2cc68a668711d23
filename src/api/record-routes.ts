import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import { requestIdOf } from './request-id.js';
import { AppError } from '../errors.js';
import type { RenderService } from '../jobs/index.js';
import { createDraft } from '../record/create-draft.js';
import { viewEditions, viewPublications, withdrawEdition } from '../record/editions-view.js';
import type { Caller, RecordDeps } from '../record/record-deps.js';
import { getDraft, listDrafts } from '../record/record-store.js';
import { approveDraft, rejectDraft } from '../record/review-draft.js';
import type { AuditLog } from './auth/audit-log.js';
import { actorOf, viewerOf } from './auth/index.js';
import { jsonBody } from './json-body.js';
import { matchesEtag } from './routes.js';
import { parseSubmitBody } from './request-schemas.js';
import { toDraftResource, toEditionsResource, toPublicationsResource } from './record-resources.js';

/** What the routes of the record need. */
export interface RecordRoutesDeps {
  readonly record: RecordDeps;
  readonly service: RenderService;
  readonly audit: AuditLog;
  readonly maxBodyBytes: number;
}

function callerOf(req: Request, res: Response): Caller {
  const actor = actorOf(res);
  if (!actor) throw new AppError('UNAUTHENTICATED', 'not signed in');
  const requestId = requestIdOf(res);
  return { actor, ip: req.ip ?? null, ...(requestId ? { requestId } : {}) };
}

function requireJson(req: Request): void {
  if (!req.is('application/json')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the request body as JSON with Content-Type: application/json');
  }
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' && Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * Drafts, reviews, editions, withdrawals and the audit log (src/record). What each route demands
 * is in the access table (auth/route-access.ts); readers reach released editions only.
 */
export function createRecordRoutes(deps: RecordRoutesDeps): Router {
  const { record } = deps;
  const router = express.Router();
  // Bodies read as routes.ts reads them: UTF-8 only, nesting and __proto__ refused before parsing.
  const json = jsonBody(deps.maxBodyBytes, true);
  const small = jsonBody(16 * 1024, true);

  router.post(
    '/api/drafts',
    (req, _res, next) => {
      requireJson(req);
      next();
    },
    ...json,
    async (req, res) => {
      const { body, templates } = takeTemplatesChoice(req.body as unknown);
      const request = parseSubmitBody(body);
      if (request.previous !== undefined) {
        throw new AppError(
          'REQUEST_INVALID',
          'a draft takes no "previous": a correction always corrects the latest edition of its publication',
          {
            details: [
              { path: 'previous', message: 'is not a field of a draft; send "erratum" to make a correction of the latest edition' },
            ],
          },
        );
      }
      const draft = await createDraft(
        record,
        {
          dataset: request.dataset,
          erratum: request.erratum,
          releaseAt: request.releaseAt,
          acceptWarnings: request.acceptWarnings === true,
          ...(request.texts !== undefined ? { texts: request.texts } : {}),
          ...(templates !== undefined ? { templates } : {}),
        },
        callerOf(req, res),
      );
      res
        .status(201)
        .location(`/api/drafts/${draft.id}`)
        .json(await toDraftResource(draft, deps.service));
    },
  );

  router.get('/api/drafts', async (req, res) => {
    const publicationId = typeof req.query.publicationId === 'string' ? req.query.publicationId : undefined;
    const drafts = await listDrafts(record.db, publicationId);
    res.json({ drafts: await Promise.all(drafts.map((d) => toDraftResource(d, deps.service, { brief: true }))) });
  });

  router.get('/api/drafts/:id', async (req, res) => {
    const draft = await getDraft(record.db, req.params.id);
    if (!draft) throw new AppError('NOT_FOUND', `there is no draft "${req.params.id.slice(0, 40)}"`);
    res.json(await toDraftResource(draft, deps.service));
  });

  router.get('/api/drafts/:id/artifacts/:name', async (req, res) => {
    const draft = await getDraft(record.db, req.params.id);
    if (!draft) throw new AppError('NOT_FOUND', `there is no draft "${req.params.id.slice(0, 40)}"`);
    const { record: file } = await deps.service.findArtifact(draft.jobId, req.params.name, viewerOf(res));
    const etag = `"${file.sha256}"`;
    res.set({ ETag: etag, 'Cache-Control': 'private, no-cache', 'X-Content-Type-Options': 'nosniff' });
    if (matchesEtag(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    const stream = await deps.service.openArtifact(draft.jobId, file.name, viewerOf(res));
    // "CONCEPT" in the file name too; PDFs open in the page's viewer (inline), the workbook downloads.
    const name = `${draft.publicationId}-CONCEPT-${draft.id}-${file.name}`.replace(/[^A-Za-z0-9._-]/g, '_');
    res.set({
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Content-Disposition': `${req.query.download === '1' || !file.name.endsWith('.pdf') ? 'attachment' : 'inline'}; filename="${name}"`,
    });
    await pipeline(stream, res).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    });
  });

  router.post('/api/drafts/:id/reviews', small, async (req: Request<{ id: string }>, res: Response) => {
    requireJson(req);
    const decision = field(req.body, 'decision');
    const comment = field(req.body, 'comment');
    const caller = callerOf(req, res);
    if (decision === 'approve') {
      const edition = await approveDraft(record, req.params.id, comment, caller);
      const draft = await getDraft(record.db, req.params.id);
      res
        .status(201)
        .location(`/api/publications/${edition.publicationId}/editions`)
        .json({ ...(draft ? await toDraftResource(draft, deps.service) : {}), edition: edition.edition, releaseAt: edition.releaseAt });
      return;
    }
    if (decision === 'reject') {
      const draft = await rejectDraft(record, req.params.id, comment, caller);
      res.status(201).json(await toDraftResource(draft, deps.service));
      return;
    }
    throw new AppError('REQUEST_INVALID', 'decision must be "approve" or "reject"', {
      details: [{ path: 'decision', message: 'must be "approve" or "reject"' }],
    });
  });

  router.get('/api/publications', async (_req, res) => {
    res.json(toPublicationsResource(await viewPublications(record, viewerOf(res))));
  });

  router.get('/api/publications/:id/editions', async (req, res) => {
    const editions = await viewEditions(record, req.params.id, viewerOf(res));
    if (editions.length === 0) throw new AppError('NOT_FOUND', `no edition of publication "${req.params.id.slice(0, 80)}" is known`);
    res.json(toEditionsResource(req.params.id, editions));
  });

  router.post(
    '/api/publications/:id/editions/:edition/withdrawal',
    small,
    async (req: Request<{ id: string; edition: string }>, res: Response) => {
      requireJson(req);
      const number = Number(req.params.edition);
      if (!Number.isInteger(number) || number < 1)
        throw new AppError('NOT_FOUND', `there is no edition "${req.params.edition.slice(0, 20)}"`);
      const view = await withdrawEdition(record, req.params.id, number, field(req.body, 'reason'), callerOf(req, res));
      res.status(201).json(toEditionsResource(req.params.id, [view]).editions[0]);
    },
  );

  router.get('/api/audit', async (req, res) => {
    const limit = Number(req.query.limit ?? 200);
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    res.json({
      entries: await deps.audit.list({
        limit: Number.isFinite(limit) ? limit : 200,
        ...(before !== undefined && Number.isFinite(before) ? { before } : {}),
      }),
    });
  });

  return router;
}

/**
 * Takes the draft's own field "templates" ("kept": the templates kept with the edition a correction
 * corrects, the default; "current": the service's current ones) out of the body; the rest is a submit body.
 */
function takeTemplatesChoice(body: unknown): { body: unknown; templates: 'kept' | 'current' | undefined } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('templates' in body)) return { body, templates: undefined };
  const { templates, ...rest } = body as Record<string, unknown>;
  if (templates !== 'kept' && templates !== 'current') {
    throw new AppError('REQUEST_INVALID', 'templates must be "kept" or "current"', {
      details: [{ path: 'templates', message: 'templates must be "kept" (those of the edition corrected) or "current"' }],
    });
  }
  return { body: rest, templates };
}
