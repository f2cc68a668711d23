import { AppError } from '../errors.js';
import { readKeptTemplates } from './kept-templates.js';
import type { JobStep, RenderJobData, RenderJobResult } from './render-job.js';
import type { RenderSandbox } from './render-sandbox.js';
import type { EditionManifest, Storage } from './storage.js';

/** What running a render job needs. */
export interface RunRenderJobDeps {
  readonly storage: Storage;
  readonly sandbox: RenderSandbox;
  readonly onStep?: (step: JobStep) => void;
  /** The current time, for the manifest. */
  readonly now?: () => Date;
}

/** The small result of a job, from its manifest. */
export function toJobResult(manifest: EditionManifest): RenderJobResult {
  return {
    publicationId: manifest.publicationId,
    edition: manifest.edition,
    artifacts: manifest.artifacts.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
  };
}

async function loadDataset(storage: Storage, hash: string, what: string): Promise<Buffer> {
  const bytes = await storage.getDataset(hash);
  if (!bytes) {
    throw new AppError(
      'STORAGE_FAILED',
      `the ${what} of this job (${hash.slice(0, 12)}…) is not in this worker's storage; do all workers and the API share one STORAGE_DIR?`,
    );
  }
  return bytes;
}

/**
 * Runs one render job: loads its datasets from storage, renders in the sandbox, stores each
 * artifact (write-once, atomic) and then the manifest, and records the edition. Safe to run twice,
 * even at the same time: a job that already has a manifest is not rendered again, and a second
 * writer of a file keeps the first complete copy, so the manifest always matches the stored bytes.
 */
export async function runRenderJob(jobId: string, data: RenderJobData, deps: RunRenderJobDeps): Promise<RenderJobResult> {
  const { storage } = deps;
  const existing = await storage.getManifest(jobId);
  if (existing) {
    deps.onStep?.('store');
    if (!existing.kind) await storage.recordEdition(existing);
    return toJobResult(existing);
  }
  const dataset = await loadDataset(storage, data.datasetHash, 'dataset');
  const previous = data.previous ? await loadDataset(storage, data.previous.datasetHash, 'previous dataset') : undefined;
  // The templates the job names, when kept in storage (drafts and editions of the record); else the worker's own.
  const templates = await readKeptTemplates(storage, data.templatesHash);
  const output = await deps.sandbox.render(
    {
      dataset,
      datasetHash: data.datasetHash,
      previous,
      ...(data.previous ? { previousHash: data.previous.datasetHash } : {}),
      previousEdition: data.previous?.edition ?? undefined,
      erratum: data.erratum ?? undefined,
      ...(data.kind === 'final' ? { edition: data.edition } : {}),
      ...(data.kind === 'draft' ? { draft: true } : {}),
      ...(templates ? { templates } : {}),
    },
    { onStep: deps.onStep },
  );
  deps.onStep?.('store');
  const artifacts = [];
  for (const artifact of output.artifacts) artifacts.push(await storage.putArtifact(jobId, artifact));
  const manifest = await storage.putManifest({
    jobId,
    publicationId: output.publicationId,
    edition: output.edition,
    correctedOn: output.correctedOn ?? null,
    datasetHash: data.datasetHash,
    previous: data.previous,
    erratum: data.erratum,
    templatesHash: output.templatesHash,
    rendererVersion: output.rendererVersion,
    createdAt: (deps.now?.() ?? new Date()).toISOString(),
    artifacts,
    changedCells: output.changedCells ?? null,
    releaseAt: data.releaseAt ?? null,
    checks: data.checks ?? null,
    ...(data.kind ? { kind: data.kind } : {}),
  });
  // Drafts and the final renders of approved drafts are recorded in the database (src/record);
  // only renders of the old kind are listed as editions in storage.
  if (!data.kind) await storage.recordEdition(manifest);
  return toJobResult(manifest);
}
