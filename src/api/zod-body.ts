import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors.js';

/**
 * Reads a JSON request body with a zod schema: 415 UNSUPPORTED_MEDIA_TYPE when it is not JSON, 400
 * REQUEST_INVALID with one detail per problem (path and message) when it does not fit.
 */
export function readJsonBody<T extends z.ZodType>(req: Request, schema: T, what: string): z.output<T> {
  if (!req.is('application/json'))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send the ${what} as JSON with Content-Type: application/json`);
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      path: i.path.join('.') || '(body)',
      message: `${i.path.join('.') || 'body'}: ${i.message}`,
    }));
    throw new AppError('REQUEST_INVALID', `the ${what} is not valid: ${details.map((d) => d.message).join('; ')}`, { details });
  }
  return parsed.data;
}
