import { AppError } from '../errors.js';
import { parseDatasetText } from '../model/dataset.js';
import { toReleaseMoment } from '../jobs/release-moment.js';
import type { JobStatus } from '../jobs/job-status.js';
import { type RenderJobData, toJobId } from '../jobs/render-job.js';
import { type PreviousEdition, prepareSubmission } from '../jobs/prepare-submission.js';
import { keepTemplates, readKeptTemplates } from '../jobs/kept-templates.js';
import type { TemplateFiles } from '../render/types.js';
import type { Caller, RecordDeps } from './record-deps.js';
import { getDraft, getDraftJobData, getEditionJobData, insertDraft, listEditionRecords, newDraftId } from './record-store.js';
import type { Draft } from './types.js';

/** A request for a draft: the dataset, and for a correction the erratum (it corrects the latest edition). */
export interface DraftRequest {
  readonly dataset: unknown;
  readonly erratum?: { readonly date: string; readonly text: string };
  /** The release moment, ISO date-time with offset; default from the dataset. */
  readonly releaseAt?: string;
  /** The editor accepts the warnings of the checks before publishing (errors always refuse the draft). */
  readonly acceptWarnings?: boolean;
  /** The edition's texts file (period texts, docs/editors.md); stored in the dataset's publication.texts. */
  readonly texts?: string;
  /**
   * For a correction: "kept" (default) renders with the templates kept with the edition it corrects,
   * "current" with the service's current templates. A first edition always uses the current ones.
   */
  readonly templates?: 'kept' | 'current';
}

/**
 * Makes a draft: stores the dataset, finds the edition a correction corrects (always the latest
 * edition of the publication that is not withdrawn), records the draft and queues its render
 * (marked "CONCEPT"). A draft has no edition number; approval gives it one.
 */
export async function createDraft(deps: RecordDeps, request: DraftRequest, caller: Caller): Promise<Draft> {
  const {
    dataset,
    datasetHash,
    publicationId,
    previous: corrects,
    checks,
    templates,
  } = await prepareSubmission(
    deps,
    { ...request, actor: caller.actor.name },
    {
      numbered: false,
      previous: async ({ publicationId }) => (request.erratum ? correctedEdition(deps, publicationId) : undefined),
      // Errors of the checks before publishing (src/checks) refuse the draft, warnings need the maker's acceptance.
      templates: (publicationId, corrects) => chooseTemplates(deps, publicationId, corrects?.edition ?? undefined, request.templates),
    },
  );
  const editions = await listEditionRecords(deps.db, publicationId);
  const releaseAt = toReleaseMoment({ publication: dataset.publication, erratum: request.erratum, requested: request.releaseAt });
  const data: RenderJobData = {
    publicationId,
    // Shown while the draft renders; the draft itself carries no number (the files say "Concept").
    edition: (editions.at(-1)?.edition ?? 0) + 1,
    datasetHash,
    previous: corrects ? { datasetHash: corrects.datasetHash, edition: corrects.edition } : null,
    erratum: request.erratum ? { date: request.erratum.date, text: request.erratum.text } : null,
    templatesHash: templates.hash,
    rendererVersion: deps.identity.rendererVersion,
    releaseAt,
    kind: 'draft',
    checks,
    ...(caller.requestId ? { requestId: caller.requestId } : {}),
  };
  const jobId = toJobId(data);
  const id = newDraftId();
  const now = deps.clock().toISOString();
  await deps.db.transaction(async (tx) => {
    await insertDraft(tx, {
      id,
      publicationId,
      jobId,
      datasetHash,
      correctsEdition: corrects?.edition ?? null,
      previousDatasetHash: corrects?.datasetHash ?? null,
      erratum: data.erratum,
      requestedReleaseAt: request.releaseAt ?? null,
      releaseAt,
      createdBy: { id: caller.actor.id, name: caller.actor.name },
      createdAt: now,
      changedCells: null,
      templates: { hash: templates.hash, keptWithEdition: templates.keptWithEdition },
      findings: checks,
      ...(checks.acceptance ? { acceptedWarnings: checks.acceptance } : {}),
      jobData: data,
    });
    await deps.audit.recordIn(tx, {
      at: now,
      actor: caller.actor,
      action: 'draft.created',
      object: {
        draftId: id,
        publicationId,
        jobId,
        datasetHash,
        correctsEdition: corrects?.edition ?? null,
        releaseAt,
        templatesHash: templates.hash,
        templatesKeptWithEdition: templates.keptWithEdition,
      },
      ip: caller.ip,
    });
    if (checks.acceptance) {
      // The maker accepted the warnings of the checks: recorded with the draft and in the audit log.
      await deps.audit.recordIn(tx, {
        at: now,
        actor: caller.actor,
        action: 'findings.accepted',
        object: { draftId: id, publicationId, warnings: checks.acceptance.findings.length },
        ip: caller.ip,
      });
    }
  });
  try {
    await deps.jobs.queueRender(data);
  } catch (error) {
    // The draft stays, with its job data: its render is queued again when an editor looks at the
    // draft (requeueDraftRender); until then it cannot be approved.
    deps.logger.warn({ err: error, draftId: id }, 'the render of a new draft could not be queued yet');
  }
  return (await getDraft(deps.db, id)) as Draft;
}

/**
 * Queues again the render of a pending draft that the queue does not know: it could not be queued
 * when the draft was made (Redis unreachable), or the queue lost it. The same job (its id comes from
 * its data, kept with the draft), so a render that did reach the queue is never made twice. Returns
 * the job's status; undefined for a draft made before its job data was kept, or when the queue is
 * still out of reach (the next look tries again).
 */
export async function requeueDraftRender(deps: RecordDeps, draft: Draft): Promise<JobStatus | undefined> {
  if (draft.state !== 'pending') return undefined;
  const data = await getDraftJobData(deps.db, draft.id);
  if (!data || toJobId(data) !== draft.jobId) return undefined;
  try {
    const queued = await deps.jobs.queueRender(data);
    if (queued.created) deps.logger.info({ draftId: draft.id, jobId: draft.jobId }, 'the render of a draft was queued again');
    return queued.status;
  } catch (error) {
    deps.logger.warn({ err: error, draftId: draft.id }, 'the render of a draft could not be queued again yet');
    return undefined;
  }
}

/** The edition a correction corrects: always the latest edition of the publication that is not withdrawn. */
async function correctedEdition(deps: RecordDeps, publicationId: string): Promise<PreviousEdition> {
  const latest = (await listEditionRecords(deps.db, publicationId)).filter((e) => !e.withdrawal).at(-1);
  if (!latest) {
    throw new AppError(
      'PREVIOUS_EDITION_UNKNOWN',
      `publication "${publicationId}" has no edition to correct yet: make a draft without an erratum, and have it approved, first`,
      { details: [{ path: 'erratum', message: `publication "${publicationId}" has no edition in this service` }] },
    );
  }
  const bytes = await deps.storage.getDataset(latest.datasetHash);
  if (!bytes) throw new AppError('STORAGE_FAILED', `the stored dataset of edition ${latest.edition} of "${publicationId}" is missing`);
  return {
    datasetHash: latest.datasetHash,
    edition: latest.edition,
    dataset: parseDatasetText(bytes.toString('utf8'), `edition ${latest.edition}`),
  };
}

/** The templates of a draft, kept under their hash. */
interface ChosenTemplates {
  readonly hash: string;
  readonly files: TemplateFiles;
  readonly keptWithEdition: number | null;
}

/**
 * The templates a draft renders with, kept in storage under their hash (the job's templatesHash):
 * for a correction those kept with the edition it corrects, unless the editor asks for the current
 * ones; else the current ones, stored now so that a later correction finds them.
 */
async function chooseTemplates(
  deps: RecordDeps,
  publicationId: string,
  corrects: number | undefined,
  choice: DraftRequest['templates'],
): Promise<ChosenTemplates> {
  if (corrects !== undefined && choice !== 'current') {
    const hash = (await getEditionJobData(deps.db, publicationId, corrects))?.templatesHash;
    const files = hash === undefined ? undefined : await readKeptTemplates(deps.storage, hash);
    if (hash === undefined || files === undefined) {
      throw new AppError(
        'PREVIOUS_EDITION_UNKNOWN',
        `the templates edition ${corrects} of "${publicationId}" was rendered with are not kept in this service: ` +
          'ask for the current templates ("templates": "current") to correct it',
        { details: [{ path: 'templates', message: `no templates kept with edition ${corrects}` }] },
      );
    }
    return { hash, files, keptWithEdition: corrects };
  }
  return { hash: await keepTemplates(deps.storage, deps.templates), files: deps.templates, keptWithEdition: null };
}
