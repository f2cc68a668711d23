import { describe, expect, it } from 'vitest';
import { toProblem } from '../../src/api/problem.js';
import { fromFailedReason, fromWireError, toFailedReason, toWireError } from '../../src/error-wire.js';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../../src/errors.js';

// Every error code crosses each boundary (thread and child process by structured clone, the queue
// as BullMQ's failedReason, HTTP as a problem document) and arrives with the same code, message,
// places and retry decision.

const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
const details = [{ path: 'tables[0].rows[2].GestarteAdviezen', message: 'table "kerncijfers", row 3: not a number' }];

describe('an error in its wire form', () => {
  it.each(codes)('%s crosses a thread or process boundary unchanged', (code) => {
    const error = new AppError(code, `line 1\nline 2: ${code}`, { details });
    const arrived = fromWireError(structuredClone(toWireError(error)));
    expect(arrived).toBeInstanceOf(AppError);
    expect(arrived).toMatchObject({ code, message: error.message, details, retryable: ERROR_CATALOGUE[code].retryable });
    expect(arrived?.stack).toBe(error.stack);
  });

  it.each(codes)('%s crosses the queue as "CODE: message" and back', (code) => {
    const error = new AppError(code, `the message: with a colon\nand a second line`);
    expect(toFailedReason(error)).toBe(`${code}: the message: with a colon\nand a second line`);
    expect(fromFailedReason(toFailedReason(error))).toEqual({ code, message: error.message });
  });

  it.each(codes)('%s crosses HTTP as a problem document with its status', (code) => {
    const problem = toProblem(new AppError(code, 'what happened', { details }));
    expect(problem).toMatchObject({ code, status: ERROR_CATALOGUE[code].httpStatus, detail: 'what happened', errors: details });
  });

  it('an error that is no AppError keeps its message for the log, but no code, and is not retried', () => {
    const wire = toWireError(new TypeError('Cannot read properties of undefined'));
    expect(wire).toMatchObject({ code: undefined, name: 'TypeError', retryable: false, message: 'Cannot read properties of undefined' });
    expect(fromWireError(structuredClone(wire))).toBeUndefined();
    expect(toWireError('a string')).toMatchObject({ code: undefined, message: 'a string', name: 'Error' });
  });

  it('a failedReason that BullMQ wrote itself, or with a code outside the catalogue, is not read as a code', () => {
    expect(fromFailedReason('job stalled more than allowable limit')).toBeUndefined();
    expect(fromFailedReason('NO_SUCH_CODE: x')).toBeUndefined();
    expect(fromFailedReason('constructor: x')).toBeUndefined();
    expect(
      fromWireError({ code: 'toString' as ErrorCode, message: 'x', details: [], retryable: false, name: 'Error', stack: undefined }),
    ).toBeUndefined();
  });
});
