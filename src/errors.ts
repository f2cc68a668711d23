/** The catalogue of error codes: every AppError is made from one of these. */
export const ERROR_CATALOGUE = {
  DATASET_INVALID: { httpStatus: 422, retryable: false, summary: 'The dataset does not match the dataset format.' },
  IMPORT_INVALID: {
    httpStatus: 422,
    retryable: false,
    summary: 'The StatLine files or CSV to import are wrong or incomplete; each problem names file, line or entity and field.',
  },
  DATASET_UNREADABLE: { httpStatus: 400, retryable: false, summary: 'The dataset file could not be read or is not JSON.' },
  TEMPLATE_INVALID: {
    httpStatus: 500,
    retryable: false,
    summary:
      'A publication template is missing, refers to data the dataset lacks or uses a directive that does not exist (e.g. ::tabel); the message names file and line.',
  },
  RULES_INVALID: {
    httpStatus: 500,
    retryable: false,
    summary: "A template's rule file (rules.yaml) is not valid YAML, has an unknown field or an expression that is refused.",
  },
  DATASET_IMPLAUSIBLE: {
    httpStatus: 422,
    retryable: false,
    summary: 'The checks before publishing found errors in the figures (see the findings); nothing was rendered.',
  },
  WARNINGS_NOT_ACCEPTED: {
    httpStatus: 422,
    retryable: false,
    summary: 'The checks before publishing found warnings; render only after accepting them (acceptWarnings, --accept-warnings).',
  },
  PREVIOUS_EDITION_MISMATCH: {
    httpStatus: 422,
    retryable: false,
    summary: 'The previous edition does not belong to the same publication as the corrected dataset.',
  },
  ERRATUM_INVALID: { httpStatus: 422, retryable: false, summary: 'The erratum date or text is missing or malformed.' },
  RENDER_FAILED: { httpStatus: 500, retryable: true, summary: 'Rendering failed for a reason outside the dataset.' },
  TEXTS_INVALID: {
    httpStatus: 422,
    retryable: false,
    summary:
      "The edition's period texts are missing a section the template needs, hold a section copied from the previous period that is not yet confirmed, or use what a period text may not (blocks, partials, HTML, directives); the message names the section and line.",
  },
  SKELETON_INCOMPLETE: {
    httpStatus: 422,
    retryable: false,
    summary: 'The dataset is a skeleton from new-period: figures are missing or fields are still marked to confirm.',
  },
  USAGE: { httpStatus: 400, retryable: false, summary: 'The command was called with wrong arguments.' },
  REQUEST_INVALID: { httpStatus: 400, retryable: false, summary: 'The request body is not JSON or does not have the expected fields.' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, retryable: false, summary: 'The request body is larger than the service accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, retryable: false, summary: 'The request body is not of a content type the service accepts.' },
  NOT_FOUND: { httpStatus: 404, retryable: false, summary: 'There is no such job, artifact, publication or route.' },
  PREVIOUS_EDITION_UNKNOWN: {
    httpStatus: 422,
    retryable: false,
    summary: 'A corrected edition was requested, but the service knows no earlier edition of the publication.',
  },
  UNAUTHENTICATED: {
    httpStatus: 401,
    retryable: false,
    summary: 'The request has no valid credentials: send a Bearer token or sign in on the page.',
  },
  FORBIDDEN: {
    httpStatus: 403,
    retryable: false,
    summary: 'The credentials are valid but do not allow this request (role, CSRF token, origin or host).',
  },
  RATE_LIMITED: { httpStatus: 429, retryable: true, summary: 'Too many requests from this token or address; see Retry-After.' },
  REDIS_UNAVAILABLE: { httpStatus: 503, retryable: true, summary: 'The job queue (Redis) cannot be reached.' },
  NOT_READY: {
    httpStatus: 503,
    retryable: true,
    summary: 'The service is not ready: Redis is unreachable or no worker consumes the queue.',
  },
  UPLOADS_BUSY: {
    httpStatus: 503,
    retryable: true,
    summary: 'Too many large uploads are being received at once; send it again after Retry-After.',
  },
  STORAGE_FAILED: {
    httpStatus: 503,
    retryable: true,
    summary: 'Reading or writing the storage failed (the cause, e.g. EROFS or ENOSPC, is named); try again later.',
  },
  JOB_TIMEOUT: { httpStatus: 500, retryable: false, summary: 'The rendering took longer than the time limit and was stopped.' },
  JOB_INVALID: { httpStatus: 500, retryable: false, summary: 'A job in the queue carries data this service cannot read.' },
  CONFIG_INVALID: { httpStatus: 500, retryable: false, summary: 'The configuration (environment variables) is invalid.' },
  DATABASE_FAILED: {
    httpStatus: 503,
    retryable: true,
    summary: 'The database (the record of drafts, editions, tokens and the audit log) failed.',
  },
  REVIEW_CONFLICT: {
    httpStatus: 409,
    retryable: false,
    summary: 'The draft cannot be reviewed so: it was reviewed already, it is your own, or a newer edition came out since it was made.',
  },
  EDITION_WITHDRAWN: { httpStatus: 410, retryable: false, summary: 'The edition was withdrawn; its files stay for the record only.' },
  INTERNAL: { httpStatus: 500, retryable: false, summary: 'An unexpected error occurred.' },
} as const satisfies Record<string, { httpStatus: number; retryable: boolean; summary: string }>;

/** A known error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One problem found in input, with the place it was found. */
export interface ErrorDetail {
  /** JSON path of the offending value, e.g. `tables[0].rows[12].GestarteAdviezen`. */
  path: string;
  /** What is wrong, naming the table, row and cell in words. */
  message: string;
}

/** The one error type of the project: a code from the catalogue, a message and the places involved. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message: string, options: { details?: readonly ErrorDetail[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.httpStatus = ERROR_CATALOGUE[code].httpStatus;
    this.retryable = ERROR_CATALOGUE[code].retryable;
    this.details = options.details ?? [];
  }
}

/** True when `value` is an AppError with the given code (or any code when none is given). */
export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}
