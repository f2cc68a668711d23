import { AppError, type ErrorDetail, isAppError } from '../errors.js';
import { type Dataset, parseDataset } from '../model/dataset.js';
import { resolveEdition } from '../render/render-edition.js';
import { sha256Hex } from './hash.js';
import type { Storage } from './storage.js';
import { type ChecksRecord, checkSubmission } from './submission-checks.js';
import { datasetWithTexts } from './submit-texts.js';

/** A dataset sent for an edition or a draft, with what the checks need to know about its sender. */
export interface SubmissionRequest {
  readonly dataset: unknown;
  /** The edition's texts file (Markdown with period sections); stored in the dataset's publication.texts. */
  readonly texts?: string;
  readonly erratum?: { readonly date: string; readonly text: string };
  /** Accepts the warnings of the checks before publishing. */
  readonly acceptWarnings?: boolean;
  /** The user name of the sender, recorded with an acceptance of warnings. */
  readonly actor: string;
}

/** The edition a submission is compared with and, with an erratum, corrects. */
export interface PreviousEdition {
  readonly datasetHash: string;
  readonly edition: number | null;
  readonly dataset: Dataset;
  /** Its dataset file when it came with the request (stored with the submission); absent when already stored. */
  readonly bytes?: Buffer;
}

/** The templates the checks read (`files`; undefined: the project's templates/), with what the caller keeps of its choice. */
export interface SubmissionTemplates {
  readonly files: Readonly<Record<string, string>> | undefined;
}

/** Where the caller's use case finds what a submission is compared with and checked by. */
export interface SubmissionContext<T extends SubmissionTemplates> {
  /** The previous edition, or undefined (a first edition); may refuse the request (e.g. no edition to correct). */
  previous(submitted: { readonly publicationId: string; readonly datasetHash: string }): Promise<PreviousEdition | undefined>;
  /** The templates the checks read (and the render will use). */
  templates(publicationId: string, previous: PreviousEdition | undefined): Promise<T>;
  /**
   * True when the edition number comes from the request (dataset, or previous edition + 1): then
   * resolveEdition runs for a first edition too (it refuses a skeleton with unconfirmed fields).
   * A draft gets its number on approval: resolveEdition runs only to check a correction.
   */
  readonly numbered: boolean;
}

/** A submission parsed, checked and stored: what a render job of it needs. */
export interface PreparedSubmission<T extends SubmissionTemplates> {
  readonly dataset: Dataset;
  readonly datasetHash: string;
  readonly publicationId: string;
  readonly previous: PreviousEdition | undefined;
  /** The edition number from the request; undefined when not `numbered` and not a correction. */
  readonly edition: number | undefined;
  readonly checks: ChecksRecord;
  readonly templates: T;
}

/** What preparing a submission needs. */
export interface PrepareSubmissionDeps {
  readonly storage: Storage;
  readonly clock: () => Date;
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

/** The edition number of the request; refuses an erratum that does not fit the previous edition. */
function toEdition(dataset: Dataset, previous: PreviousEdition | undefined, erratum: SubmissionRequest['erratum']): number {
  try {
    return resolveEdition({ dataset, previous: previous?.dataset, previousEdition: previous?.edition ?? undefined, erratum }).edition;
  } catch (error) {
    if (isAppError(error, 'ERRATUM_INVALID')) {
      throw new AppError(error.code, error.message, { details: [{ path: 'erratum', message: error.message }] });
    }
    if (isAppError(error, 'PREVIOUS_EDITION_MISMATCH')) {
      throw new AppError(error.code, error.message, { details: [{ path: 'previous.publication.id', message: error.message }] });
    }
    throw error;
  }
}

/**
 * Prepares a submission for a render: applies the texts file to the dataset, parses it, hashes it
 * (the texts become part of the stored dataset, so its hash and the job id cover them), finds the
 * previous edition through `context`, checks a correction against it, runs the checks before
 * publishing (errors refuse, warnings need acceptance) and stores the datasets.
 */
export async function prepareSubmission<T extends SubmissionTemplates>(
  deps: PrepareSubmissionDeps,
  request: SubmissionRequest,
  context: SubmissionContext<T>,
): Promise<PreparedSubmission<T>> {
  const submitted = datasetWithTexts(request.dataset, request.texts);
  const dataset = parseField(submitted, 'dataset');
  const datasetBytes = Buffer.from(JSON.stringify(submitted), 'utf8');
  const datasetHash = sha256Hex(datasetBytes);
  const publicationId = dataset.publication.id;

  const previous = await context.previous({ publicationId, datasetHash });
  const edition = context.numbered || previous || request.erratum ? toEdition(dataset, previous, request.erratum) : undefined;
  const templates = await context.templates(publicationId, previous);
  // A correction is checked against the edition it corrects ("geen wijzigingen").
  const checks = checkSubmission({
    dataset,
    ...(previous ? { compare: previous.dataset } : {}),
    acceptWarnings: request.acceptWarnings === true,
    actor: request.actor,
    now: deps.clock(),
    ...(templates.files ? { templates: templates.files } : {}),
  });
  await deps.storage.putDataset(datasetBytes);
  if (previous?.bytes) await deps.storage.putDataset(previous.bytes);
  return { dataset, datasetHash, publicationId, previous, edition, checks, templates };
}
