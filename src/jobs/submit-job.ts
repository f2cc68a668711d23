import { AppError, type ErrorDetail, isAppError } from '../errors.js';
import { type Dataset, parseDataset, parseDatasetText } from '../model/dataset.js';
import { resolveEdition } from '../render/render-edition.js';
import { sha256Hex } from './hash.js';
import { fromManifest, type JobStatus } from './job-status.js';
import { type QueueRenderDeps, queueRender } from './queue-render.js';
import { type RenderJobData, toJobId } from './render-job.js';
import { toReleaseMoment } from './release-moment.js';
import type { RendererIdentity } from './renderer-identity.js';
import type { Storage } from './storage.js';
import { checkSubmission, noChanges } from './submission-checks.js';
import { datasetWithTexts } from './submit-texts.js';

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

/**
 * Submits a render: parses and checks the dataset (and the previous edition of a correction),
 * stores the datasets and queues the job, unless its files are already stored.
 */
export async function submitJob(deps: SubmitJobDeps, request: SubmitRequest): Promise<SubmitResult> {
  const { storage } = deps;
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
    previous = await findPrevious(storage, publicationId, datasetHash);
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
    now: deps.clock(),
    ...(deps.templates ? { templates: deps.templates } : {}),
  });
  await storage.putDataset(datasetBytes);
  if (previous?.bytes) await storage.putDataset(previous.bytes);
  const data: RenderJobData = {
    publicationId,
    edition,
    datasetHash,
    previous: previous ? { datasetHash: previous.datasetHash, edition: previous.edition } : null,
    erratum: request.erratum ? { date: request.erratum.date, text: request.erratum.text } : null,
    templatesHash: deps.identity.templatesHash,
    rendererVersion: deps.identity.rendererVersion,
    releaseAt: toReleaseMoment({ publication: dataset.publication, erratum: request.erratum, requested: request.releaseAt }),
    checks,
  };

  const jobId = toJobId(data);
  const manifest = await storage.getManifest(jobId);
  if (manifest) return { created: false, status: fromManifest(await deps.withReleaseAt(manifest)), datasetHash };

  return { ...(await queueRender(deps, data, jobId)), datasetHash };
}
