import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { buildDist } from '../scripts/build.js';
import { EXAMPLES, ROOT } from './helpers/examples.js';
import type { RenderedExample } from './helpers/rendered-example.js';

/** Renders the corrected 2019 edition with `node dist/cli.js`, as `npm run render` does (with --timings), into a fresh folder. */
async function renderExampleWithCli(): Promise<RenderedExample> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'rendered-example-')), 'out');
  const inputs = {
    dataset: EXAMPLES.corrected,
    previous: EXAMPLES.asPublished,
    erratumDate: '2020-04-28',
    erratumText: path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/erratum.md'),
  };
  const args = [
    ...['--dataset', inputs.dataset, '--previous', inputs.previous],
    ...['--erratum-date', inputs.erratumDate, '--erratum-text', inputs.erratumText, '--out', dir],
    '--timings',
  ];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT });
    return { dir, inputs, code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { dir, inputs, code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Before the files of the `process` project: compile src/ into dist/ (esbuild, well under a
// second), so that tests of the commands (tests/unit/cli.test.ts) run the compiled code `npm run
// render` runs, from the sources under test. Then render the corrected 2019 edition once with
// that command, for every file of the run that reads it (tests/helpers/rendered-example.ts).
export default async function setup(project: TestProject): Promise<() => void> {
  await buildDist();
  const rendered = await renderExampleWithCli();
  project.provide('renderedExample', rendered);
  return () => rmSync(path.dirname(rendered.dir), { recursive: true, force: true });
}
