import type { Logger } from 'pino';
import { type JobStatus, type JobStatusDeps, statusOfJob } from './job-status.js';
import { RENDER_JOB_NAME, type RenderJobData, type RenderJobPolicy, toJobId, toJobOptions } from './render-job.js';

/** What queueing a render needs. */
export interface QueueRenderDeps extends Pick<JobStatusDeps, 'queue' | 'storage' | 'withReleaseAt' | 'withRedis'> {
  readonly policy: RenderJobPolicy;
  readonly logger: Logger;
}

/** The answer to queueing a render: its status, and whether this request queued it. */
export interface QueuedRender {
  readonly created: boolean;
  readonly status: JobStatus;
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
        await existing.retry('failed');
        logger.info({ jobId }, 'failed job retried on a new request');
        return { created: true, status: await statusOfJob(deps, existing, jobId) };
      }
      if (state !== 'completed') return { created: false, status: await statusOfJob(deps, existing, jobId) };
      // Completed in Redis but its files are gone from storage: render again.
      await existing.remove();
    }
    const job = await queue.add(RENDER_JOB_NAME, data, toJobOptions(jobId, deps.policy));
    logger.info({ jobId, publicationId, edition, kind: data.kind ?? null }, 'render job queued');
    return { created: true, status: await statusOfJob(deps, job, jobId) };
  });
}
