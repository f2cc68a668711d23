import type { Readable } from 'node:stream';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { fromFailedReason } from '../error-wire.js';
import { AppError, ERROR_CATALOGUE, type ErrorCode, type ErrorDetail, isAppError } from '../errors.js';
import { type Dataset, parseDataset, parseDatasetText } from '../model/dataset.js';
import { datasetWithTexts } from './submit-texts.js';
import { resolveEdition } from '../render/render-edition.js';
import { type DatasetReport, toDatasetReport } from './dataset-report.js';
import { sha256Hex } from './hash.js';
import { type ChecksRecord, checkSubmission, noChanges, withChecks } from './submission-checks.js';
import {
  isRenderJobId,
  RENDER_JOB_NAME,
  type RenderJobData,
  type RenderJobPolicy,
  type RenderJobResult,
  type JobStep,
  toJobId,
  toJobOptions,
} from './render-job.js';
import { isVisible, toEmbargoDenial, toReleaseMoment, type Viewer } from './release-moment.js';
import type { RendererIdentity } from './renderer-identity.js';
import { type ArtifactRecord, type EditionManifest, isArtifactName, isPublicationId, type Storage } from './storage.js';

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

/** A render request as the API receives it, already checked for shape. */
export interface SubmitRequest {
  readonly dataset: unknown;
  readonly previous?: unknown;
  readonly erratum?: { readonly date: string; readonly text: string };
  /** The release moment, ISO date-time with offset; default from the dataset (see toReleaseMoment). */
  readonly releaseAt?: string;
  /** Accepts the warnings of the checks before publishing (recorded with the edition). */
  readonly acceptWarnings?: boolean;
  /** The user name of the sender, recorded with an acceptance of warnings. */
  readonly actor?: string;
  /** The edition's texts file (Markdown with period sections); stored in the dataset's publication.texts. */
  readonly texts?: string;
  /** The request's X-Request-Id, carried by the job into the worker's log. */
  readonly requestId?: string;
}

/** The answer to a submission: the job, and whether this submission queued it. */
export interface SubmitResult {
  readonly created: boolean;
  readonly status: JobStatus;
  /** The sha256 under which the dataset was stored (for the audit log). */
  readonly datasetHash: string;
}

/** A publication the service has rendered, with its editions (oldest first). */
export interface PublicationEditions {
  readonly publicationId: string;
  readonly editions: readonly EditionManifest[];
}

/** What the service finds for readiness. */
export interface Readiness {
  readonly redis: boolean;
  readonly workers: number;
}

/** The use cases of the API: submit a render, follow it, fetch what it made. */
export interface RenderService {
  submit(request: SubmitRequest): Promise<SubmitResult>;
  /** Throws NOT_FOUND for an unknown job. */
  getStatus(jobId: string, viewer: Viewer): Promise<JobStatus>;
  /** The record of one artifact of a completed job, with its manifest; throws NOT_FOUND. */
  findArtifact(
    jobId: string,
    name: string,
    viewer: Viewer,
  ): Promise<{ readonly record: ArtifactRecord; readonly manifest: EditionManifest }>;
  /** The bytes of one artifact; throws NOT_FOUND. */
  openArtifact(jobId: string, name: string, viewer: Viewer): Promise<Readable>;
  /** The editions of a publication, oldest first; throws NOT_FOUND when none is known. */
  listEditions(publicationId: string, viewer: Viewer): Promise<EditionManifest[]>;
  /** Every publication with at least one edition, the most recently rendered first. */
  listPublications(viewer: Viewer): Promise<PublicationEditions[]>;
  /** Checks the text of a dataset file as a render would, naming the table, row and cell of each problem. */
  validateDataset(fileText: string): DatasetReport;
  checkReadiness(): Promise<Readiness>;
  /** Queues a render job (drafts and approved editions, src/record); the same data gives the same job. */
  queueRender(data: RenderJobData): Promise<{ readonly created: boolean; readonly status: JobStatus }>;
  /** The stored manifest of a job, or undefined (no embargo check: for the record's use cases). */
  getManifest(jobId: string): Promise<EditionManifest | undefined>;
  close(): Promise<void>;
}

/**
 * Decides whether a viewer may see a finished job's files: throws the answer (404 before release,
 * 410 after withdrawal). Given by the record (src/record), which knows drafts and editions.
 */
export type JobGate = (manifest: EditionManifest, viewer: Viewer) => Promise<void>;

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

function fromManifest(manifest: EditionManifest, attemptsMade: number | null = null, maxAttempts: number | null = null): JobStatus {
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

/** Re-homes dataset validation details under the request field that held the dataset. */
function underField(field: string, error: unknown): unknown {
  if (!isAppError(error, 'DATASET_INVALID') && !isAppError(error, 'DATASET_UNREADABLE')) return error;
  const details: ErrorDetail[] = error.details.map((d) => ({
    path: d.path === '(root)' ? field : `${field}.${d.path}`,
    message: d.message,
  }));
  return new AppError(error.code, error.message, { details, cause: error });
}

export function parseField(raw: unknown, field: 'dataset' | 'previous'): Dataset {
  try {
    return parseDataset(raw, field);
  } catch (error) {
    throw underField(field, error);
  }
}

/** Creates the render service: an API-side BullMQ queue that fails fast when Redis is down, plus storage. */
export function createRenderService(options: RenderServiceOptions): RenderService {
  const { storage, identity, policy, logger } = options;
  const timeoutMs = options.redisTimeoutMs ?? 2_000;
  const clock = options.clock ?? (() => new Date());
  const connection = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  let connected = false;
  connection.on('ready', () => {
    if (!connected) logger.info('connected to Redis');
    connected = true;
  });
  connection.on('close', () => {
    if (connected) logger.warn('lost the connection to Redis; retrying');
    connected = false;
  });
  connection.on('error', () => {}); // reported through 'close' and as 503 answers
  const queue = new Queue<RenderJobData, RenderJobResult>(options.queueName, { connection });
  queue.on('error', () => {});

  /** Runs a queue operation, or answers REDIS_UNAVAILABLE at once when Redis is not connected. */
  async function withRedis<T>(operation: () => Promise<T>): Promise<T> {
    // BullMQ waits for the connection before a command; with Redis down that would hang the request.
    if (connection.status !== 'ready') {
      throw new AppError('REDIS_UNAVAILABLE', 'the job queue (Redis) cannot be reached; try again shortly');
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        operation(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), timeoutMs * 2);
        }),
      ]);
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError('REDIS_UNAVAILABLE', 'the job queue (Redis) did not answer; try again shortly', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  const releaseMoments = new Map<string, string | null>();

  /**
   * The manifest with its release moment. A manifest written before release moments were recorded
   * gets the default one from its stored dataset; when that cannot be read it stays null (hidden).
   */
  async function withReleaseAt(manifest: EditionManifest): Promise<EditionManifest> {
    if (manifest.releaseAt) return manifest;
    let releaseAt = releaseMoments.get(manifest.jobId);
    if (releaseAt === undefined) {
      try {
        const bytes = await storage.getDataset(manifest.datasetHash);
        const dataset = bytes ? parseDatasetText(bytes.toString('utf8'), 'the stored dataset') : undefined;
        releaseAt = dataset ? toReleaseMoment({ publication: dataset.publication, erratum: manifest.erratum }) : null;
      } catch {
        releaseAt = null;
      }
      releaseMoments.set(manifest.jobId, releaseAt);
    }
    return { ...manifest, releaseAt };
  }

  /** The editions of a publication that `viewer` may see now; NOT_FOUND (embargo) when there are some but none visible. */
  async function visibleEditions(publicationId: string, viewer: Viewer): Promise<EditionManifest[]> {
    const all = await Promise.all((await storage.listEditions(publicationId)).map(withReleaseAt));
    const now = clock();
    return all.filter((e) => isVisible(e.releaseAt, viewer, now));
  }

  async function statusOfJob(fetched: Job<RenderJobData, RenderJobResult>, jobId: string): Promise<JobStatus> {
    let job = fetched;
    const state = toJobState(await job.getState());
    // The job was read before it failed and its state after: read it again for the reason, so that a
    // failed job never shows without one.
    if (state === 'failed' && !job.failedReason) job = (await queue.getJob(jobId)) ?? job;
    const maxAttempts = job.opts.attempts ?? 1;
    if (state === 'completed') {
      const manifest = await storage.getManifest(jobId);
      if (manifest) return fromManifest(await withReleaseAt(manifest), job.attemptsMade, maxAttempts);
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

  /** The previous edition of a corrected dataset, from the publication's recorded editions. */
  async function findPrevious(
    publicationId: string,
    datasetHash: string,
  ): Promise<{ datasetHash: string; edition: number | null; dataset: Dataset } | undefined> {
    const editions = await storage.listEditions(publicationId);
    // This very dataset was published as a correction before: it corrects what it corrected then,
    // so the same request gives the same job again.
    const same = editions.filter((e) => e.datasetHash === datasetHash && e.previous).at(-1);
    const latest = editions.filter((e) => e.datasetHash !== datasetHash).at(-1);
    const ref = same?.previous ?? (latest ? { datasetHash: latest.datasetHash, edition: latest.edition } : undefined);
    if (!ref) return undefined;
    const bytes = await storage.getDataset(ref.datasetHash);
    if (!bytes) throw new AppError('STORAGE_FAILED', `the stored dataset of the previous edition of "${publicationId}" is missing`);
    try {
      return { ...ref, dataset: parseDatasetText(bytes.toString('utf8'), 'the previous edition') };
    } catch (error) {
      throw new AppError('STORAGE_FAILED', `the stored dataset of the previous edition of "${publicationId}" no longer validates`, {
        cause: error,
      });
    }
  }

  async function submit(request: SubmitRequest): Promise<SubmitResult> {
    const submitted = datasetWithTexts(request.dataset, request.texts);
    const dataset = parseField(submitted, 'dataset');
    const datasetBytes = Buffer.from(JSON.stringify(submitted), 'utf8');
    const datasetHash = sha256Hex(datasetBytes);
    const publicationId = dataset.publication.id;

    let previous: { datasetHash: string; edition: number | null; dataset: Dataset; bytes?: Buffer } | undefined;
    if (request.previous !== undefined) {
      const bytes = Buffer.from(JSON.stringify(request.previous), 'utf8');
      previous = { datasetHash: sha256Hex(bytes), edition: null, dataset: parseField(request.previous, 'previous'), bytes };
    } else if (request.erratum) {
      previous = await findPrevious(publicationId, datasetHash);
      if (!previous) {
        // The very dataset of an edition, sent again as its correction: nothing changed.
        if ((await storage.listEditions(publicationId)).some((e) => e.datasetHash === datasetHash)) throw noChanges();
        throw new AppError(
          'PREVIOUS_EDITION_UNKNOWN',
          `the service knows no edition of publication "${publicationId}" to correct: render the first edition first, or send it as "previous"`,
          { details: [{ path: 'erratum', message: `publication "${publicationId}" has no earlier edition in this service` }] },
        );
      }
    }
    let edition: number;
    try {
      edition = resolveEdition({
        dataset,
        previous: previous?.dataset,
        previousEdition: previous?.edition ?? undefined,
        erratum: request.erratum,
      }).edition;
    } catch (error) {
      if (isAppError(error, 'ERRATUM_INVALID')) {
        throw new AppError(error.code, error.message, { details: [{ path: 'erratum', message: error.message }] });
      }
      if (isAppError(error, 'PREVIOUS_EDITION_MISMATCH')) {
        throw new AppError(error.code, error.message, { details: [{ path: 'previous.publication.id', message: error.message }] });
      }
      throw error;
    }

    const checks = checkSubmission({
      dataset,
      ...(previous ? { compare: previous.dataset } : {}),
      acceptWarnings: request.acceptWarnings === true,
      actor: request.actor ?? 'onbekend',
      now: clock(),
      ...(options.templates ? { templates: options.templates } : {}),
    });
    await storage.putDataset(datasetBytes);
    if (previous?.bytes) await storage.putDataset(previous.bytes);
    const data: RenderJobData = {
      publicationId,
      edition,
      datasetHash,
      previous: previous ? { datasetHash: previous.datasetHash, edition: previous.edition } : null,
      erratum: request.erratum ? { date: request.erratum.date, text: request.erratum.text } : null,
      templatesHash: identity.templatesHash,
      rendererVersion: identity.rendererVersion,
      releaseAt: toReleaseMoment({ publication: dataset.publication, erratum: request.erratum, requested: request.releaseAt }),
      checks,
      ...(request.requestId ? { requestId: request.requestId } : {}),
    };
    const jobId = toJobId(data);

    const manifest = await storage.getManifest(jobId);
    if (manifest) return { created: false, status: fromManifest(await withReleaseAt(manifest)), datasetHash };

    return { ...(await enqueue(data, jobId)), datasetHash };
  }

  /** Queues `data` as job `jobId` unless it is queued or done; retries it when it failed. */
  function enqueue(data: RenderJobData, jobId: string): Promise<{ created: boolean; status: JobStatus }> {
    const { publicationId, edition } = data;
    return withRedis(async () => {
      const existing = await queue.getJob(jobId);
      if (existing) {
        const state = await existing.getState();
        if (state === 'failed') {
          // Asking again for a failed render retries it (e.g. after a transient fault outlasted its retries).
          await existing.retry('failed');
          logger.info({ jobId }, 'failed job retried on a new request');
          return { created: true, status: await statusOfJob(existing, jobId) };
        }
        if (state !== 'completed') return { created: false, status: await statusOfJob(existing, jobId) };
        // Completed in Redis but its files are gone from storage: render again.
        await existing.remove();
      }
      const job = await queue.add(RENDER_JOB_NAME, data, toJobOptions(jobId, policy));
      logger.info({ jobId, publicationId, edition, kind: data.kind ?? null, requestId: data.requestId }, 'render job queued');
      return { created: true, status: await statusOfJob(job, jobId) };
    });
  }

  /** Throws the answer for a viewer who may not see this finished job (embargo, draft, withdrawal). */
  async function checkVisible(manifest: EditionManifest, viewer: Viewer): Promise<void> {
    if (options.gate) return options.gate(manifest, viewer);
    // A draft is never shown to a reader, whatever its release moment.
    if (manifest.kind === 'draft' && !viewer.seesEmbargoed) throw toEmbargoDenial(`there is no job "${manifest.jobId}"`);
    if (!isVisible(manifest.releaseAt, viewer, clock())) throw toEmbargoDenial(`there is no job "${manifest.jobId}"`);
  }

  function checkJobId(jobId: string): void {
    if (!isRenderJobId(jobId)) throw new AppError('NOT_FOUND', `there is no job "${jobId}"`);
  }

  async function findArtifact(jobId: string, name: string, viewer: Viewer) {
    checkJobId(jobId);
    if (!isArtifactName(name)) throw new AppError('NOT_FOUND', `there is no artifact "${name}"`);
    const stored = await storage.getManifest(jobId);
    if (!stored) {
      const status = await getStatus(jobId, viewer);
      throw new AppError('NOT_FOUND', `job ${jobId} has no artifacts: it is ${status.state}`);
    }
    const manifest = await withReleaseAt(stored);
    await checkVisible(manifest, viewer);
    const record = manifest.artifacts.find((a) => a.name === name);
    if (!record) {
      throw new AppError(
        'NOT_FOUND',
        `job ${jobId} has no artifact "${name}"; it has ${manifest.artifacts.map((a) => `"${a.name}"`).join(', ')}`,
      );
    }
    return { record, manifest };
  }

  async function getStatus(jobId: string, viewer: Viewer): Promise<JobStatus> {
    checkJobId(jobId);
    const stored = await storage.getManifest(jobId);
    if (stored) {
      const manifest = await withReleaseAt(stored);
      await checkVisible(manifest, viewer);
      return fromManifest(manifest);
    }
    // A job that has not completed is no edition yet: only editors follow it.
    if (!viewer.seesEmbargoed) throw new AppError('NOT_FOUND', `there is no job "${jobId}"`);
    const job = await withRedis(() => queue.getJob(jobId));
    if (!job) throw new AppError('NOT_FOUND', `there is no job "${jobId}"`);
    return withRedis(() => statusOfJob(job, jobId));
  }

  return {
    submit,
    getStatus,
    findArtifact,
    async openArtifact(jobId, name, viewer) {
      await findArtifact(jobId, name, viewer);
      const stream = await storage.openArtifact(jobId, name);
      if (!stream) throw new AppError('STORAGE_FAILED', `the stored file of artifact "${name}" is missing`);
      return stream;
    },
    async listEditions(publicationId, viewer) {
      if (!isPublicationId(publicationId)) throw new AppError('NOT_FOUND', `there is no publication "${publicationId}"`);
      const editions = await visibleEditions(publicationId, viewer);
      if (editions.length === 0) {
        const message = `no edition of publication "${publicationId}" is known`;
        throw (await storage.listEditions(publicationId)).length > 0 ? toEmbargoDenial(message) : new AppError('NOT_FOUND', message);
      }
      return editions;
    },
    async listPublications(viewer) {
      const found: PublicationEditions[] = [];
      for (const publicationId of await storage.listPublications()) {
        const editions = await visibleEditions(publicationId, viewer);
        if (editions.length > 0) found.push({ publicationId, editions });
      }
      // Editions come oldest first: the last one is the latest.
      const latest = (p: PublicationEditions): string => p.editions.at(-1)?.createdAt ?? '';
      return found.sort((a, b) => latest(b).localeCompare(latest(a)) || a.publicationId.localeCompare(b.publicationId));
    },
    queueRender(data) {
      return enqueue(data, toJobId(data));
    },
    getManifest(jobId) {
      return isRenderJobId(jobId) ? storage.getManifest(jobId) : Promise.resolve(undefined);
    },
    validateDataset(fileText) {
      return withChecks(toDatasetReport(fileText), fileText, options.templates);
    },
    async checkReadiness() {
      if (connection.status !== 'ready') return { redis: false, workers: 0 };
      try {
        return await withRedis(async () => {
          await connection.ping();
          return { redis: true, workers: (await queue.getWorkers()).length };
        });
      } catch {
        return { redis: false, workers: 0 };
      }
    },
    async close() {
      await queue.close().catch(() => {});
      connection.disconnect();
    },
  };
}
