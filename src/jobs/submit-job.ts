import { AppError } from '../errors.js';
import { type Dataset, parseDatasetText } from '../model/dataset.js';
import { sha256Hex } from './hash.js';
import { fromManifest, type JobStatus } from './job-status.js';
import { type QueueRenderDeps, queueRender } from './queue-render.js';
import { type RenderJobData, toJobId } from './render-job.js';
import { toReleaseMoment } from './release-moment.js';
import type { RendererIdentity } from './renderer-identity.js';
import type { Storage } from './storage.js';
import { noChanges } from './submission-checks.js';
import { parseField, type PreviousEdition, prepareSubmission } from './prepare-submission.js';

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

/** What submitting a render needs. */
export interface SubmitJobDeps extends QueueRenderDeps {
  readonly identity: RendererIdentity;
  readonly clock: () => Date;
  /** The template files, for the checks before publishing; default the project's templates/. */
  readonly templates?: Readonly<Record<string, string>>;
}

/** The previous edition of a corrected dataset, from the publication's recorded editions. */
async function findPrevious(
  storage: Storage,
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

/** The edition a correction sent without its previous edition corrects; refuses when there is none. */
async function findCorrected(storage: Storage, publicationId: string, datasetHash: string): Promise<PreviousEdition> {
  const previous = await findPrevious(storage, publicationId, datasetHash);
  if (previous) return previous;
  // The very dataset of an edition, sent again as its correction: nothing changed.
  if ((await storage.listEditions(publicationId)).some((e) => e.datasetHash === datasetHash)) throw noChanges();
  throw new AppError(
    'PREVIOUS_EDITION_UNKNOWN',
    `the service knows no edition of publication "${publicationId}" to correct: render the first edition first, or send it as "previous"`,
    { details: [{ path: 'erratum', message: `publication "${publicationId}" has no earlier edition in this service` }] },
  );
}

/**
 * Submits a render: parses and checks the dataset (and the previous edition of a correction),
 * stores the datasets and queues the job, unless its files are already stored.
 */
export async function submitJob(deps: SubmitJobDeps, request: SubmitRequest): Promise<SubmitResult> {
  const { storage } = deps;
  const { dataset, datasetHash, publicationId, previous, edition, checks } = await prepareSubmission(
    deps,
    { ...request, actor: request.actor ?? 'onbekend' },
    {
      numbered: true,
      previous: async (submitted) => {
        if (request.previous !== undefined) {
          const bytes = Buffer.from(JSON.stringify(request.previous), 'utf8');
          return { datasetHash: sha256Hex(bytes), edition: null, dataset: parseField(request.previous, 'previous'), bytes };
        }
        return request.erratum ? findCorrected(storage, submitted.publicationId, submitted.datasetHash) : undefined;
      },
      templates: async () => ({ files: deps.templates }),
    },
  );
  const data: RenderJobData = {
    publicationId,
    edition: edition ?? dataset.publication.edition,
    datasetHash,
    previous: previous ? { datasetHash: previous.datasetHash, edition: previous.edition } : null,
    erratum: request.erratum ? { date: request.erratum.date, text: request.erratum.text } : null,
    templatesHash: deps.identity.templatesHash,
    rendererVersion: deps.identity.rendererVersion,
    releaseAt: toReleaseMoment({ publication: dataset.publication, erratum: request.erratum, requested: request.releaseAt }),
    checks,
    ...(request.requestId ? { requestId: request.requestId } : {}),
  };

  const jobId = toJobId(data);
  const manifest = await storage.getManifest(jobId);
  if (manifest) return { created: false, status: fromManifest(await deps.withReleaseAt(manifest)), datasetHash };

  return { ...(await queueRender(deps, data, jobId)), datasetHash };
}
