import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import type { JobStatus } from '../jobs/job-status.js';
import type { RenderService } from '../jobs/index.js';
import { EDITOR_VIEWER } from '../jobs/release-moment.js';
import type { EditionView } from '../record/editions-view.js';
import type { Draft } from '../record/types.js';
import { listWorkbookSheets } from '../record/workbook-sheets.js';
import { toArtifactLink, toEditionsLink, toJobLink } from './resources.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The link of a draft. */
export function toDraftLink(draftId: string): string {
  return `/api/drafts/${draftId}`;
}

/**
 * The JSON answer about a draft (editors only): its state, review, files, findings and changed figures.
 * `requeue` queues the draft's render again when the queue does not know it (and it has no files).
 */
export async function toDraftResource(
  draft: Draft,
  service: RenderService,
  options: { brief?: boolean; requeue?: (draft: Draft) => Promise<JobStatus | undefined> } = {},
) {
  const status = await service
    .getStatus(draft.jobId, EDITOR_VIEWER)
    .catch((error: unknown) =>
      error instanceof AppError && error.code === 'NOT_FOUND' && options.requeue ? options.requeue(draft) : undefined,
    );
  const manifest = status?.state === 'completed' ? await service.getManifest(draft.jobId) : undefined;
  const base = {
    id: draft.id,
    publicationId: draft.publicationId,
    state: draft.state,
    createdBy: draft.createdBy,
    createdAt: draft.createdAt,
    correctsEdition: draft.correctsEdition,
    erratum: draft.erratum,
    releaseAt: draft.releaseAt,
    review: draft.review,
    edition: draft.edition,
    templates: toTemplatesChoice(draft),
    render: status
      ? { state: status.state, step: status.step, error: status.error }
      : { state: 'unknown' as const, step: null, error: null },
    links: { self: toDraftLink(draft.id), editions: toEditionsLink(draft.publicationId) },
  };
  if (options.brief) return base;
  const workbook = manifest?.artifacts.find((a) => a.name === 'tabellenbijlage.xlsx');
  return {
    ...base,
    jobId: draft.jobId,
    artifacts: (manifest?.artifacts ?? []).map((a) => ({
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      sha256: a.sha256,
      links: { view: `${toDraftLink(draft.id)}/artifacts/${encodeURIComponent(a.name)}` },
    })),
    changedCells: manifest?.changedCells ?? null,
    /** The sheets of the draft's workbook, in order, for the reviewer. */
    sheets: workbook ? listWorkbookSheets(await readAll(await service.openArtifact(draft.jobId, workbook.name, EDITOR_VIEWER))) : [],
    findings: draft.findings ?? null,
    acceptedWarnings: draft.acceptedWarnings ?? null,
  };
}

/** Which templates a draft renders with: kept with the edition it corrects ("bewaard bij editie N") or the current ones ("huidige"). */
function toTemplatesChoice(draft: Draft) {
  const t = draft.templates;
  if (!t) return null;
  return t.keptWithEdition === null
    ? { source: 'current' as const, edition: null, hash: t.hash, label: 'huidige' }
    : { source: 'kept' as const, edition: t.keptWithEdition, hash: t.hash, label: `bewaard bij editie ${t.keptWithEdition}` };
}

function toEditionItem(view: EditionView) {
  const { record, manifest } = view;
  return {
    edition: record.edition,
    state: view.state,
    current: view.current,
    withdrawn: record.withdrawal ? { reason: record.withdrawal.reason, at: record.withdrawal.at } : null,
    correctsEdition: record.correctsEdition,
    correctedOn: record.erratum?.date ?? null,
    erratum: record.erratum,
    releaseAt: record.releaseAt,
    approvedAt: record.approvedAt,
    approvedBy: record.approvedBy.name,
    jobId: record.jobId,
    createdAt: manifest?.createdAt ?? null,
    artifacts: (manifest?.artifacts ?? []).map((a) => ({
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      sha256: a.sha256,
      links: { download: toArtifactLink(record.jobId, a.name) },
    })),
    changedCells: manifest?.changedCells ?? null,
    links: { job: toJobLink(record.jobId) },
  };
}

/** The editions of a publication as the viewer may see them, oldest first, the current one marked. */
export function toEditionsResource(publicationId: string, editions: readonly EditionView[]) {
  return { publicationId, editions: editions.map(toEditionItem), links: { self: toEditionsLink(publicationId) } };
}

/** The publications with their number of (visible) editions and current edition. */
export function toPublicationsResource(publications: readonly { publicationId: string; editions: readonly EditionView[] }[]) {
  return {
    publications: publications.map(({ publicationId, editions }) => {
      const current = editions.find((e) => e.current);
      return {
        publicationId,
        editions: editions.length,
        latest: current
          ? {
              edition: current.record.edition,
              correctedOn: current.record.erratum?.date ?? null,
              createdAt: current.manifest?.createdAt ?? null,
              jobId: current.record.jobId,
            }
          : null,
        links: { editions: toEditionsLink(publicationId) },
      };
    }),
    links: { self: '/api/publications' },
  };
}
