import express, { type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { decodeUtf8, JsonTextError, MAX_DATASET_DEPTH, parseJsonSafely } from '../model/json-text.js';

/** How deep a request body may nest: a dataset (and a previous one) inside the request object. */
export const MAX_BODY_DEPTH = MAX_DATASET_DEPTH + 2;

function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * Reads an application/json body as bytes (up to `limit`), refuses any charset but UTF-8 (415) and
 * bytes that are not UTF-8 (400, naming the byte offset), and leaves the text in req.body; with
 * `parse`, the value instead, nesting refused beyond MAX_BODY_DEPTH before parsing and `__proto__`
 * keys refused. express.json would decode with U+FFFD replacement and parse any depth.
 */
export function jsonBody(limit: number, parse: boolean): RequestHandler[] {
  const raw = express.raw({ type: 'application/json', limit });
  const decode: RequestHandler = (req, _res, next) => {
    const charset = charsetOf(req.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `the request body's charset ${charset.slice(0, 40)} is not supported: send UTF-8 JSON`);
    }
    const bytes: unknown = req.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
      req.body = undefined;
      next();
      return;
    }
    let text = '';
    try {
      text = decodeUtf8(bytes);
      req.body = parse ? parseJsonSafely(text, MAX_BODY_DEPTH) : text;
    } catch (error) {
      if (error instanceof JsonTextError) {
        throw new AppError('REQUEST_INVALID', `the request body ${error.message}`, {
          details: [{ path: '(body)', message: error.message }],
        });
      }
      // As body-parser reports it, so that the error handler names line and column.
      if (error instanceof SyntaxError) throw Object.assign(error, { type: 'entity.parse.failed', status: 400, body: text });
      throw error;
    }
    next();
  };
  return [raw, decode];
}
