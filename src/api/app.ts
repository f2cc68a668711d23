import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { RenderService } from '../jobs/index.js';
import { createPageRoutes } from './page-routes.js';
import { createErrorHandler } from './problem.js';
import { createRoutes } from './routes.js';

/** What the HTTP app needs; created by the composition root (main-api.ts) or a test. */
export interface AppDeps {
  readonly service: RenderService;
  readonly logger: Logger;
  /** The largest request body accepted (413 above it). */
  readonly maxBodyBytes: number;
}

/** Creates the Express app of the render service, without listening. */
export function createApp(deps: AppDeps): Express {
  const { logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const quiet = req.path === '/healthz' || req.path === '/readyz';
      logger[quiet ? 'debug' : 'info']({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms) }, 'request');
    });
    next();
  });
  app.use(createRoutes(deps));
  app.use(createPageRoutes(deps));
  app.use((req, _res, next) => {
    next(new AppError('NOT_FOUND', `there is no route ${req.method} ${req.path.slice(0, 200)}`));
  });
  app.use(createErrorHandler(logger));
  return app;
}
