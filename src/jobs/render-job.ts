import type { BackoffOptions, BackoffStrategy, JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { RenderStep } from '../render/types.js';
import { sha256Hex, toCanonicalJson } from './hash.js';
import { ChecksRecordSchema, type ChecksRecord } from './submission-checks.js';
import { HASH_PATTERN, JOB_ID_PATTERN, PUBLICATION_ID_PATTERN } from './storage.js';

/** The name of render jobs within the queue. */
export const RENDER_JOB_NAME = 'render-edition';

/** A step of a job: the render steps, then storing the artifacts. */
export type JobStep = RenderStep;

/** What a render job carries: references to stored datasets and small texts, never datasets or output. */
export interface RenderJobData {
  readonly publicationId: string;
  /** The edition this job renders (derived from the inputs, kept for display while the job waits). */
  readonly edition: number;
  readonly datasetHash: string;
  /** Set for a corrected edition: the stored dataset as published before, and its edition number. */
  readonly previous: { readonly datasetHash: string; readonly edition: number | null } | null;
  readonly erratum: { readonly date: string; readonly text: string } | null;
  /** What the job id was derived from besides the data: recorded for traceability. */
  readonly templatesHash: string;
  readonly rendererVersion: string;
  /** The release moment (ISO, UTC): readers see the edition from then on. Absent in jobs queued before it was recorded. */
  readonly releaseAt?: string;
  /** What the checks before publishing found, and who accepted the warnings (not part of the job id). */
  readonly checks?: ChecksRecord;
  /**
   * `draft`: a draft for review, marked "CONCEPT" (never shown to readers); `final`: the files of an
   * approved edition, rendered with the edition number the record assigned (`edition`). Absent in
   * renders made before drafts existed (they render as final, numbered from the dataset).
   */
  readonly kind?: 'draft' | 'final';
  /** The X-Request-Id of the request that queued the job: in the worker's log lines of the job (not part of the job id). */
  readonly requestId?: string;
}

/** Request ids: those a proxy may send (X-Request-Id) and the UUIDs the API makes. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,64}$/;

/** The progress a job reports: the step it is in. */
export interface RenderJobProgress {
  readonly step: JobStep;
}

/** What a completed job returns (small: the artifacts themselves stay in storage). */
export interface RenderJobResult {
  readonly publicationId: string;
  readonly edition: number;
  readonly artifacts: readonly { readonly name: string; readonly size: number; readonly sha256: string }[];
  /** Seconds spent in each step of the render (for the render_step_duration_seconds metric of the API). */
  readonly stepSeconds?: Partial<Record<JobStep, number>>;
}

const hash = z.string().regex(HASH_PATTERN);

/** Validates job data read back from Redis. */
export const RenderJobDataSchema = z.strictObject({
  publicationId: z.string().regex(PUBLICATION_ID_PATTERN),
  edition: z.int().min(1),
  datasetHash: hash,
  previous: z.strictObject({ datasetHash: hash, edition: z.int().min(1).nullable() }).nullable(),
  erratum: z.strictObject({ date: z.string(), text: z.string() }).nullable(),
  templatesHash: hash,
  rendererVersion: z.string().min(1),
  releaseAt: z.iso.datetime().optional(),
  checks: ChecksRecordSchema.optional(),
  kind: z.enum(['draft', 'final']).optional(),
  requestId: z.string().regex(REQUEST_ID_PATTERN).optional(),
});

/**
 * The job id of a render: a hash over everything that determines its output (dataset, previous
 * edition, erratum, templates, renderer version). The same request always gets the same id, so
 * BullMQ deduplicates it and the stored artifacts can be found again. The publication id is part
 * of the dataset, so it is covered by the dataset hash.
 */
export function toJobId(data: RenderJobData): string {
  const key = toCanonicalJson({
    v: 1,
    dataset: data.datasetHash,
    previous: data.previous ? { dataset: data.previous.datasetHash, edition: data.previous.edition } : null,
    erratum: data.erratum,
    templates: data.templatesHash,
    renderer: data.rendererVersion,
    // The same files released at another moment are another edition record.
    ...(data.releaseAt ? { releaseAt: data.releaseAt } : {}),
    // A draft and a final render of the same input are different files; a final one carries its number.
    ...(data.kind ? { kind: data.kind, ...(data.kind === 'final' ? { edition: data.edition } : {}) } : {}),
  });
  return `r-${sha256Hex(key)}`;
}

/** True when `id` has the shape of a render job id (and is therefore safe in paths and Redis keys). */
export function isRenderJobId(id: string): boolean {
  return JOB_ID_PATTERN.test(id);
}

/** Retry and retention settings of render jobs. */
export interface RenderJobPolicy {
  /** Attempts in all, including the first (storage faults have their own, STORAGE_RETRY). */
  readonly attempts: number;
  /** The first retry waits this long; each next one twice as long (storage faults: STORAGE_RETRY). */
  readonly retryDelayMs: number;
}

/**
 * Retries of a job whose storage could not be read or written (STORAGE_FAILED): a full disk or a
 * lost mount outlasts seconds, so these retries wait 5 s, doubling up to 2 minutes, over 8 attempts
 * (6 min 35 s of waiting in all). Other faults keep the policy's attempts and delays.
 */
export const STORAGE_RETRY = { firstDelayMs: 5_000, maxDelayMs: 120_000, attempts: 8 } as const;

/** The name of the backoff strategy of render jobs: renderBackoff, which every render worker registers. */
export const RENDER_BACKOFF = 'render';

/** The backoff options of a render job. */
export interface RenderBackoffOptions extends BackoffOptions {
  readonly type: typeof RENDER_BACKOFF;
  /** The first retry after a fault other than storage waits this long; each next one twice as long. */
  readonly delay: number;
  /** Attempts in all after faults other than storage (the job's own `attempts` is that of storage faults). */
  readonly attempts: number;
}

function isStorageFault(failedReason: string | undefined): boolean {
  return failedReason?.startsWith('STORAGE_FAILED:') === true;
}

/**
 * The backoff strategy of render jobs (BullMQ calls it with the attempts made so far, the current
 * one included): storage faults by STORAGE_RETRY, other faults exponentially from the policy's
 * delay until the policy's attempts are used up (-1: no retry).
 */
export const renderBackoff: BackoffStrategy = (attemptsMade, _type, error, job) => {
  if (isStorageFault(error?.message)) {
    return Math.min(STORAGE_RETRY.firstDelayMs * 2 ** (attemptsMade - 1), STORAGE_RETRY.maxDelayMs);
  }
  const backoff = job?.opts.backoff as Partial<RenderBackoffOptions> | undefined;
  if (attemptsMade >= (backoff?.attempts ?? 1)) return -1;
  return Math.round(2 ** (attemptsMade - 1) * (backoff?.delay ?? 0));
};

/** The attempts a job has, as an editor should see them: those of storage faults while storage fails. */
export function attemptsAllowed(opts: JobsOptions, failedReason: string | undefined): number {
  const backoff = opts.backoff as Partial<RenderBackoffOptions> | undefined;
  if (isStorageFault(failedReason) || backoff?.type !== RENDER_BACKOFF) return opts.attempts ?? 1;
  return backoff.attempts ?? opts.attempts ?? 1;
}

/**
 * BullMQ options for a render job. Finished jobs are removed from Redis after a while: the
 * manifest in storage stays the record of a completed job, so its status and files remain available.
 */
export function toJobOptions(jobId: string, policy: RenderJobPolicy): JobsOptions {
  const backoff: RenderBackoffOptions = { type: RENDER_BACKOFF, delay: policy.retryDelayMs, attempts: policy.attempts };
  return {
    jobId,
    attempts: Math.max(policy.attempts, STORAGE_RETRY.attempts),
    backoff,
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
  };
}
