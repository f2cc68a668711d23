import { AppError, ERROR_CATALOGUE, type ErrorCode, type ErrorDetail, isAppError } from './errors.js';

/**
 * Errors as they cross a boundary: the workbook thread (structured clone), the render child (IPC),
 * the queue (BullMQ's failedReason, a string) and HTTP (the problem document of src/api/problem.ts).
 * Each boundary turns an error into this wire form on one side and back on the other, here, so that
 * an AppError keeps its code, message, places and whether it is retried on every way it travels.
 */

/** An error in its wire form: plain data that survives a structured clone. */
export interface WireError {
  /** The catalogue code of an AppError; undefined for any other error (its message is not for users). */
  readonly code: ErrorCode | undefined;
  readonly message: string;
  /** The places of the problems (file, line, table, row, cell). */
  readonly details: readonly ErrorDetail[];
  /** Whether trying again may help (the catalogue's word for the code); false for an unknown error. */
  readonly retryable: boolean;
  /** The error's name and stack, for the log on the other side. */
  readonly name: string;
  readonly stack: string | undefined;
}

/** True when `code` is a code of the catalogue (a string from the other side of a boundary may not be). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code);
}

/** Turns an error into its wire form. Only an AppError's message is meant for users. */
export function toWireError(error: AppError): WireError & { readonly code: ErrorCode };
export function toWireError(error: unknown): WireError;
export function toWireError(error: unknown): WireError {
  if (isAppError(error)) {
    const details = error.details.map(({ path, message }) => ({ path, message }));
    return { code: error.code, message: error.message, details, retryable: error.retryable, name: error.name, stack: error.stack };
  }
  if (error instanceof Error)
    return { code: undefined, message: error.message, details: [], retryable: false, name: error.name, stack: error.stack };
  return { code: undefined, message: String(error), details: [], retryable: false, name: 'Error', stack: undefined };
}

/** The AppError a wire form stands for; undefined for an error that was no AppError (the caller decides what to show). */
export function fromWireError(wire: WireError): AppError | undefined {
  if (!isErrorCode(wire.code)) return undefined;
  const error = new AppError(wire.code, wire.message, { details: wire.details });
  if (wire.stack) error.stack = wire.stack;
  return error;
}

/** The failedReason a job keeps in the queue: "CODE: message" (BullMQ keeps only a message). */
export function toFailedReason(error: AppError): string {
  return `${error.code}: ${error.message}`;
}

const FAILED_REASON = /^([A-Z][A-Z_]+): ([\s\S]*)$/;

/** The code and message of a failedReason written by toFailedReason; undefined for one BullMQ wrote itself. */
export function fromFailedReason(failedReason: string): { readonly code: ErrorCode; readonly message: string } | undefined {
  const match = FAILED_REASON.exec(failedReason);
  const code = match?.[1];
  return isErrorCode(code) ? { code, message: match?.[2] ?? '' } : undefined;
}
