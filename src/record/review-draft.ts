import type { Queryable } from '../db/database.js';
import { AppError } from '../errors.js';
import { type RenderJobData, toJobId } from '../jobs/render-job.js';
import type { Caller, RecordDeps } from './record-deps.js';
import { getDraft, insertEdition, insertReview, listEditionRecords, takeNextEdition } from './record-store.js';
import { laterMoment } from './release-model.js';
import type { Draft, EditionRecord } from './types.js';

/** A review's comment: 1 to 2000 characters. */
export function checkComment(comment: unknown, what: string): string {
  const text = typeof comment === 'string' ? comment.trim() : '';
  if (text.length === 0 || text.length > 2000) {
    throw new AppError('REQUEST_INVALID', `${what} needs a comment of 1 to 2000 characters`, {
      details: [{ path: 'comment', message: 'must be 1 to 2000 characters' }],
    });
  }
  return text;
}

function refuseOwn(draft: Draft, caller: Caller, verb: string): void {
  if (draft.createdBy.id === caller.actor.id) {
    throw new AppError(
      'REVIEW_CONFLICT',
      `nobody ${verb} their own draft, admins included: ${draft.id} was made by ${draft.createdBy.name}; another editor must review it`,
    );
  }
}

async function lockPending(tx: Queryable, draftId: string) {
  const draft = await getDraft(tx, draftId, { forUpdate: true });
  if (!draft) throw new AppError('NOT_FOUND', `there is no draft "${draftId.slice(0, 40)}"`);
  if (draft.state !== 'pending') {
    throw new AppError('REVIEW_CONFLICT', `draft ${draft.id} was ${draft.state} already (by ${draft.review?.reviewer.name ?? 'someone'})`);
  }
  return draft;
}

/**
 * Approves a draft: in one transaction, checks that it waits for review and that the reviewer did
 * not make it, takes the publication's next edition number (exactly one edition n per publication,
 * whatever the number of API processes), sets the release moment no earlier than the previous
 * edition's, records the edition, the review and the audit entry. Then queues the final render
 * (the same input as the draft, without "CONCEPT", with the assigned number).
 */
export async function approveDraft(deps: RecordDeps, draftId: string, comment: unknown, caller: Caller): Promise<EditionRecord> {
  const text = checkComment(comment, 'an approval');
  const draft0 = await getDraft(deps.db, draftId);
  if (draft0 && !(await deps.jobs.getManifest(draft0.jobId))) {
    throw new AppError('REVIEW_CONFLICT', `draft ${draft0.id} is still being rendered: look at its files before approving it`);
  }
  const now = deps.clock().toISOString();
  const { edition, data } = await deps.db.transaction(async (tx) => {
    const draft = await lockPending(tx, draftId);
    refuseOwn(draft, caller, 'approves');
    const number = await takeNextEdition(tx, draft.publicationId);
    const before = number > 1 ? (await listEditionRecords(tx, draft.publicationId)).find((e) => e.edition === number - 1) : undefined;
    if (draft.correctsEdition !== null && draft.correctsEdition !== number - 1) {
      throw new AppError(
        'REVIEW_CONFLICT',
        `draft ${draft.id} corrects edition ${draft.correctsEdition}, but edition ${number - 1} has come since: ` +
          'a correction always corrects the latest edition, so make the draft again',
      );
    }
    const releaseAt = laterMoment(draft.releaseAt, before?.releaseAt);
    const data: RenderJobData = {
      publicationId: draft.publicationId,
      edition: number,
      datasetHash: draft.datasetHash,
      previous: draft.previousDatasetHash ? { datasetHash: draft.previousDatasetHash, edition: draft.correctsEdition } : null,
      erratum: draft.erratum,
      // The templates the draft was rendered with (kept in storage), so the final files match the reviewed ones.
      templatesHash: draft.templates?.hash ?? deps.identity.templatesHash,
      rendererVersion: deps.identity.rendererVersion,
      releaseAt,
      kind: 'final',
      ...(caller.requestId ? { requestId: caller.requestId } : {}),
    };
    const record: Omit<EditionRecord, 'withdrawal'> = {
      publicationId: draft.publicationId,
      edition: number,
      draftId: draft.id,
      jobId: toJobId(data),
      datasetHash: draft.datasetHash,
      correctsEdition: draft.correctsEdition,
      erratum: draft.erratum,
      releaseAt,
      approvedAt: now,
      approvedBy: { id: caller.actor.id, name: caller.actor.name },
    };
    await insertEdition(tx, record, data);
    await insertReview(tx, { draftId: draft.id, decision: 'approved', comment: text, reviewer: record.approvedBy, at: now });
    await deps.audit.recordIn(tx, {
      at: now,
      actor: caller.actor,
      action: 'draft.approved',
      object: { draftId: draft.id, publicationId: draft.publicationId, edition: number, jobId: record.jobId, releaseAt, comment: text },
      ip: caller.ip,
    });
    return { edition: { ...record, withdrawal: null }, data };
  });
  try {
    await deps.jobs.queueRender(data);
  } catch (error) {
    // The edition is recorded; its render is queued again when an editor lists the editions (viewEditions).
    deps.logger.warn(
      { err: error, edition: edition.edition, publicationId: edition.publicationId },
      'the final render could not be queued yet',
    );
  }
  return edition;
}

/** Rejects a draft with a comment; the draft stays, with its comment. */
export async function rejectDraft(deps: RecordDeps, draftId: string, comment: unknown, caller: Caller): Promise<Draft> {
  const text = checkComment(comment, 'a rejection');
  const now = deps.clock().toISOString();
  await deps.db.transaction(async (tx) => {
    const draft = await lockPending(tx, draftId);
    refuseOwn(draft, caller, 'rejects');
    await insertReview(tx, {
      draftId: draft.id,
      decision: 'rejected',
      comment: text,
      reviewer: { id: caller.actor.id, name: caller.actor.name },
      at: now,
    });
    await deps.audit.recordIn(tx, {
      at: now,
      actor: caller.actor,
      action: 'draft.rejected',
      object: { draftId: draft.id, publicationId: draft.publicationId, comment: text },
      ip: caller.ip,
    });
  });
  return (await getDraft(deps.db, draftId)) as Draft;
}
