import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type JobStatus, type JobStatusDeps, type RenderQueue, statusOfJob } from './job-status.js';
import { RENDER_JOB_NAME, type RenderJobData, type RenderJobPolicy, type RenderJobResult, toJobId, toJobOptions } from './render-job.js';

/** What queueing a render needs. */
export interface QueueRenderDeps extends Pick<JobStatusDeps, 'queue' | 'storage' | 'withReleaseAt' | 'withRedis'> {
  /** The connection the queue uses, for the mark of who created a job. */
  readonly redis: Redis;
  readonly policy: RenderJobPolicy;
  readonly logger: Logger;
}

/** The answer to queueing a render: its status, and whether this request queued it. */
export interface QueuedRender {
  readonly created: boolean;
  readonly status: JobStatus;
}

/** How long the mark of who added a job stays in Redis: far longer than identical requests take to meet. */
const CREATION_MARK_MS = 60 * 60_000;

/**
 * Whether this request created job `jobId`, just added. Identical requests at the same moment all
 * add it; BullMQ keeps the first and answers the others with the same id, so it cannot say who
 * created it. Exactly one of them sets the mark of the stored job (SET NX on its id and the moment
 * BullMQ stored it, so a job removed and added again is created again).
 */
async function claimCreation(queue: RenderQueue, redis: Redis, jobId: string): Promise<{ created: boolean; job: Job | undefined }> {
  const job = await queue.getJob(jobId);
  // Gone already (done and cleaned up): this request added it, and nobody else can tell.
  if (!job) return { created: true, job: undefined };
  const mark = await redis.set(queue.toKey(`${jobId}:created:${job.timestamp}`), '1', 'PX', CREATION_MARK_MS, 'NX');
  return { created: mark === 'OK', job };
}

/** Retries a failed job; when identical requests retry it at the same moment, only the first one succeeds. */
async function retryFailed(job: Job<RenderJobData, RenderJobResult>): Promise<boolean> {
  try {
    await job.retry('failed');
    return true;
  } catch (error) {
    // BullMQ refuses to retry a job that is no longer failed: another request retried it.
    if ((await job.getState()) !== 'failed') return false;
    throw error;
  }
}

/** Queues `data` (job id toJobId(data)) unless it is queued or done; retries it when it failed. */
export function queueRender(deps: QueueRenderDeps, data: RenderJobData, jobId = toJobId(data)): Promise<QueuedRender> {
  const { queue, logger } = deps;
  const { publicationId, edition } = data;
  return deps.withRedis(async () => {
    const existing = await queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed') {
        // Asking again for a failed render retries it (e.g. after a transient fault outlasted its retries).
        const retried = await retryFailed(existing);
        if (retried) logger.info({ jobId }, 'failed job retried on a new request');
        return { created: retried, status: await statusOfJob(deps, existing, jobId) };
      }
      if (state !== 'completed') return { created: false, status: await statusOfJob(deps, existing, jobId) };
      // Completed in Redis but its files are gone from storage: render again.
      await existing.remove();
    }
    const added = await queue.add(RENDER_JOB_NAME, data, toJobOptions(jobId, deps.policy));
    const { created, job } = await claimCreation(queue, deps.redis, jobId);
    if (created) logger.info({ jobId, publicationId, edition, kind: data.kind ?? null, requestId: data.requestId }, 'render job queued');
    return { created, status: await statusOfJob(deps, job ?? added, jobId) };
  });
}
