import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toWireError } from '../error-wire.js';
import { AppError } from '../errors.js';
import { type Dataset, parseDatasetText } from '../model/dataset.js';
import { renderEdition } from '../render/render-edition.js';
import type { RenderStep } from '../render/types.js';
import { loadResources, PROJECT_ROOT } from '../resources.js';
import { toChangedCellsRecord } from './changed-cells.js';
import { sha256Hex } from './hash.js';
import {
  type FromChildMessage,
  type SandboxRenderInput,
  type SandboxRenderOutput,
  type ToChildMessage,
  NO_WORKBOOK_THREAD_ARG,
  WARM_UP_ARG,
} from './render-sandbox.js';
import { createWorkbookPool } from '../workbook-pool.js';
import { hashTemplates, toRendererIdentity } from './renderer-identity.js';

// A render child: loads the renderer once, then renders one request at a time for its parent.
// It ignores SIGINT/SIGTERM (a Ctrl-C reaches the whole process group) and leaves when the parent
// closes the IPC channel, so the parent decides when a render may be cut short.

function send(message: FromChildMessage): void {
  // A parent that exits at once (a second SIGTERM) may be gone before this process has read the
  // end of the channel: the write then fails (EPIPE). Nobody is left to read it, so leave quietly.
  if (process.connected) process.send?.(message, undefined, {}, (error) => error && process.exit(0));
}

process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => process.exit(0));

const resources = loadResources();
/** The workbook thread (piscina), unless the parent turned it off; renderEdition still decides by size. */
const workbookPool = process.argv.includes(NO_WORKBOOK_THREAD_ARG) ? undefined : createWorkbookPool();
const identity = toRendererIdentity(resources.templates);

process.on('message', (message: ToChildMessage) => {
  if (message?.type !== 'render') return;
  void renderOne(message);
});

/**
 * Parses a dataset of a job. Given the sha256 it is stored under, the bytes must match it: then they
 * are the very bytes the API validated before storing them, and their JSON text is not scanned again.
 */
function readDataset(bytes: Uint8Array, hash: string | undefined, name: string): Dataset {
  // Structured clone hands over a Uint8Array; a Buffer over the same memory, not a copy.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (hash !== undefined && sha256Hex(buffer) !== hash) {
    throw new AppError('STORAGE_FAILED', `the ${name} handed to the render process does not match its sha256 ${hash.slice(0, 12)}…`);
  }
  return parseDatasetText(buffer.toString('utf8'), name, { textChecked: hash !== undefined });
}

/** Parses the datasets and renders the edition. */
async function render(input: SandboxRenderInput, onStep: (step: RenderStep) => void): Promise<SandboxRenderOutput> {
  onStep('validate');
  const dataset = readDataset(input.dataset, input.datasetHash, 'dataset');
  const previous = input.previous ? readDataset(input.previous, input.previousHash, 'previous') : undefined;
  const result = await renderEdition(
    {
      dataset,
      previous,
      previousEdition: input.previousEdition,
      erratum: input.erratum,
      ...(input.edition !== undefined ? { edition: input.edition } : {}),
      ...(input.draft ? { draft: true } : {}),
    },
    input.templates ? { ...resources, templates: input.templates } : resources,
    { onStep, ...(workbookPool ? { workbookRenderer: workbookPool.render } : {}) },
  );
  return {
    publicationId: result.publicationId,
    edition: result.edition,
    correctedOn: result.correctedOn,
    artifacts: result.artifacts.map((a) => ({ name: a.name, contentType: a.contentType, bytes: a.bytes })),
    // A corrected edition: from the erratum's own changes, not a second diff.
    changedCells: result.erratum ? toChangedCellsRecord(result.erratum) : null,
    ...identity,
    ...(input.templates ? { templatesHash: hashTemplates(input.templates) } : {}),
  };
}

async function renderOne({ id, input }: ToChildMessage): Promise<void> {
  let last: RenderStep | undefined;
  const onStep = (step: RenderStep): void => {
    if (step === last) return;
    last = step;
    send({ type: 'step', id, step });
  };
  try {
    send({ type: 'done', id, output: await render(input, onStep) });
  } catch (error) {
    send({ type: 'failed', id, error: toWireError(error) });
  }
}

/** The corrected edition of the 2019 example, which a warm-up renders: every part of the renderer runs once. */
const WARM_UP_EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'beleidsinformatie-2019-hj1');

/**
 * Renders the example once and drops the result, so that the first job finds the code compiled by
 * the JIT, the fonts parsed and the workbook thread started. A failure only costs the warmth.
 */
async function warmUp(): Promise<void> {
  try {
    const read = (name: string): Buffer => readFileSync(path.join(WARM_UP_EXAMPLE, name));
    await render(
      {
        dataset: read('dataset-gecorrigeerd.json'),
        previous: read('dataset.json'),
        erratum: { date: '2020-04-28', text: read('erratum.md').toString('utf8') },
      },
      () => {},
    );
  } catch (error) {
    process.emitWarning(`the render process could not warm up: ${toWireError(error).message}`, { code: 'RENDER_WARM_UP_FAILED' });
  }
}

// Twice: after one render the JIT has not yet compiled what the second one runs (a fresh process's
// second render takes about half the time of its first, its third a little less again).
if (process.argv.includes(WARM_UP_ARG)) for (let i = 0; i < 2; i++) await warmUp();
send({ type: 'ready' });
