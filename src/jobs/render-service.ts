import type { Readable } from 'node:stream';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { type FoundArtifact, findArtifact, openArtifact } from './artifacts.js';
import type { DatasetReport } from './dataset-report.js';
import { getJobStatus, type JobStatus } from './job-status.js';
import { createReleaseLookup, type JobGate, releaseMomentGate } from './job-visibility.js';
import { queueRender } from './queue-render.js';
import { checkReadiness, type Readiness } from './readiness.js';
import { isRenderJobId, type RenderJobData, type RenderJobPolicy, type RenderJobResult } from './render-job.js';
import type { Viewer } from './release-moment.js';
import type { RendererIdentity } from './renderer-identity.js';
import type { EditionManifest, Storage } from './storage.js';
import { validateDatasetText } from './submission-checks.js';
import { type SubmitRequest, type SubmitResult, submitJob } from './submit-job.js';
import { connectApiRedis, createWithRedis } from './with-redis.js';

export type { JobState, JobStatus } from './job-status.js';
export type { JobGate } from './job-visibility.js';
export type { Readiness } from './readiness.js';
export type { SubmitRequest, SubmitResult } from './submit-job.js';

/** The use cases of the API: submit a render, follow it, fetch what it made. */
export interface RenderService {
  submit(request: SubmitRequest): Promise<SubmitResult>;
  /** Throws NOT_FOUND for an unknown job. */
  getStatus(jobId: string, viewer: Viewer): Promise<JobStatus>;
  /** The record of one artifact of a completed job, with its manifest; throws NOT_FOUND. */
  findArtifact(jobId: string, name: string, viewer: Viewer): Promise<FoundArtifact>;
  /** The bytes of one artifact; throws NOT_FOUND. */
  openArtifact(jobId: string, name: string, viewer: Viewer): Promise<Readable>;
  /** Checks the text of a dataset file as a render would, naming the table, row and cell of each problem. */
  validateDataset(fileText: string): DatasetReport;
  /** The templates the checks use when not the project's (tests); a validation in another thread gets them too. */
  readonly templates?: Readonly<Record<string, string>>;
  checkReadiness(): Promise<Readiness>;
  /** Queues a render job (drafts and approved editions, src/record); the same data gives the same job. */
  queueRender(data: RenderJobData): Promise<{ readonly created: boolean; readonly status: JobStatus }>;
  /** The stored manifest of a job, or undefined (no embargo check: for the record's use cases). */
  getManifest(jobId: string): Promise<EditionManifest | undefined>;
  close(): Promise<void>;
}

/** Options of the render service. */
export interface RenderServiceOptions {
  readonly redisUrl: string;
  readonly queueName: string;
  readonly storage: Storage;
  readonly identity: RendererIdentity;
  readonly policy: RenderJobPolicy;
  readonly logger: Logger;
  /** How long one Redis command may take before the API gives up on it. */
  readonly redisTimeoutMs?: number;
  /** The current time, for the embargo (tests inject one). */
  readonly clock?: () => Date;
  /** The template files, for the checks before publishing; default the project's templates/. */
  readonly templates?: Readonly<Record<string, string>>;
  /** Who sees which finished job; default: by the manifest's release moment alone. */
  readonly gate?: JobGate;
}

/**
 * Creates the render service: wires the use cases (submit-job, job-status, artifacts,
 * readiness) to an API-side BullMQ queue that fails fast when Redis is down, and to storage.
 */
export function createRenderService(options: RenderServiceOptions): RenderService {
  const { storage, identity, policy, logger } = options;
  const timeoutMs = options.redisTimeoutMs ?? 2_000;
  const clock = options.clock ?? (() => new Date());
  const connection = connectApiRedis(options.redisUrl, timeoutMs, logger);
  const queue = new Queue<RenderJobData, RenderJobResult>(options.queueName, { connection });
  queue.on('error', () => {});
  const withRedis = createWithRedis(connection, timeoutMs);
  const withReleaseAt = createReleaseLookup(storage);
  const gate = options.gate ?? releaseMomentGate(clock);

  const jobs = { queue, redis: connection, storage, withRedis, withReleaseAt, gate, policy, logger };
  const submitDeps = { ...jobs, identity, clock, ...(options.templates ? { templates: options.templates } : {}) };

  return {
    submit: (request) => submitJob(submitDeps, request),
    getStatus: (jobId, viewer) => getJobStatus(jobs, jobId, viewer),
    findArtifact: (jobId, name, viewer) => findArtifact(jobs, jobId, name, viewer),
    openArtifact: (jobId, name, viewer) => openArtifact(jobs, jobId, name, viewer),
    queueRender: (data) => queueRender(jobs, data),
    getManifest: (jobId) => (isRenderJobId(jobId) ? storage.getManifest(jobId) : Promise.resolve(undefined)),
    validateDataset: (fileText) => validateDatasetText(fileText, options.templates),
    ...(options.templates ? { templates: options.templates } : {}),
    checkReadiness: () => checkReadiness({ connection, queue, withRedis }),
    async close() {
      await queue.close().catch(() => {});
      connection.disconnect();
    },
  };
}
