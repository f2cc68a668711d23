import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toChangedCellsRecord } from '../../src/jobs/changed-cells.js';
import { sha256Hex } from '../../src/jobs/hash.js';
import { createRenderSandbox, type SandboxRenderInput } from '../../src/jobs/render-sandbox.js';
import { diffDatasets } from '../../src/render/errata/dataset-diff.js';
import { toErratumChanges } from '../../src/render/errata/erratum-changes.js';
import { EXAMPLES, loadExample } from '../helpers/examples.js';
import { ERRATUM } from './helpers.js';

// Render children started and warmed up ahead of the jobs (what `npm start` and `npm run worker`
// do): the warm-up renders the example once and drops it; the jobs' files are the same bytes as
// from a cold child, also from the child that replaces a retired one.

const input: SandboxRenderInput = {
  dataset: readFileSync(EXAMPLES.corrected),
  previous: readFileSync(EXAMPLES.asPublished),
  erratum: ERRATUM,
};

/** As a worker hands a job over: with the sha256 each dataset is stored under. */
const stored: SandboxRenderInput = {
  ...input,
  datasetHash: sha256Hex(input.dataset),
  previousHash: sha256Hex(input.previous ?? Buffer.alloc(0)),
};

const bytesOf = (output: { artifacts: readonly { name: string; bytes: Buffer }[] }) =>
  Object.fromEntries(output.artifacts.map((a) => [a.name, Buffer.from(a.bytes).toString('base64')]));

describe('warm render children', () => {
  it('render the same bytes as a cold child, also after a child is retired and replaced ahead', async () => {
    const cold = createRenderSandbox({ timeoutMs: 120_000 });
    const warm = createRenderSandbox({ timeoutMs: 120_000, warmChildren: 1, warmUp: true, maxRendersPerChild: 1 });
    try {
      const expected = bytesOf(await cold.render(input));
      expect(Object.keys(expected).sort()).toEqual(['erratum.pdf', 'publicatie.pdf', 'tabellenbijlage.xlsx']);
      const steps: string[] = [];
      // With the hashes the child does not scan the JSON text again: the same files.
      const first = await warm.render(stored, { onStep: (step) => steps.push(step) });
      expect(bytesOf(first)).toEqual(expected);
      // The job's own steps only: the warm-up reports none.
      expect(steps[0]).toBe('validate');
      // The changed cells come from the erratum's own changes (no second diff): the same record as a diff of its own.
      const changed = toChangedCellsRecord(
        toErratumChanges(diffDatasets(loadExample(EXAMPLES.asPublished), loadExample(EXAMPLES.corrected))),
      );
      expect(changed.total).toBeGreaterThan(0);
      expect(first.changedCells).toEqual(changed);
      expect(bytesOf(await warm.render(input))).toEqual(expected);
    } finally {
      await Promise.all([cold.close(), warm.close()]);
    }
  });

  it('refuse dataset bytes that do not match the sha256 they are stored under', async () => {
    const sandbox = createRenderSandbox({ timeoutMs: 120_000 });
    try {
      const other = { ...stored, previousHash: stored.datasetHash };
      await expect(sandbox.render(other)).rejects.toMatchObject({ code: 'STORAGE_FAILED', message: expect.stringContaining('previous') });
    } finally {
      await sandbox.close();
    }
  });

  it('close() stops a child that is still warming up, and later renders are refused', async () => {
    const warm = createRenderSandbox({ timeoutMs: 120_000, warmChildren: 2, warmUp: true });
    await warm.close();
    await expect(warm.render(input)).rejects.toMatchObject({ code: 'RENDER_FAILED' });
  });
});
