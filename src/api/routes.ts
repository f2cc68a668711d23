import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { FoundArtifact } from '../jobs/artifacts.js';
import type { RenderService } from '../jobs/index.js';
import { ARTIFACT_NAME_PATTERN, JOB_ID_PATTERN } from '../jobs/storage.js';
import { actorOf, auditBeforeServing, noteAudit, viewerOf } from './auth/index.js';
import { OFF_LOOP_BODY_BYTES, validateOffLoop } from './body-pool.js';
import { importRoute } from './import-route.js';
import { requestIdOf } from './request-id.js';
import { jsonBody } from './json-body.js';
import type { Metrics } from './metrics.js';
import { newPeriodRoute } from './new-period-route.js';
import { failingChecks, type ReadinessCheck } from './readiness.js';
import { parseSubmitBody, SubmitBodySchema } from './request-schemas.js';
import { toDownloadName, toJobLink, toJobResource } from './resources.js';
import { type Answer, component, createRouterOf, defineRoute, jsonAnswer, problemAnswer } from './route-table.js';

const problem = problemAnswer;

/** What the routes need. */
export interface RoutesDeps {
  readonly service: RenderService;
  readonly maxBodyBytes: number;
  /** What /readyz checks besides Redis and the workers (storage; the database when there is one). */
  readonly readiness?: readonly ReadinessCheck[];
  /** The metrics served at GET /metrics. */
  readonly metrics: Metrics;
  /** One bound on the large uploads read at once, shared by every route of the process that takes a dataset. */
  readonly gate: RequestHandler;
  /** The OpenAPI document served at GET /api/openapi.json (made from the route declarations, openapi.ts). */
  readonly openApi: object;
}

/** What the handlers of these routes share: the deps and the body readers. */
export type RoutesContext = RoutesDeps;

/** True when an If-None-Match header names `etag` (or is "*"). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * Answers with a stored artifact, as both download routes do: its sha256 as ETag (304 when the
 * client's copy is current), the audit entry before the first byte, then the bytes. A client that
 * goes away before the end needs no answer.
 */
export async function sendArtifact(
  req: Request,
  res: Response,
  found: FoundArtifact,
  options: { readonly cacheControl: string; readonly disposition: string },
): Promise<void> {
  const file = found.record;
  const etag = `"${file.sha256}"`;
  res.set({ ETag: etag, 'Cache-Control': options.cacheControl, 'X-Content-Type-Options': 'nosniff' });
  if (matchesEtag(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }
  const stream = await found.open();
  await auditBeforeServing(res, stream);
  res.set({ 'Content-Type': file.contentType, 'Content-Length': String(file.size), 'Content-Disposition': options.disposition });
  try {
    await pipeline(stream, res);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}

function requireJson(req: Request): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    const given = req.headers['content-type'] ?? 'no content type';
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `send the request body as JSON with Content-Type: application/json, not ${given.slice(0, 100)}`,
    );
  }
}

const requireJsonFirst: RequestHandler = (req, _res, next) => {
  requireJson(req);
  next();
};

const JobParams = z.object({
  id: z.string().regex(JOB_ID_PATTERN).meta({ description: 'A job id: "r-" and 64 hex digits, derived from the request.' }),
});

const jobAnswer = (description: string): Answer => ({
  description,
  headers: { Location: { description: 'The job.', schema: z.string() } },
  content: { 'application/json': component('Job') },
});

const ReadyAnswer = z.object({
  status: z.literal('ready'),
  redis: z.literal('up'),
  workers: z.int().min(1),
  checks: z.array(z.string()).meta({ description: 'The names of the checks besides Redis and the workers, all passed.' }),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The files a render makes, by content type: PDFs (publication, erratum) and the workbook. */
export const ARTIFACT_CONTENT = {
  'application/pdf': z.string().meta({ contentMediaType: 'application/pdf' }),
  [XLSX]: z.string().meta({ contentMediaType: XLSX }),
};

/** The API routes of rendering: each parses its input, calls the service, and answers. */
export const RENDER_ROUTES = [
  defineRoute<RoutesContext>({
    method: 'GET',
    path: '/healthz',
    role: 'public',
    operationId: 'health',
    summary: 'The process is up',
    responses: { 200: { description: 'Up.', content: { 'application/json': z.object({ status: z.literal('ok') }) } } },
    handler: () => (_req, res) => {
      res.json({ status: 'ok' });
    },
  }),
  defineRoute<RoutesContext>({
    method: 'GET',
    path: '/readyz',
    role: 'public',
    operationId: 'ready',
    summary: 'Redis answers and at least one worker consumes the queue',
    responses: { 200: { description: 'Ready.', content: { 'application/json': ReadyAnswer } }, 503: problem('Not ready (NOT_READY).') },
    handler:
      ({ service, readiness: checks = [] }) =>
      async (_req, res) => {
        const readiness = await service.checkReadiness();
        if (!readiness.redis) throw new AppError('NOT_READY', 'not ready: Redis cannot be reached');
        if (readiness.workers === 0) throw new AppError('NOT_READY', 'not ready: no worker consumes the render queue');
        const failing = await failingChecks(checks);
        if (failing.length > 0) throw new AppError('NOT_READY', `not ready: ${failing.join('; ')}`);
        res.json({ status: 'ready', redis: 'up', workers: readiness.workers, checks: checks.map((c) => c.name) });
      },
  }),
  defineRoute<RoutesContext>({
    method: 'GET',
    path: '/api/openapi.json',
    role: 'public',
    operationId: 'openApi',
    summary: 'This document',
    responses: { 200: { description: 'The OpenAPI document.', content: { 'application/json': z.object({}) } } },
    handler:
      ({ openApi }) =>
      (_req, res) => {
        res.json(openApi);
      },
  }),
  defineRoute<RoutesContext>({
    method: 'GET',
    path: '/metrics',
    role: 'admin',
    operationId: 'metrics',
    summary: 'Prometheus metrics: render jobs by state, queue depth, HTTP latency by route, process',
    responses: { 200: { description: 'Prometheus text format.', content: { 'text/plain': z.string() } } },
    handler: ({ metrics }) => metrics.serve,
  }),
  defineRoute<RoutesContext>({
    method: 'POST',
    path: '/api/jobs',
    role: 'editor',
    operationId: 'submitRender',
    summary: 'Queue the rendering of an edition',
    description:
      'For a first edition send only the dataset. For a corrected edition send the corrected dataset and the erratum: ' +
      'the service finds the previous edition of the publication itself (or takes it from "previous").',
    input: { body: { 'application/json': SubmitBodySchema } },
    responses: {
      202: jobAnswer('The job was queued (or a failed job with this request was retried).'),
      200: jobAnswer('The same request was made before: this is its job (queued, active or completed).'),
      400: problem('The body is not JSON or lacks fields (REQUEST_INVALID).'),
      413: problem('The body is larger than MAX_BODY_BYTES (PAYLOAD_TOO_LARGE).'),
      415: problem('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
      422: problem(
        'The dataset is invalid, naming table, row and cell (DATASET_INVALID); or the erratum is (ERRATUM_INVALID); ' +
          'or no previous edition is known (PREVIOUS_EDITION_UNKNOWN); or previous is of another publication (PREVIOUS_EDITION_MISMATCH); ' +
          'or the checks before publishing found errors (DATASET_IMPLAUSIBLE) or warnings not accepted (WARNINGS_NOT_ACCEPTED), ' +
          'each finding listed in "errors" with its place in the dataset and its rule.',
      ),
      503: problem('Redis cannot be reached (REDIS_UNAVAILABLE); try again later.'),
    },
    handler: ({ service, maxBodyBytes, gate }) => [
      requireJsonFirst,
      ...jsonBody(maxBodyBytes, true, gate, 'submit'),
      async (req, res) => {
        const actor = actorOf(res);
        const requestId = requestIdOf(res);
        const request = { ...parseSubmitBody(req.body), ...(actor ? { actor: actor.name } : {}), ...(requestId ? { requestId } : {}) };
        const { created, status, datasetHash } = await service.submit(request);
        noteAudit(res, {
          datasetHash,
          jobId: status.id,
          publicationId: status.publicationId,
          edition: status.edition,
          releaseAt: status.releaseAt,
          created,
        });
        res
          .status(created ? 202 : 200)
          .location(toJobLink(status.id))
          .json(toJobResource(status));
      },
    ],
  }),
  defineRoute<RoutesContext>({
    method: 'POST',
    path: '/api/datasets/validate',
    role: 'editor',
    operationId: 'validateDataset',
    summary: 'Check a dataset file as a render would, without rendering',
    description:
      'Send the dataset file itself as the body. The answer says whether it is valid; if not, it lists every problem ' +
      '(up to 50) with its JSON path, the message a render would give, and its place: table, row (with its codes) and cell. ' +
      'A file that is not JSON is reported the same way, with its line and column.',
    input: { body: { 'application/json': component('Dataset') } },
    responses: {
      200: jsonAnswer('DatasetReport', 'The verdict on the dataset (valid or not).'),
      400: problem('The request has no body (REQUEST_INVALID).'),
      413: problem('The body is larger than MAX_BODY_BYTES (PAYLOAD_TOO_LARGE).'),
      415: problem('The body is not application/json (UNSUPPORTED_MEDIA_TYPE).'),
    },
    handler: ({ service, maxBodyBytes, gate }) => [
      requireJsonFirst,
      // The dataset file as it is, so that a file that is not JSON is reported with its line and column.
      ...jsonBody(maxBodyBytes, false, gate),
      async (req, res) => {
        const body: unknown = req.body;
        const text = typeof body === 'string' ? body : body !== null && typeof body === 'object' ? JSON.stringify(body) : '';
        if (text.trim() === '') {
          throw new AppError('REQUEST_INVALID', 'the request has no body: send the dataset file as application/json', {
            details: [{ path: '(body)', message: 'is empty' }],
          });
        }
        // A large file is validated and checked in the body pool, so that the event loop keeps answering.
        const report =
          text.length > OFF_LOOP_BODY_BYTES
            ? await validateOffLoop({ text, ...(service.templates ? { templates: service.templates } : {}) })
            : service.validateDataset(text);
        noteAudit(res, { valid: report.valid, publicationId: report.publication?.id ?? null });
        await auditBeforeServing(res);
        res.json(report);
      },
    ],
  }),
  importRoute,
  newPeriodRoute,
  defineRoute<RoutesContext>({
    method: 'GET',
    path: '/api/jobs/:id',
    role: 'reader',
    embargo: true,
    operationId: 'getJob',
    summary: 'The state, progress, error and artifacts of a job',
    input: { params: JobParams },
    responses: {
      200: jsonAnswer('Job', 'The job.'),
      404: problem('There is no such job (NOT_FOUND).'),
      503: problem('Redis cannot be reached and the job has not completed (REDIS_UNAVAILABLE).'),
    },
    handler:
      ({ service }) =>
      async (req, res) => {
        res.json(toJobResource(await service.getStatus(String(req.params.id), viewerOf(res))));
      },
  }),
  defineRoute<RoutesContext>({
    method: 'GET',
    path: '/api/jobs/:id/artifacts/:name',
    role: 'reader',
    embargo: true,
    operationId: 'downloadArtifact',
    summary: 'Download a file the job made',
    input: {
      params: JobParams.extend({
        name: z
          .string()
          .regex(ARTIFACT_NAME_PATTERN)
          .meta({ description: 'The artifact name, e.g. publicatie.pdf, tabellenbijlage.xlsx, erratum.pdf.' }),
      }),
      headers: z.object({
        'If-None-Match': z.string().optional().meta({ description: 'The ETag of a copy you have: answers 304 when it is current.' }),
      }),
    },
    responses: {
      200: {
        description: 'The file.',
        headers: {
          ETag: { description: 'The sha256 of the file, quoted.', schema: z.string() },
          'Content-Disposition': { description: 'attachment; filename="<publication>-editie-<n>-<name>"', schema: z.string() },
        },
        content: ARTIFACT_CONTENT,
      },
      304: { description: 'The copy named by If-None-Match is current.' },
      404: problem('No such job, the job has not completed, or it has no artifact of that name (NOT_FOUND).'),
    },
    handler:
      ({ service }) =>
      async (req, res) => {
        const id = String(req.params.id);
        const name = String(req.params.name);
        const found = await service.findArtifact(id, name, viewerOf(res));
        // The job id is derived from everything that determines the bytes, so they never change.
        await sendArtifact(req, res, found, {
          cacheControl: 'private, max-age=31536000, immutable',
          disposition: `attachment; filename="${toDownloadName(found.manifest, found.record.name)}"`,
        });
      },
  }),
];

/** The router of the rendering routes. */
export function createRoutes(deps: RoutesDeps): Router {
  return createRouterOf(RENDER_ROUTES, deps);
}
