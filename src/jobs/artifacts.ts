import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { checkJobId, getJobStatus, type JobStatusDeps } from './job-status.js';
import type { Viewer } from './release-moment.js';
import { type ArtifactRecord, type EditionManifest, isArtifactName } from './storage.js';

/** An artifact `viewer` may see: its record, the manifest, and its bytes when asked for (no second check). */
export interface FoundArtifact {
  readonly record: ArtifactRecord;
  readonly manifest: EditionManifest;
  /** The bytes; STORAGE_FAILED when the recorded file is gone. */
  open(): Promise<Readable>;
}

/** The record of one artifact of a completed job, with its manifest, as `viewer` may see it; throws NOT_FOUND. */
export async function findArtifact(deps: JobStatusDeps, jobId: string, name: string, viewer: Viewer): Promise<FoundArtifact> {
  checkJobId(jobId);
  if (!isArtifactName(name)) throw new AppError('NOT_FOUND', `there is no artifact "${name}"`);
  const stored = await deps.storage.getManifest(jobId);
  if (!stored) {
    const status = await getJobStatus(deps, jobId, viewer);
    throw new AppError('NOT_FOUND', `job ${jobId} has no artifacts: it is ${status.state}`);
  }
  const manifest = await deps.withReleaseAt(stored);
  await deps.gate(manifest, viewer);
  const record = manifest.artifacts.find((a) => a.name === name);
  if (!record) {
    throw new AppError(
      'NOT_FOUND',
      `job ${jobId} has no artifact "${name}"; it has ${manifest.artifacts.map((a) => `"${a.name}"`).join(', ')}`,
    );
  }
  const open = async () => {
    const stream = await deps.storage.openArtifact(jobId, name);
    if (!stream) throw new AppError('STORAGE_FAILED', `the stored file of artifact "${name}" is missing`);
    return stream;
  };
  return { record, manifest, open };
}

/** The bytes of one artifact; throws NOT_FOUND (and STORAGE_FAILED when its recorded file is gone). */
export async function openArtifact(deps: JobStatusDeps, jobId: string, name: string, viewer: Viewer): Promise<Readable> {
  return (await findArtifact(deps, jobId, name, viewer)).open();
}
