import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../src/errors.js';
import { ROOT } from '../helpers/examples.js';

// As Fastify tests its error catalogue against docs/Reference/Errors.md: every code of the catalogue
// has its row in the table of error codes in docs/service.md, with its HTTP status and whether it is
// retried as the catalogue says, and the table names no code the catalogue lacks.

const DOC = 'docs/service.md';

/** The rows of the table under the heading "Error codes": code → status, retried, meaning. */
function documentedCodes(): Map<string, { status: number; retried: string; meaning: string }> {
  const text = readFileSync(path.join(ROOT, DOC), 'utf8');
  const start = text.indexOf('\n#### Error codes\n');
  expect(start, `${DOC} has a section "Error codes"`).toBeGreaterThanOrEqual(0);
  const section = text.slice(start + 1).split(/\n#{1,4} /)[0] ?? '';
  const rows = new Map<string, { status: number; retried: string; meaning: string }>();
  for (const line of section.split('\n')) {
    const cells = /^\| `([A-Z_]+)` \| (\d{3}) \| (yes|no) \| (.+) \|$/.exec(line);
    if (!cells) continue;
    const [, code = '', status = '', retried = '', meaning = ''] = cells;
    expect(rows.has(code), `${code} is documented once`).toBe(false);
    rows.set(code, { status: Number(status), retried, meaning: meaning.trim() });
  }
  return rows;
}

describe(`the error codes in ${DOC}`, () => {
  const documented = documentedCodes();

  it.each(Object.keys(ERROR_CATALOGUE) as ErrorCode[])('%s is documented with its status, retry and meaning', (code) => {
    const row = documented.get(code);
    expect(row, `${code} has a row in the table of error codes`).toBeDefined();
    expect(row?.status).toBe(ERROR_CATALOGUE[code].httpStatus);
    expect(row?.retried).toBe(ERROR_CATALOGUE[code].retryable ? 'yes' : 'no');
    expect(row?.meaning.length).toBeGreaterThan(10);
  });

  it('names no code outside the catalogue', () => {
    expect([...documented.keys()].filter((code) => !Object.hasOwn(ERROR_CATALOGUE, code))).toEqual([]);
    expect(documented.size).toBe(Object.keys(ERROR_CATALOGUE).length);
  });
});
