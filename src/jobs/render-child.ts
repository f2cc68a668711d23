import { parseDatasetText } from '../model/dataset.js';
import { renderEdition } from '../render/render-edition.js';
import type { RenderStep } from '../render/types.js';
import { loadResources } from '../resources.js';
import { toChangedCellsRecord } from './changed-cells.js';
import { type FromChildMessage, type ToChildMessage, toWireError } from './render-sandbox.js';
import { toRendererIdentity } from './renderer-identity.js';

// A render child: loads the renderer once, then renders one request at a time for its parent.
// It ignores SIGINT/SIGTERM (a Ctrl-C reaches the whole process group) and leaves when the parent
// closes the IPC channel, so the parent decides when a render may be cut short.

function send(message: FromChildMessage): void {
  if (process.connected) process.send?.(message);
}

process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => process.exit(0));

const resources = loadResources();
const identity = toRendererIdentity(resources.templates);

process.on('message', (message: ToChildMessage) => {
  if (message?.type !== 'render') return;
  void renderOne(message);
});

async function renderOne({ id, input }: ToChildMessage): Promise<void> {
  let last: RenderStep | undefined;
  const onStep = (step: RenderStep): void => {
    if (step === last) return;
    last = step;
    send({ type: 'step', id, step });
  };
  try {
    onStep('validate');
    const dataset = parseDatasetText(Buffer.from(input.dataset).toString('utf8'), 'dataset');
    const previous = input.previous ? parseDatasetText(Buffer.from(input.previous).toString('utf8'), 'previous') : undefined;
    const result = await renderEdition(
      {
        dataset,
        previous,
        previousEdition: input.previousEdition,
        erratum: input.erratum,
        ...(input.edition !== undefined ? { edition: input.edition } : {}),
        ...(input.draft ? { draft: true } : {}),
      },
      resources,
      { onStep },
    );
    send({
      type: 'done',
      id,
      output: {
        publicationId: result.publicationId,
        edition: result.edition,
        correctedOn: result.correctedOn,
        artifacts: result.artifacts.map((a) => ({ name: a.name, contentType: a.contentType, bytes: a.bytes })),
        changedCells: result.erratum ? toChangedCellsRecord(result.erratum) : null,
        ...identity,
      },
    });
  } catch (error) {
    send({ type: 'failed', id, error: toWireError(error) });
  }
}

send({ type: 'ready' });
