import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { REQUEST_ID_PATTERN } from '../jobs/render-job.js';

/** A request id sent by a proxy is kept when it is short and plain; otherwise the service makes one. */
const ACCEPTED_ID = REQUEST_ID_PATTERN;

/** The id of the request: in the log lines of the request, its error answer and the X-Request-Id header. */
export function requestIdOf(res: Response): string | undefined {
  const id: unknown = res.locals.requestId;
  return typeof id === 'string' ? id : undefined;
}

/** Gives every request an id (X-Request-Id from a proxy when plain, or a new UUID) and answers with it. */
export function assignRequestId(): RequestHandler {
  return (req: Request, res: Response, next) => {
    const sent = req.get('x-request-id');
    const id = sent !== undefined && ACCEPTED_ID.test(sent) ? sent : randomUUID();
    res.locals.requestId = id;
    res.set('X-Request-Id', id);
    next();
  };
}
