import { hostname } from 'node:os';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { toFailedReason } from '../error-wire.js';
import { isAppError } from '../errors.js';
import {
  isRenderJobId,
  type JobStep,
  type RenderJobData,
  RenderJobDataSchema,
  type RenderJobProgress,
  type RenderJobResult,
  renderBackoff,
} from './render-job.js';
import { childRestartsKey } from './queue-counts.js';
import { createRenderSandbox } from './render-sandbox.js';
import { runRenderJob } from './run-render-job.js';
import type { Storage } from './storage.js';

/** Options of a render worker. */
export interface RenderWorkerOptions {
  readonly redisUrl: string;
  readonly queueName: string;
  readonly storage: Storage;
  readonly logger: Logger;
  /** Jobs rendered at the same time by this worker (each in its own child process). */
  readonly concurrency: number;
  /** The hard time limit of one render. */
  readonly renderTimeoutMs: number;
  /** How long the job lock lasts without renewal; a worker that dies loses its jobs after this. */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died. */
  readonly stalledIntervalMs?: number;
  /** The worker's name in Redis (shown as a job's processedBy); defaults to host and pid. */
  readonly name?: string;
  /**
   * Start one render child per concurrent job at once and warm each up (a render of the example)
   * before it takes a job, so the first job is as quick as the later ones; replaced children too.
   * Off (the default): a child starts cold with the job that needs it.
   */
  readonly warm?: boolean;
  /** False: workbooks are rendered inline in the render children (RENDER_WORKBOOK_THREAD off, or one core). */
  readonly workbookThread?: boolean;
}

/** A running render worker. */
export interface RenderWorker {
  readonly worker: Worker<RenderJobData, RenderJobResult>;
  /** Stops taking jobs, lets the running ones finish and store their files, then stops the children. */
  close(): Promise<void>;
}

/**
 * Turns a failure into what BullMQ should do with it: an error that will fail again (dataset,
 * template, time limit) becomes UnrecoverableError, so the job fails at once; a transient one is
 * retried with exponential backoff (renderBackoff: storage faults over minutes). The message starts with the error code, which the API reads back.
 */
export function toJobError(error: unknown, logger: Logger, jobId: string | undefined): Error {
  if (isAppError(error)) {
    const message = toFailedReason(error);
    return error.retryable ? new Error(message) : new UnrecoverableError(message);
  }
  logger.error({ err: error, jobId }, 'render job failed unexpectedly');
  return new Error('RENDER_FAILED: rendering failed for a reason outside the dataset (see the worker log)');
}

/** Starts a BullMQ worker that renders editions in sandboxed child processes. */
export function startRenderWorker(options: RenderWorkerOptions): RenderWorker {
  const { logger, storage } = options;
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => {}); // reported through the worker's 'error' event
  const sandbox = createRenderSandbox({
    timeoutMs: options.renderTimeoutMs,
    onInternalError: (message) => logger.error({ message }, 'render child reported an unexpected error'),
    warmChildren: options.warm ? options.concurrency : 0,
    warmUp: options.warm ?? false,
    workbookThread: options.workbookThread,
    // Counted in Redis for every worker of the queue: the API serves the count in /metrics.
    onChildLost: () => {
      logger.warn('a render child was lost (killed, crashed or stopped at the time limit); a new one takes its place');
      connection.incr(childRestartsKey(options.queueName)).catch(() => {});
    },
  });

  const processor = async (job: Job<RenderJobData, RenderJobResult>): Promise<RenderJobResult> => {
    const data = RenderJobDataSchema.safeParse(job.data);
    if (!job.id || !isRenderJobId(job.id) || !data.success) {
      throw new UnrecoverableError('JOB_INVALID: the job does not carry render job data this worker can read');
    }
    // The request that queued the job, in every line of it (X-Request-Id, see src/api/request-id.ts).
    const log = logger.child({
      jobId: job.id,
      attempt: job.attemptsMade + 1,
      ...(data.data.requestId ? { requestId: data.data.requestId } : {}),
    });
    log.info({ publicationId: data.data.publicationId, edition: data.data.edition }, 'render started');
    const started = Date.now();
    // The seconds of each step, from its start to the start of the next (or the end).
    const stepSeconds: Partial<Record<JobStep, number>> = {};
    let current: { step: JobStep; at: number } | undefined;
    const endStep = (): void => {
      if (current) stepSeconds[current.step] = (stepSeconds[current.step] ?? 0) + (performance.now() - current.at) / 1000;
    };
    try {
      const rendered = await runRenderJob(job.id, data.data, {
        storage,
        sandbox,
        onStep: (step) => {
          endStep();
          current = { step, at: performance.now() };
          const progress: RenderJobProgress = { step };
          job.updateProgress(progress).catch((error: unknown) => log.warn({ err: error }, 'could not report progress'));
        },
      });
      endStep();
      const result: RenderJobResult = { ...rendered, stepSeconds };
      log.info({ ms: Date.now() - started, artifacts: result.artifacts.map((a) => a.name), stepSeconds }, 'render completed');
      return result;
    } catch (error) {
      const jobError = toJobError(error, log, job.id);
      log.warn({ ms: Date.now() - started, error: jobError.message, final: jobError instanceof UnrecoverableError }, 'render failed');
      throw jobError;
    }
  };

  const worker = new Worker<RenderJobData, RenderJobResult>(options.queueName, processor, {
    connection,
    name: options.name ?? `${hostname()}-${process.pid}`,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
    // Storage faults are retried over minutes, other transient faults by the job's policy (render-job.ts).
    settings: { backoffStrategy: renderBackoff },
  });
  let lastError = '';
  worker.on('error', (error) => {
    // Redis outages repeat the same error many times a second: log each kind once.
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn({ err: error }, 'worker error');
  });
  worker.on('ready', () => {
    lastError = '';
  });
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'job stalled (its worker stopped); it will run again'));

  let closing: Promise<void> | undefined;
  return {
    worker,
    close() {
      closing ??= (async () => {
        await worker.close();
        await sandbox.close();
        await connection.quit().catch(() => connection.disconnect());
      })();
      return closing;
    },
  };
}
