import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, ROOT, readExampleJson } from '../helpers/examples.js';
import { renderedExample, renderedExampleFile } from '../helpers/rendered-example.js';

const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // The compiled command, as `npm run render` runs it (tests/global-setup.ts builds dist/ first).
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the render command', () => {
  it('writes the publication, the workbook and the erratum of a correction, and says what it wrote', () => {
    // The corrected 2019 edition, rendered once for the run by this command (tests/global-setup.ts).
    const rendered = renderedExample();
    expect(rendered.code, rendered.stderr).toBe(0);
    for (const name of ['publicatie.pdf', 'tabellenbijlage.xlsx', 'erratum.pdf'])
      expect(rendered.stdout).toContain(`wrote ${path.join(rendered.dir, name)}`);
    expect(renderedExampleFile('publicatie.pdf').subarray(0, 5).toString()).toBe('%PDF-');
    expect(renderedExampleFile('erratum.pdf').subarray(0, 5).toString()).toBe('%PDF-');
    expect(renderedExampleFile('tabellenbijlage.xlsx').subarray(0, 2).toString()).toBe('PK');
    // --timings: one line on stderr, every step once, in the order they happen, times not decreasing.
    const line = rendered.stderr.split('\n').find((l) => l.startsWith('timings (ms since start): '));
    const marks = (line ?? '')
      .slice('timings (ms since start): '.length)
      .split(' ')
      .map((m) => m.split('='));
    expect(marks.map(([step]) => step).filter((step) => step !== 'workbook')).toEqual([
      ...['modules', 'read', 'checks', 'validate', 'tables', 'pdf', 'xlsx', 'erratum', 'rendered', 'written'],
    ]);
    // With a second core the workbook comes back from its thread (src/cli.ts).
    if (availableParallelism() > 1) expect(marks.map(([step]) => step)).toContain('workbook');
    const ms = marks.map(([, value]) => Number(value));
    const inOrder = marks.filter(([step]) => step !== 'workbook').map(([, value]) => Number(value));
    expect(ms.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => a - b));
  });

  it('exits non-zero naming file, table, row and cell of bad input, and writes nothing', async () => {
    const raw = readExampleJson(EXAMPLES.corrected);
    const kern = raw.tables[0] as { rows: Record<string, unknown>[] };
    if (kern.rows[2]) kern.rows[2].OntvangenMeldingen = '1 235';
    const file = path.join(work, 'bad.json');
    writeFileSync(file, JSON.stringify(raw));
    const out = path.join(work, 'bad-out');
    const result = await cli(['--dataset', file, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error DATASET_INVALID');
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('table "kerncijfers", row 3 (Regio=VT02, Perioden=2019HJ01), cell OntvangenMeldingen');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an erratum date the calendar lacks (2020-02-31), and writes nothing', async () => {
    const out = path.join(work, 'bad-date');
    const result = await cli([
      '--dataset',
      EXAMPLES.corrected,
      '--previous',
      EXAMPLES.asPublished,
      '--erratum-date',
      '2020-02-31',
      '--out',
      out,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error ERRATUM_INVALID: --erratum-date must be a date as YYYY-MM-DD, not "2020-02-31"');
    expect(existsSync(out)).toBe(false);
  });

  it('explains a missing argument and an unreadable file', async () => {
    const missing = await cli(['--out', path.join(work, 'x')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--dataset and --out are required');
    const unreadable = await cli(['--dataset', path.join(work, 'nope.json'), '--out', path.join(work, 'x')]);
    expect(unreadable.stderr).toContain('error DATASET_UNREADABLE: cannot read');
    expect(unreadable.stderr).toContain('ENOENT');
    // The erratum's text is input too: a missing file is named with its code, not a raw ENOENT.
    const noText = path.join(work, 'geen-erratum.md');
    const out = path.join(work, 'no-text');
    const erratum = await cli([
      ...['--dataset', EXAMPLES.corrected, '--previous', EXAMPLES.asPublished],
      ...['--erratum-date', '2020-04-28', '--erratum-text', noText, '--out', out],
    ]);
    expect(erratum.code).toBe(1);
    expect(erratum.stderr).toContain(`error ERRATUM_INVALID: cannot read ${noText}: ENOENT`);
    expect(existsSync(out)).toBe(false);
  });
});
