import { AppError } from '../errors.js';
import { toEmbargoDenial, type Viewer } from '../jobs/release-moment.js';
import type { JobGate } from '../jobs/render-service.js';
import type { EditionManifest } from '../jobs/storage.js';
import type { Caller, RecordDeps } from './record-deps.js';
import {
  findEditionByJob,
  getEditionJobData,
  insertRelease,
  listRecordedReleases,
  insertWithdrawal,
  listEditionRecords,
  listPublicationIds,
} from './record-store.js';
import { type EditionStatus, toEditionStatuses } from './release-model.js';

/** An edition as the API shows it: its record, its state, and once rendered its manifest. */
export interface EditionView extends EditionStatus {
  readonly manifest: EditionManifest | undefined;
}

/**
 * The editions of a publication with their states now, oldest first: every one for an editor, the
 * released ones (withdrawn included, marked) for anyone else. Records each release once (table
 * releases and the audit log), and queues again the final render of an edition the queue lost.
 */
export async function viewEditions(deps: RecordDeps, publicationId: string, viewer: Viewer): Promise<EditionView[]> {
  const records = await listEditionRecords(deps.db, publicationId);
  const manifests = new Map<string, EditionManifest>();
  await Promise.all(
    records.map(async (r) => {
      const manifest = await deps.jobs.getManifest(r.jobId);
      if (manifest) manifests.set(r.jobId, manifest);
    }),
  );
  const now = deps.clock();
  const statuses = toEditionStatuses(records, (jobId) => manifests.has(jobId), now);
  // A release is recorded (and audit-logged) once, by the first look after its moment: the others read it.
  const recorded = statuses.some((s) => s.released) ? await listRecordedReleases(deps.db, publicationId) : new Set<number>();
  for (const s of statuses) {
    if (
      s.released &&
      !recorded.has(s.record.edition) &&
      (await insertRelease(deps.db, publicationId, s.record.edition, s.record.releaseAt, now.toISOString()))
    ) {
      await deps.audit.record({
        actor: null,
        action: 'edition.released',
        object: { publicationId, edition: s.record.edition, jobId: s.record.jobId, releaseAt: s.record.releaseAt },
        ip: null,
      });
    }
    if (s.state === 'rendering' && viewer.seesEmbargoed) {
      const data = await getEditionJobData(deps.db, publicationId, s.record.edition);
      if (data) await deps.jobs.queueRender(data).catch(() => {});
    }
  }
  return statuses.filter((s) => viewer.seesEmbargoed || s.released).map((s) => ({ ...s, manifest: manifests.get(s.record.jobId) }));
}

/** Every publication with an edition the viewer may see, with those editions. */
export async function viewPublications(deps: RecordDeps, viewer: Viewer): Promise<{ publicationId: string; editions: EditionView[] }[]> {
  const out: { publicationId: string; editions: EditionView[] }[] = [];
  for (const publicationId of await listPublicationIds(deps.db)) {
    const editions = await viewEditions(deps, publicationId, viewer);
    if (editions.length > 0) out.push({ publicationId, editions });
  }
  return out;
}

/**
 * Who sees a finished job: editors every one (drafts included); anyone else only the final files
 * of a released edition, and those answer 410 with the public reason once it is withdrawn.
 */
export function createJobGate(deps: RecordDeps): JobGate {
  return async (manifest, viewer) => {
    if (viewer.seesEmbargoed) return;
    const denial = toEmbargoDenial(`there is no job "${manifest.jobId}"`);
    const edition = await findEditionByJob(deps.db, manifest.jobId);
    if (!edition) throw denial;
    const status = (await viewEditions(deps, edition.publicationId, viewer)).find((e) => e.record.edition === edition.edition);
    if (!status) throw denial;
    if (status.record.withdrawal) {
      throw new AppError(
        'EDITION_WITHDRAWN',
        `edition ${edition.edition} of "${edition.publicationId}" was withdrawn on ${status.record.withdrawal.at.slice(0, 10)}: ${status.record.withdrawal.reason}`,
      );
    }
  };
}

/** An admin withdraws a released edition with a public reason; its files stay, readers get 410. */
export async function withdrawEdition(
  deps: RecordDeps,
  publicationId: string,
  edition: number,
  reason: unknown,
  caller: Caller,
): Promise<EditionView> {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text.length === 0 || text.length > 1000) {
    throw new AppError('REQUEST_INVALID', 'a withdrawal needs a public reason of 1 to 1000 characters', {
      details: [{ path: 'reason', message: 'must be 1 to 1000 characters' }],
    });
  }
  const status = (await viewEditions(deps, publicationId, { seesEmbargoed: true })).find((e) => e.record.edition === edition);
  if (!status) throw new AppError('NOT_FOUND', `publication "${publicationId}" has no edition ${edition}`);
  if (status.record.withdrawal) throw new AppError('REVIEW_CONFLICT', `edition ${edition} of "${publicationId}" was withdrawn already`);
  if (!status.released) {
    throw new AppError(
      'REVIEW_CONFLICT',
      `edition ${edition} of "${publicationId}" has not been released: only a released edition is withdrawn`,
    );
  }
  const now = deps.clock().toISOString();
  await deps.db.transaction(async (tx) => {
    if (!(await insertWithdrawal(tx, { publicationId, edition, reason: text, by: caller.actor, at: now }))) {
      throw new AppError('REVIEW_CONFLICT', `edition ${edition} of "${publicationId}" was withdrawn already`);
    }
    await deps.audit.recordIn(tx, {
      at: now,
      actor: caller.actor,
      action: 'edition.withdrawn',
      object: { publicationId, edition, jobId: status.record.jobId, reason: text },
      ip: caller.ip,
    });
  });
  return (await viewEditions(deps, publicationId, { seesEmbargoed: true })).find((e) => e.record.edition === edition) as EditionView;
}
