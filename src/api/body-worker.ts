import { AppError, type ErrorCode, type ErrorDetail } from '../errors.js';
import { decodeUtf8, JsonTextError, parseJsonSafely } from '../model/json-text.js';
import type { DatasetReport } from '../jobs/dataset-report.js';
import { validateDatasetText } from '../jobs/submission-checks.js';
import { parseSubmitBody } from './request-schemas.js';

// Runs in the body thread pool (see body-pool.ts): reads a large request body off the event loop
// that serves requests. The value itself stays here: cloning a parsed value back to the calling
// thread costs more than parsing it (a body of millions of empty objects: 3 s to parse, 8 s to
// clone), so the thread answers with the text once it is known to be JSON the route can take, and
// the calling thread parses only that.

/** What the route checks in the thread besides the JSON itself: "submit" runs the render request's schema. */
export type BodyCheck = 'submit';

export interface BodyTask {
  readonly bytes: Uint8Array;
  /** How deep the body may nest. */
  readonly maxDepth: number;
  readonly check?: BodyCheck;
}

export type BodyOutcome =
  | { readonly ok: true; readonly text: string }
  /** JsonTextError: not UTF-8, too deep, a __proto__ key. */
  | { readonly ok: false; readonly kind: 'text'; readonly message: string }
  /** JSON.parse's SyntaxError, with the text so that its line and column can be named. */
  | { readonly ok: false; readonly kind: 'syntax'; readonly message: string; readonly text: string }
  | {
      readonly ok: false;
      readonly kind: 'app';
      readonly code: ErrorCode;
      readonly message: string;
      readonly details: readonly ErrorDetail[];
    };

const CHECKS: Record<BodyCheck, (value: unknown) => void> = {
  submit: (value) => {
    parseSubmitBody(value);
  },
};

/** Decodes, parses and checks one body (the pool's task function). */
export default function readBody({ bytes, maxDepth, check }: BodyTask): BodyOutcome {
  let text = '';
  try {
    text = decodeUtf8(bytes);
    const value = parseJsonSafely(text, maxDepth);
    if (check !== undefined) CHECKS[check](value);
    return { ok: true, text };
  } catch (error) {
    if (error instanceof JsonTextError) return { ok: false, kind: 'text', message: error.message };
    if (error instanceof SyntaxError) return { ok: false, kind: 'syntax', message: error.message, text };
    if (error instanceof AppError) return { ok: false, kind: 'app', code: error.code, message: error.message, details: error.details };
    throw error;
  }
}

/** A dataset file to validate in the pool, with the templates of the checks when not the project's. */
export interface ValidateTask {
  readonly text: string;
  readonly templates?: Readonly<Record<string, string>>;
}

/**
 * Validates a large dataset file and runs the checks before publishing on it (the pool's task
 * "validateDataset"): parsing, validation and the checks are the heavy part of
 * POST /api/datasets/validate, and the report that comes back is small (its lists are capped).
 */
export function validateDataset({ text, templates }: ValidateTask): DatasetReport {
  return validateDatasetText(text, templates);
}
