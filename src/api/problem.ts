import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { toWireError } from '../error-wire.js';
import { AppError, ERROR_CATALOGUE, type ErrorCode, isAppError } from '../errors.js';
import { capList, capText, MAX_ECHO_CHARS } from '../model/echo-limits.js';
import { requestIdOf } from './request-id.js';

/** An RFC 9457 problem document, with the error code and the places of the problems. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode;
  readonly errors: readonly { readonly path: string; readonly message: string }[];
  /** The id of the request (as in X-Request-Id and the log), to quote when asking about it. */
  readonly requestId?: string;
}

/** The problem type URI of an error code, e.g. `urn:problem-type:render-service:dataset-invalid`. */
export function toProblemType(code: ErrorCode): string {
  return `urn:problem-type:render-service:${code.toLowerCase().replaceAll('_', '-')}`;
}

/** The problem document of an AppError: its wire form (src/error-wire.ts) as HTTP carries it. */
export function toProblem(error: AppError): Problem {
  const { code, message, details } = toWireError(error);
  return {
    type: toProblemType(code),
    title: ERROR_CATALOGUE[code].summary,
    status: ERROR_CATALOGUE[code].httpStatus,
    detail: capText(message, 4 * MAX_ECHO_CHARS),
    code,
    errors: capList(
      details.map(({ path, message }) => ({ path: capText(path), message: capText(message) })),
      (count) => ({ path: '(more)', message: `and ${count} more problems not listed` }),
    ),
  };
}

/** Answers with the problem document of an AppError. */
export function sendProblem(res: Response, error: AppError): void {
  if (error.code === 'REDIS_UNAVAILABLE' || error.code === 'NOT_READY') res.set('Retry-After', '5');
  if (error.code === 'UPLOADS_BUSY') res.set('Retry-After', '2');
  if (error.code === 'STORAGE_FAILED') res.set('Retry-After', '30');
  const requestId = requestIdOf(res);
  res
    .status(error.httpStatus)
    .type('application/problem+json')
    .send(JSON.stringify({ ...toProblem(error), ...(requestId ? { requestId } : {}) }));
}

interface HttpErrorLike {
  readonly status?: number;
  readonly statusCode?: number;
  readonly type?: string;
  readonly limit?: number;
  readonly body?: string;
  readonly message?: string;
}

function describeJsonError(error: HttpErrorLike): string {
  const message = error.message ?? 'unreadable JSON';
  const position = /position (\d+)/.exec(message);
  if (!position || typeof error.body !== 'string') return message;
  const before = error.body.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/** Turns whatever a route or middleware threw into an AppError that is safe to show. */
export function toHttpAppError(error: unknown): AppError | undefined {
  if (isAppError(error)) return error;
  const e = (error ?? {}) as HttpErrorLike;
  const status = e.status ?? e.statusCode;
  switch (e.type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than the limit of ${e.limit ?? '?'} bytes`);
    case 'entity.parse.failed': {
      const message = describeJsonError(e);
      return new AppError('REQUEST_INVALID', `the request body is not valid JSON: ${message}`, { details: [{ path: '(body)', message }] });
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', `the request body's encoding is not supported: send UTF-8 JSON`);
  }
  if (status === 404) return new AppError('NOT_FOUND', 'not found');
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'the request is too large');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'the request body is not of a supported content type');
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError('REQUEST_INVALID', e.message ? `bad request: ${e.message}` : 'bad request');
  }
  return undefined;
}

/** The last middleware: every error becomes application/problem+json; stack traces and paths only reach the log. */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = toHttpAppError(error);
    if (known?.code === 'NOT_READY') {
      // Not ready is a state the probe reports, not a failure of the request: one line, no stack.
      logger.warn({ requestId: requestIdOf(res), method: req.method, url: req.originalUrl, reason: known.message }, 'not ready');
    } else if (!known || known.httpStatus >= 500) {
      logger.error({ requestId: requestIdOf(res), err: error, method: req.method, url: req.originalUrl }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, known ?? new AppError('INTERNAL', 'an unexpected error occurred; it has been logged'));
  };
}
