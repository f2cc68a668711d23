import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { RenderService } from '../jobs/index.js';
import { createDraft, requeueDraftRender } from '../record/create-draft.js';
import { viewEditions, viewPublications, withdrawEdition } from '../record/editions-view.js';
import type { Caller, RecordDeps } from '../record/record-deps.js';
import { DRAFT_ID_PATTERN, getDraft, listDrafts } from '../record/record-store.js';
import { PUBLICATION_ID_PATTERN } from '../jobs/storage.js';
import type { Draft } from '../record/types.js';
import { approveDraft, rejectDraft } from '../record/review-draft.js';
import type { AuditLog } from './auth/audit-log.js';
import { actorOf, viewerOf } from './auth/index.js';
import { requestIdOf } from './request-id.js';
import { jsonBody } from './json-body.js';
import { ARTIFACT_CONTENT, sendArtifact } from './routes.js';
import { parseSubmitBody, SubmitBodySchema } from './request-schemas.js';
import { toDraftResource, toEditionsResource, toPublicationsResource } from './record-resources.js';
import { createRouterOf, defineRoute, jsonAnswer, problemAnswer } from './route-table.js';

/** What the routes of the record need. */
export interface RecordRoutesDeps {
  readonly record: RecordDeps;
  readonly service: RenderService;
  readonly audit: AuditLog;
  readonly maxBodyBytes: number;
  /** The bound on large uploads read at once, the same one the other routes use (one per process). */
  readonly gate: RequestHandler;
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

/** The draft of that id, or 404. */
async function existingDraft(record: RecordDeps, id: string): Promise<Draft> {
  const draft = await getDraft(record.db, id);
  if (!draft) throw new AppError('NOT_FOUND', `there is no draft "${id.slice(0, 40)}"`);
  return draft;
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' && Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined;
}

const problem = problemAnswer;

const DraftParams = z.object({
  id: z.string().regex(DRAFT_ID_PATTERN).meta({ description: 'A draft id: "d_" and 16 hex digits.' }),
});

const publicationIdParam = z.string().regex(PUBLICATION_ID_PATTERN).meta({ description: 'The publication id from the dataset.' });

/** The body of POST /api/drafts: a render request without "previous", and the choice of templates. */
const DraftBodySchema = SubmitBodySchema.omit({ previous: true }).extend({
  texts: SubmitBodySchema.shape.texts.meta({ description: 'The edition’s texts file (period texts, docs/editors.md), as text.' }),
  acceptWarnings: SubmitBodySchema.shape.acceptWarnings.meta({
    description:
      'Accept the warnings of the checks before publishing (docs/checks.md); who accepted which is kept with the draft. Errors always refuse the draft.',
  }),
  templates: z
    .enum(['kept', 'current'])
    .default('kept')
    .meta({
      description:
        'For a correction: render with the templates kept with the edition it corrects ("kept"), so it prints as that edition did, ' +
        'or with the service’s current templates ("current"). A first edition always uses the current templates.',
    }),
});

/** A draft as the API answers it; a pending draft whose render the queue lost is queued again (requeueDraftRender). */
function draftResource(deps: Pick<RecordRoutesDeps, 'record' | 'service'>, draft: Draft, options: { brief?: boolean } = {}) {
  return toDraftResource(draft, deps.service, { ...options, requeue: (lost) => requeueDraftRender(deps.record, lost) });
}

/** The context of the record's routes: the deps and the body readers. */
interface RecordContext extends RecordRoutesDeps {
  readonly json: RequestHandler[];
  readonly small: RequestHandler[];
}

/**
 * Drafts, reviews, editions, withdrawals and the audit log (src/record); readers reach released
 * editions only.
 */
export const RECORD_ROUTES = [
  defineRoute<RecordContext>({
    method: 'POST',
    path: '/api/drafts',
    role: 'editor',
    operationId: 'createDraft',
    summary: 'Make a draft: render the dataset for review, marked "CONCEPT", without edition number',
    description:
      'With "erratum" the draft is a correction of the latest edition of its publication. Another editor must approve ' +
      'the draft before it becomes an edition; nobody approves their own draft.',
    input: { body: { 'application/json': DraftBodySchema } },
    responses: {
      201: jsonAnswer('Draft', 'The draft; its render is queued.'),
      400: problem('The body is not a draft request (REQUEST_INVALID).'),
      422: problem(
        'The dataset or erratum is invalid, there is no edition to correct, the checks found errors (DATASET_IMPLAUSIBLE, also a correction without changes) or warnings not accepted (WARNINGS_NOT_ACCEPTED).',
      ),
    },
    handler: ({ record, service, json }) => [
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
          .json(await draftResource({ record, service }, draft));
      },
    ],
  }),
  defineRoute<RecordContext>({
    method: 'GET',
    path: '/api/drafts',
    role: 'editor',
    operationId: 'listDrafts',
    summary: 'Drafts, newest first (of one publication with ?publicationId=)',
    input: { query: z.object({ publicationId: z.string().optional() }) },
    responses: { 200: jsonAnswer('Drafts', 'The drafts.') },
    handler:
      ({ record, service }) =>
      async (req, res) => {
        const publicationId = typeof req.query.publicationId === 'string' ? req.query.publicationId : undefined;
        const drafts = await listDrafts(record.db, publicationId);
        res.json({
          drafts: await Promise.all(drafts.map((d) => draftResource({ record, service }, d, { brief: true }))),
        });
      },
  }),
  defineRoute<RecordContext>({
    method: 'GET',
    path: '/api/drafts/:id',
    role: 'editor',
    operationId: 'getDraft',
    summary: 'A draft: its render, files, check findings, changed figures and review',
    input: { params: DraftParams },
    responses: { 200: jsonAnswer('Draft', 'The draft.'), 404: problem('No such draft (NOT_FOUND).') },
    handler:
      ({ record, service }) =>
      async (req, res) => {
        const draft = await existingDraft(record, String(req.params.id));
        res.json(await draftResource({ record, service }, draft));
      },
  }),
  defineRoute<RecordContext>({
    method: 'GET',
    path: '/api/drafts/:id/artifacts/:name',
    role: 'editor',
    operationId: 'viewDraftArtifact',
    summary: 'A file of a draft (PDFs inline for the viewer; ?download=1 to save); "CONCEPT" in its name',
    input: { params: DraftParams.extend({ name: z.string() }) },
    responses: {
      200: { description: 'The file.', content: ARTIFACT_CONTENT },
      304: { description: 'The copy named by If-None-Match is current.' },
      404: problem('No such draft or file, or the draft is not rendered yet (NOT_FOUND).'),
    },
    handler:
      ({ record, service }) =>
      async (req, res) => {
        const draft = await existingDraft(record, String(req.params.id));
        const found = await service.findArtifact(draft.jobId, String(req.params.name), viewerOf(res));
        // "CONCEPT" in the file name too; PDFs open in the page's viewer (inline), the workbook downloads.
        const name = `${draft.publicationId}-CONCEPT-${draft.id}-${found.record.name}`.replace(/[^A-Za-z0-9._-]/g, '_');
        const inline = req.query.download !== '1' && found.record.name.endsWith('.pdf');
        await sendArtifact(req, res, found, {
          cacheControl: 'private, no-cache',
          disposition: `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
        });
      },
  }),
  defineRoute<RecordContext>({
    method: 'POST',
    path: '/api/drafts/:id/reviews',
    role: 'editor',
    operationId: 'reviewDraft',
    summary: 'Approve or reject a draft, with a comment; approval makes the next edition',
    description:
      'Approval assigns the next edition number of the publication atomically, queues the final files (no mark; the same ' +
      'bytes as any render of the same input) and releases them at the release moment, never before the edition before it.',
    input: {
      params: DraftParams,
      body: { 'application/json': z.object({ decision: z.enum(['approve', 'reject']), comment: z.string().min(1).max(2000) }) },
    },
    responses: {
      201: jsonAnswer('Draft', 'The draft as reviewed; with "edition" when approved.'),
      400: problem('No decision or comment (REQUEST_INVALID).'),
      404: problem('No such draft (NOT_FOUND).'),
      409: problem('Reviewed already, your own draft, still rendering, or a newer edition came since (REVIEW_CONFLICT).'),
    },
    handler: ({ record, service, small }) => [
      ...small,
      async (req, res) => {
        requireJson(req);
        const id = String(req.params.id);
        const decision = field(req.body, 'decision');
        const comment = field(req.body, 'comment');
        const caller = callerOf(req, res);
        if (decision === 'approve') {
          const edition = await approveDraft(record, id, comment, caller);
          const draft = await getDraft(record.db, id);
          res
            .status(201)
            .location(`/api/publications/${edition.publicationId}/editions`)
            .json({
              ...(draft ? await draftResource({ record, service }, draft) : {}),
              edition: edition.edition,
              releaseAt: edition.releaseAt,
            });
          return;
        }
        if (decision === 'reject') {
          const draft = await rejectDraft(record, id, comment, caller);
          res.status(201).json(await draftResource({ record, service }, draft));
          return;
        }
        throw new AppError('REQUEST_INVALID', 'decision must be "approve" or "reject"', {
          details: [{ path: 'decision', message: 'must be "approve" or "reject"' }],
        });
      },
    ],
  }),
  defineRoute<RecordContext>({
    method: 'GET',
    path: '/api/publications',
    role: 'reader',
    embargo: true,
    operationId: 'listPublications',
    summary: 'Publications with editions the caller may see, with the current edition',
    responses: { 200: jsonAnswer('Publications', 'The publications.') },
    handler:
      ({ record }) =>
      async (_req, res) => {
        res.json(toPublicationsResource(await viewPublications(record, viewerOf(res))));
      },
  }),
  defineRoute<RecordContext>({
    method: 'GET',
    path: '/api/publications/:id/editions',
    role: 'reader',
    embargo: true,
    operationId: 'listEditions',
    summary: 'The editions of a publication, oldest first; the current one marked, withdrawn ones with their reason',
    input: { params: z.object({ id: publicationIdParam }) },
    responses: { 200: jsonAnswer('Editions', 'The editions.'), 404: problem('No edition the caller may see (NOT_FOUND).') },
    handler:
      ({ record }) =>
      async (req, res) => {
        const id = String(req.params.id);
        const editions = await viewEditions(record, id, viewerOf(res));
        if (editions.length === 0) throw new AppError('NOT_FOUND', `no edition of publication "${id.slice(0, 80)}" is known`);
        res.json(toEditionsResource(id, editions));
      },
  }),
  defineRoute<RecordContext>({
    method: 'POST',
    path: '/api/publications/:id/editions/:edition/withdrawal',
    role: 'admin',
    operationId: 'withdrawEdition',
    summary: 'Withdraw a released edition with a public reason: its files then answer 410 to readers',
    input: {
      params: z.object({ id: publicationIdParam, edition: z.int().min(1) }),
      body: { 'application/json': z.object({ reason: z.string().min(1).max(1000) }) },
    },
    responses: {
      201: { description: 'The edition, withdrawn.' },
      400: problem('No reason (REQUEST_INVALID).'),
      404: problem('No such edition (NOT_FOUND).'),
      409: problem('Not released, or withdrawn already (REVIEW_CONFLICT).'),
    },
    handler: ({ record, small }) => [
      ...small,
      async (req, res) => {
        requireJson(req);
        const id = String(req.params.id);
        const edition = String(req.params.edition);
        const number = Number(edition);
        if (!Number.isInteger(number) || number < 1) throw new AppError('NOT_FOUND', `there is no edition "${edition.slice(0, 20)}"`);
        const view = await withdrawEdition(record, id, number, field(req.body, 'reason'), callerOf(req, res));
        res.status(201).json(toEditionsResource(id, [view]).editions[0]);
      },
    ],
  }),
  defineRoute<RecordContext>({
    method: 'GET',
    path: '/api/audit',
    role: 'admin',
    operationId: 'readAuditLog',
    summary: 'The audit log, newest first',
    input: {
      query: z.object({
        limit: z.int().min(1).max(1000).optional(),
        before: z.int().optional().meta({ description: 'Entries before this sequence number.' }),
      }),
    },
    responses: {
      200: { description: 'The entries.', content: { 'application/json': z.object({ entries: z.array(z.looseObject({})) }) } },
    },
    handler:
      ({ audit }) =>
      async (req, res) => {
        const limit = Number(req.query.limit ?? 200);
        const before = req.query.before === undefined ? undefined : Number(req.query.before);
        res.json({
          entries: await audit.list({
            limit: Number.isFinite(limit) ? limit : 200,
            ...(before !== undefined && Number.isFinite(before) ? { before } : {}),
          }),
        });
      },
  }),
];

/** The router of the record's routes. */
export function createRecordRoutes(deps: RecordRoutesDeps): Router {
  // Bodies read as routes.ts reads them: UTF-8 only, nesting and __proto__ refused before parsing.
  return createRouterOf(RECORD_ROUTES, { ...deps, json: jsonBody(deps.maxBodyBytes, true, deps.gate), small: jsonBody(16 * 1024, true) });
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
