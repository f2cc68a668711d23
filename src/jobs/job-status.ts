import type { Job, Queue } from 'bullmq';
import { fromFailedReason } from '../error-wire.js';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../errors.js';
import type { JobGate, ReleaseLookup } from './job-visibility.js';
import { attemptsAllowed, isRenderJobId, type JobStep, type RenderJobData, type RenderJobResult } from './render-job.js';
import type { Viewer } from './release-moment.js';
import type { ArtifactRecord, EditionManifest, Storage } from './storage.js';
import type { ChecksRecord } from './submission-checks.js';
import type { WithRedis } from './with-redis.js';

/** The API's queue of render jobs. */
export type RenderQueue = Queue<RenderJobData, RenderJobResult>;

/** The state of a job as the API shows it. */
export type JobState = 'queued' | 'active' | 'completed' | 'failed';

/** The status of one render job. */
export interface JobStatus {
  readonly id: string;
  readonly state: JobState;
  readonly publicationId: string;
  readonly edition: number;
  readonly correctedOn: string | null;
  /** The step the job is in or last reached. */
  readonly step: JobStep | null;
  /** Attempts made and allowed; null when the job is known only from storage. */
  readonly attemptsMade: number | null;
  readonly maxAttempts: number | null;
  /** Why the job failed, or why its last attempt failed while it waits for a retry. */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
  /** Set once the job has completed. */
  readonly artifacts: readonly ArtifactRecord[];
  /** The release moment (ISO, UTC): before it only editors see the job; null when unknown (then hidden). */
  readonly releaseAt: string | null;
  /** What the checks before publishing found (warnings and their acceptance); null for jobs from before the checks. */
  readonly checks: ChecksRecord | null;
}

/** What reading the status of a job needs. */
export interface JobStatusDeps {
  readonly queue: RenderQueue;
  readonly storage: Storage;
  readonly withRedis: WithRedis;
  readonly withReleaseAt: ReleaseLookup;
  readonly gate: JobGate;
}

function toJobState(state: string): JobState {
  if (state === 'active') return 'active';
  if (state === 'completed') return 'completed';
  if (state === 'failed') return 'failed';
  return 'queued'; // waiting, prioritized, delayed (a retry waits), waiting-children
}

function toJobError(failedReason: string | undefined): JobStatus['error'] {
  if (!failedReason) return null;
  const known = fromFailedReason(failedReason);
  if (known) return known;
  // A message from BullMQ itself (e.g. a job that stalled too often): show it unless it looks like a path.
  return { code: 'RENDER_FAILED', message: /[/\\]/.test(failedReason) ? ERROR_CATALOGUE.RENDER_FAILED.summary : failedReason };
}

function toStep(progress: unknown): JobStep | null {
  const step = (progress as { step?: unknown } | null)?.step;
  return typeof step === 'string' ? (step as JobStep) : null;
}

/** The status of a job known from its manifest: completed. */
export function fromManifest(manifest: EditionManifest, attemptsMade: number | null = null, maxAttempts: number | null = null): JobStatus {
  return {
    id: manifest.jobId,
    state: 'completed',
    publicationId: manifest.publicationId,
    edition: manifest.edition,
    correctedOn: manifest.correctedOn,
    step: 'store',
    attemptsMade,
    maxAttempts,
    error: null,
    artifacts: manifest.artifacts,
    releaseAt: manifest.releaseAt ?? null,
    checks: manifest.checks ?? null,
  };
}

/** The status of a job read from the queue (its files from storage once it has completed). */
export async function statusOfJob(
  deps: Pick<JobStatusDeps, 'queue' | 'storage' | 'withReleaseAt'>,
  fetched: Job<RenderJobData, RenderJobResult>,
  jobId: string,
): Promise<JobStatus> {
  let job = fetched;
  const state = toJobState(await job.getState());
  // The job was read before it failed and its state after: read it again for the reason, so that a
  // failed job never shows without one.
  if (state === 'failed' && !job.failedReason) job = (await deps.queue.getJob(jobId)) ?? job;
  const maxAttempts = attemptsAllowed(job.opts, job.failedReason);
  if (state === 'completed') {
    const manifest = await deps.storage.getManifest(jobId);
    if (manifest) return fromManifest(await deps.withReleaseAt(manifest), job.attemptsMade, maxAttempts);
  }
  return {
    id: jobId,
    state,
    publicationId: job.data.publicationId,
    edition: job.data.edition,
    correctedOn: job.data.erratum?.date ?? null,
    step: toStep(job.progress),
    attemptsMade: job.attemptsMade,
    maxAttempts,
    error: state === 'completed' ? null : toJobError(job.failedReason),
    artifacts: [],
    releaseAt: job.data.releaseAt ?? null,
    checks: job.data.checks ?? null,
  };
}

/** Throws NOT_FOUND for a string that cannot be a job id. */
export function checkJobId(jobId: string): void {
  if (!isRenderJobId(jobId)) throw new AppError('NOT_FOUND', `there is no job "${jobId}"`);
}

/** The status of a job as `viewer` may see it; throws NOT_FOUND for an unknown job. */
export async function getJobStatus(deps: JobStatusDeps, jobId: string, viewer: Viewer): Promise<JobStatus> {
  checkJobId(jobId);
  const stored = await deps.storage.getManifest(jobId);
  if (stored) {
    const manifest = await deps.withReleaseAt(stored);
    await deps.gate(manifest, viewer);
    return fromManifest(manifest);
  }
  // A job that has not completed is no edition yet: only editors follow it.
  if (!viewer.seesEmbargoed) throw new AppError('NOT_FOUND', `there is no job "${jobId}"`);
  const job = await deps.withRedis(() => deps.queue.getJob(jobId));
  if (!job) throw new AppError('NOT_FOUND', `there is no job "${jobId}"`);
  return deps.withRedis(() => statusOfJob(deps, job, jobId));
}
