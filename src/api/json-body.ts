import express, { type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { decodeUtf8, JsonTextError, MAX_DATASET_DEPTH, parseJsonSafely } from '../model/json-text.js';
import { OFF_LOOP_BODY_BYTES, readBodyOffLoop } from './body-pool.js';
import type { BodyCheck } from './body-worker.js';

/** How deep a request body may nest: a dataset (and a previous one) inside the request object. */
export const MAX_BODY_DEPTH = MAX_DATASET_DEPTH + 2;

/** A body above this size (or of unknown size) is large: it holds memory while it is read and parsed. */
export const LARGE_BODY_BYTES = 1024 * 1024;
/** How many large bodies the API reads at once, over all routes that share the gate. */
export const MAX_LARGE_UPLOADS = 4;

/**
 * Bounds the large uploads read at once (each holds its bytes, its text and its value in memory):
 * above `max`, 503 UPLOADS_BUSY with Retry-After before a byte is read. A slot is freed when the
 * answer is finished or the connection closes.
 */
export function largeUploadGate(max = MAX_LARGE_UPLOADS): RequestHandler {
  let inFlight = 0;
  return (req, res, next) => {
    const length = req.headers['content-length'];
    const large = req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > LARGE_BODY_BYTES);
    if (!large) {
      next();
      return;
    }
    if (inFlight >= max) {
      throw new AppError('UPLOADS_BUSY', `${max} large uploads are being received; send this one again in a few seconds`);
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        inFlight--;
      }
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}

function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * Reads an application/json body as bytes (up to `limit`), refuses any charset but UTF-8 (415) and
 * bytes that are not UTF-8 (400, naming the byte offset), and leaves the text in req.body; with
 * `parse`, the value instead, nesting refused beyond MAX_BODY_DEPTH before parsing and `__proto__`
 * keys refused. express.json would decode with U+FFFD replacement and parse any depth. A parsed body
 * above OFF_LOOP_BODY_BYTES is read in the body thread pool, with the route's `check` (see body-worker.ts).
 */
export function jsonBody(limit: number, parse: boolean, gate: RequestHandler = largeUploadGate(), check?: BodyCheck): RequestHandler[] {
  const raw = express.raw({ type: 'application/json', limit });
  const decode: RequestHandler = async (req, _res, next) => {
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
    if (parse && bytes.length > OFF_LOOP_BODY_BYTES) {
      req.body = await readLargeBody(bytes, check);
      next();
      return;
    }
    let text = '';
    try {
      text = decodeUtf8(bytes);
      req.body = parse ? parseJsonSafely(text, MAX_BODY_DEPTH) : text;
    } catch (error) {
      if (error instanceof JsonTextError) throw bodyTextError(error.message);
      if (error instanceof SyntaxError) throw bodySyntaxError(error, text);
      throw error;
    }
    next();
  };
  return [gate, raw, decode];
}

function bodyTextError(message: string): AppError {
  return new AppError('REQUEST_INVALID', `the request body ${message}`, { details: [{ path: '(body)', message }] });
}

/** As body-parser reports it, so that the error handler names line and column. */
function bodySyntaxError(error: SyntaxError, text: string): SyntaxError {
  return Object.assign(error, { type: 'entity.parse.failed', status: 400, body: text });
}

/**
 * A large body is decoded, parsed and checked in the body thread pool, so that the event loop keeps
 * answering meanwhile; it comes back as text only when it is JSON the route takes, and only then is
 * it parsed here (already known to be shallow, well-formed and free of __proto__ keys).
 */
async function readLargeBody(bytes: Buffer, check: BodyCheck | undefined): Promise<unknown> {
  const outcome = await readBodyOffLoop({ bytes, maxDepth: MAX_BODY_DEPTH, ...(check ? { check } : {}) });
  if (outcome.ok) return JSON.parse(outcome.text);
  switch (outcome.kind) {
    case 'text':
      throw bodyTextError(outcome.message);
    case 'syntax':
      throw bodySyntaxError(new SyntaxError(outcome.message), outcome.text);
    case 'app':
      throw new AppError(outcome.code, outcome.message, { details: outcome.details });
  }
}
