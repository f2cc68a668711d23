import { pipeline } from 'node:stream/promises';
import express, { type Request, type Router } from 'express';
import { requestIdOf } from './request-id.js';
import { AppError } from '../errors.js';
import type { RenderService } from '../jobs/index.js';
import { actorOf, noteAudit, viewerOf } from './auth/index.js';
import { addImportRoute } from './import-route.js';
import { jsonBody, largeUploadGate } from './json-body.js';
import { addNewPeriodRoute } from './new-period-route.js';
import { openApiDocument } from './openapi.js';
import { failingChecks, type ReadinessCheck } from './readiness.js';
import { parseSubmitBody } from './request-schemas.js';
import { toDownloadName, toJobLink, toJobResource } from './resources.js';

/** What the routes need. */
export interface RoutesDeps {
  readonly service: RenderService;
  readonly maxBodyBytes: number;
  /** What /readyz checks besides Redis and the workers (storage; the database when there is one). */
  readonly readiness?: readonly ReadinessCheck[];
}

/** True when an If-None-Match header names `etag` (or is "*"). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
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

/** The API routes: each parses its input, calls the service, and answers. */
export function createRoutes({ service, maxBodyBytes, readiness = [] }: RoutesDeps): Router {
  const router = express.Router();
  // One bound on the large uploads read at once, shared by every route that takes a dataset.
  const gate = largeUploadGate();
  const json = jsonBody(maxBodyBytes, true, gate);
  // The dataset file as it is, so that a file that is not JSON is reported with its line and column.
  const datasetFile = jsonBody(maxBodyBytes, false, gate);

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const checks = readiness;
  router.get('/readyz', async (_req, res) => {
    const readiness = await service.checkReadiness();
    if (!readiness.redis) throw new AppError('NOT_READY', 'not ready: Redis cannot be reached');
    if (readiness.workers === 0) throw new AppError('NOT_READY', 'not ready: no worker consumes the render queue');
    const failing = await failingChecks(checks);
    if (failing.length > 0) throw new AppError('NOT_READY', `not ready: ${failing.join('; ')}`);
    res.json({ status: 'ready', redis: 'up', workers: readiness.workers, checks: checks.map((c) => c.name) });
  });

  router.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  router.post(
    '/api/jobs',
    (req, _res, next) => {
      requireJson(req);
      next();
    },
    ...json,
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
  );

  router.post(
    '/api/datasets/validate',
    (req, _res, next) => {
      requireJson(req);
      next();
    },
    ...datasetFile,
    (req, res) => {
      const body: unknown = req.body;
      const text = typeof body === 'string' ? body : body !== null && typeof body === 'object' ? JSON.stringify(body) : '';
      if (text.trim() === '') {
        throw new AppError('REQUEST_INVALID', 'the request has no body: send the dataset file as application/json', {
          details: [{ path: '(body)', message: 'is empty' }],
        });
      }
      const report = service.validateDataset(text);
      noteAudit(res, { valid: report.valid, publicationId: report.publication?.id ?? null });
      res.json(report);
    },
  );

  addImportRoute(router, maxBodyBytes, gate);
  addNewPeriodRoute(router, maxBodyBytes, gate);

  router.get('/api/jobs/:id', async (req, res) => {
    res.json(toJobResource(await service.getStatus(req.params.id, viewerOf(res))));
  });

  router.get('/api/jobs/:id/artifacts/:name', async (req, res) => {
    const { id, name } = req.params;
    const { record, manifest } = await service.findArtifact(id, name, viewerOf(res));
    const etag = `"${record.sha256}"`;
    // The job id is derived from everything that determines the bytes, so they never change.
    res.set({ ETag: etag, 'Cache-Control': 'private, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
    if (matchesEtag(req.get('if-none-match'), etag)) {
      res.status(304).end();
      return;
    }
    const stream = await service.openArtifact(id, name, viewerOf(res));
    res.set({
      'Content-Type': record.contentType,
      'Content-Length': String(record.size),
      'Content-Disposition': `attachment; filename="${toDownloadName(manifest, record.name)}"`,
    });
    try {
      await pipeline(stream, res);
    } catch (error) {
      // The client went away before the end: nothing to answer.
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      throw error;
    }
  });

  return router;
}
