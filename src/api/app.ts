import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { RenderService } from '../jobs/index.js';
import type { RecordDeps } from '../record/record-deps.js';
import { type AccessControl, createAuthRoutes, createSecurityHeaders } from './auth/index.js';
import { createMetrics, type Metrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { createPageRoutes } from './page-routes.js';
import { databaseReachable, type ReadinessCheck, storageWritable } from './readiness.js';
import { assignRequestId, requestIdOf } from './request-id.js';
import { createErrorHandler } from './problem.js';
import { largeUploadGate } from './json-body.js';
import { createRecordRoutes } from './record-routes.js';
import { createRoutes } from './routes.js';

/** What the HTTP app needs; created by the composition root (main-api.ts) or a test. */
export interface AppDeps {
  readonly service: RenderService;
  readonly logger: Logger;
  /** The largest request body accepted (413 above it). */
  readonly maxBodyBytes: number;
  /** Who may do what: tokens, sessions, the route access table, rate limits, the audit log. */
  readonly access: AccessControl;
  /** The record: drafts, reviews, editions, withdrawals (src/record). */
  readonly record: RecordDeps;
  /** Express's `trust proxy` (which X-Forwarded-* headers to believe); default false. */
  readonly trustProxy?: false | number | string;
  /** The storage directory: /readyz fails while it cannot be written. */
  readonly storageDir?: string;
  /** Checks of /readyz besides Redis, the workers, the storage directory and the record's database. */
  readonly readiness?: readonly ReadinessCheck[];
  /** Prometheus metrics served at GET /metrics (admins only); by default HTTP latency only. */
  readonly metrics?: Metrics;
}

/** Creates the Express app of the render service, without listening. */
export function createApp(deps: AppDeps): Express {
  const { logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(createSecurityHeaders());
  app.use(assignRequestId());
  const metrics = deps.metrics ?? createMetrics({ processMetrics: false });
  app.use(metrics.observeHttp);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const quiet = req.path === '/healthz' || req.path === '/readyz';
      logger[quiet ? 'debug' : 'info'](
        { requestId: requestIdOf(res), method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms) },
        'request',
      );
    });
    next();
  });
  // Every request passes the guard: who is it, rate limit, and the route access table (unlisted routes answer 404).
  app.use(...deps.access.guard);
  // The routers are made from the route declarations (route-list.ts), as are the access table and the OpenAPI document.
  app.use(createAuthRoutes(deps.access));
  const readiness = [
    ...(deps.storageDir ? [storageWritable(deps.storageDir)] : []),
    databaseReachable(deps.record.db),
    ...(deps.readiness ?? []),
  ];
  // One bound on the large uploads read at once, shared by every route of this process that takes a dataset.
  const gate = largeUploadGate();
  app.use(createRoutes({ ...deps, readiness, metrics, openApi: openApiDocument, gate }));
  app.use(
    createRecordRoutes({ record: deps.record, service: deps.service, audit: deps.access.audit, maxBodyBytes: deps.maxBodyBytes, gate }),
  );
  app.use(createPageRoutes(deps));
  app.use((req, _res, next) => {
    next(new AppError('NOT_FOUND', `there is no route ${req.method} ${req.path.slice(0, 200)}`));
  });
  app.use(deps.access.auditErrors);
  app.use(createErrorHandler(logger));
  return app;
}
