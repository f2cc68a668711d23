import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import type { RenderJobData } from '../jobs/render-job.js';
import type { ChangedCellsRecord, ErratumRecord } from '../jobs/storage.js';
import type { Draft, DraftState, EditionRecord, RecordActor } from './types.js';

// The SQL of drafts, reviews, editions, releases and withdrawals. Use cases (create-draft.ts,
// review-draft.ts, withdraw-edition.ts, release-model.ts) call these inside their transactions.

/** Draft ids: `d_` and 16 hex digits. */
export const DRAFT_ID_PATTERN = /^d_[0-9a-f]{16}$/;

/** A new draft id. */
export function newDraftId(): string {
  return `d_${randomBytes(8).toString('hex')}`;
}

type Moment = Date | string;

function iso(value: Moment): string;
function iso(value: Moment | null): string | null;
function iso(value: Moment | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

interface DraftRow {
  id: string;
  publication_id: string;
  job_id: string;
  dataset_hash: string;
  corrects_edition: number | null;
  previous_dataset_hash: string | null;
  erratum: ErratumRecord | null;
  requested_release_at: Moment | null;
  release_at: Moment;
  created_by_id: string;
  created_by_name: string;
  created_at: Moment;
  state: DraftState;
  changed_cells: ChangedCellsRecord | null;
  findings: unknown;
  accepted_warnings: unknown;
  decision: 'approved' | 'rejected' | null;
  comment: string | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  reviewed_at: Moment | null;
  edition: number | null;
  templates_hash: string | null;
  templates_edition: number | null;
}

const DRAFT_SELECT = `
  SELECT d.*, r.decision, r.comment, r.reviewer_id, r.reviewer_name, r.at AS reviewed_at, e.edition
  FROM drafts d
  LEFT JOIN reviews r ON r.draft_id = d.id
  LEFT JOIN editions e ON e.draft_id = d.id`;

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    publicationId: row.publication_id,
    jobId: row.job_id,
    datasetHash: row.dataset_hash,
    correctsEdition: row.corrects_edition,
    previousDatasetHash: row.previous_dataset_hash,
    erratum: row.erratum,
    requestedReleaseAt: iso(row.requested_release_at),
    releaseAt: iso(row.release_at),
    createdBy: { id: row.created_by_id, name: row.created_by_name },
    createdAt: iso(row.created_at),
    state: row.state,
    review:
      row.decision && row.reviewer_id && row.reviewed_at
        ? {
            decision: row.decision,
            comment: row.comment ?? '',
            reviewer: { id: row.reviewer_id, name: row.reviewer_name ?? '' },
            at: iso(row.reviewed_at),
          }
        : null,
    edition: row.edition,
    findings: row.findings,
    acceptedWarnings: row.accepted_warnings,
    changedCells: row.changed_cells,
    templates: row.templates_hash ? { hash: row.templates_hash, keptWithEdition: row.templates_edition } : null,
  };
}

/** What a new draft holds: a draft before any review. */
export type NewDraft = Omit<Draft, 'state' | 'review' | 'edition' | 'findings' | 'acceptedWarnings'> & {
  readonly findings?: unknown;
  readonly acceptedWarnings?: unknown;
  /** The render job as queued, to queue it again should it not have reached the queue. */
  readonly jobData?: RenderJobData;
};

export async function insertDraft(db: Queryable, d: NewDraft): Promise<void> {
  await db.query(
    `INSERT INTO drafts (id, publication_id, job_id, dataset_hash, corrects_edition, previous_dataset_hash, erratum,
       requested_release_at, release_at, created_by_id, created_by_name, created_at, changed_cells, findings, accepted_warnings,
       templates_hash, templates_edition, job_data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      d.id,
      d.publicationId,
      d.jobId,
      d.datasetHash,
      d.correctsEdition,
      d.previousDatasetHash,
      d.erratum ? JSON.stringify(d.erratum) : null,
      d.requestedReleaseAt,
      d.releaseAt,
      d.createdBy.id,
      d.createdBy.name,
      d.createdAt,
      d.changedCells ? JSON.stringify(d.changedCells) : null,
      d.findings === undefined ? null : JSON.stringify(d.findings),
      d.acceptedWarnings === undefined ? null : JSON.stringify(d.acceptedWarnings),
      d.templates?.hash ?? null,
      d.templates?.keptWithEdition ?? null,
      d.jobData ? JSON.stringify(d.jobData) : null,
    ],
  );
}

/** The render job of a draft as queued when it was made; undefined for drafts made before it was kept. */
export async function getDraftJobData(db: Queryable, id: string): Promise<RenderJobData | undefined> {
  const rows = await db.query<{ job_data: RenderJobData | null }>('SELECT job_data FROM drafts WHERE id = $1', [id]);
  return rows[0]?.job_data ?? undefined;
}

export async function getDraft(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Draft | undefined> {
  if (!DRAFT_ID_PATTERN.test(id)) return undefined;
  if (options.forUpdate) await db.query('SELECT id FROM drafts WHERE id = $1 FOR UPDATE', [id]);
  const rows = await db.query<DraftRow>(`${DRAFT_SELECT} WHERE d.id = $1`, [id]);
  return rows[0] ? toDraft(rows[0]) : undefined;
}

/** Drafts, newest first; of one publication when given. */
export async function listDrafts(db: Queryable, publicationId?: string): Promise<Draft[]> {
  const rows = await db.query<DraftRow>(
    `${DRAFT_SELECT} WHERE ($1::text IS NULL OR d.publication_id = $1) ORDER BY d.created_at DESC, d.id`,
    [publicationId ?? null],
  );
  return rows.map(toDraft);
}

export async function insertReview(
  db: Queryable,
  review: { draftId: string; decision: 'approved' | 'rejected'; comment: string; reviewer: RecordActor; at: string },
): Promise<void> {
  await db.query('INSERT INTO reviews (draft_id, decision, comment, reviewer_id, reviewer_name, at) VALUES ($1, $2, $3, $4, $5, $6)', [
    review.draftId,
    review.decision,
    review.comment,
    review.reviewer.id,
    review.reviewer.name,
    review.at,
  ]);
  await db.query('UPDATE drafts SET state = $2 WHERE id = $1', [review.draftId, review.decision]);
}

/**
 * Takes the next edition number of a publication: the publication's row is locked by the update
 * until the transaction ends, so concurrent approvals (in any process) get 1, 2, 3, … and a
 * rolled-back approval gives its number back.
 */
export async function takeNextEdition(db: Queryable, publicationId: string): Promise<number> {
  await db.query('INSERT INTO publications (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [publicationId]);
  const rows = await db.query<{ last_edition: number }>(
    'UPDATE publications SET last_edition = last_edition + 1 WHERE id = $1 RETURNING last_edition',
    [publicationId],
  );
  return rows[0]?.last_edition as number;
}

interface EditionRow {
  publication_id: string;
  edition: number;
  draft_id: string | null;
  job_id: string;
  dataset_hash: string;
  corrects_edition: number | null;
  erratum: ErratumRecord | null;
  release_at: Moment;
  approved_at: Moment;
  approved_by_id: string;
  approved_by_name: string;
  reason: string | null;
  withdrawn_by_id: string | null;
  withdrawn_by_name: string | null;
  withdrawn_at: Moment | null;
}

const EDITION_SELECT = `
  SELECT e.*, w.reason, w.withdrawn_by_id, w.withdrawn_by_name, w.at AS withdrawn_at
  FROM editions e
  LEFT JOIN withdrawals w ON w.publication_id = e.publication_id AND w.edition = e.edition`;

function toEdition(row: EditionRow): EditionRecord {
  return {
    publicationId: row.publication_id,
    edition: row.edition,
    draftId: row.draft_id,
    jobId: row.job_id,
    datasetHash: row.dataset_hash,
    correctsEdition: row.corrects_edition,
    erratum: row.erratum,
    releaseAt: iso(row.release_at),
    approvedAt: iso(row.approved_at),
    approvedBy: { id: row.approved_by_id, name: row.approved_by_name },
    withdrawal:
      row.reason !== null && row.withdrawn_at !== null
        ? { reason: row.reason, by: { id: row.withdrawn_by_id ?? '', name: row.withdrawn_by_name ?? '' }, at: iso(row.withdrawn_at) }
        : null,
  };
}

export async function insertEdition(db: Queryable, e: Omit<EditionRecord, 'withdrawal'>, jobData: RenderJobData): Promise<void> {
  await db.query(
    `INSERT INTO editions (publication_id, edition, draft_id, job_id, dataset_hash, corrects_edition, erratum, release_at,
       approved_at, approved_by_id, approved_by_name, job_data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      e.publicationId,
      e.edition,
      e.draftId,
      e.jobId,
      e.datasetHash,
      e.correctsEdition,
      e.erratum ? JSON.stringify(e.erratum) : null,
      e.releaseAt,
      e.approvedAt,
      e.approvedBy.id,
      e.approvedBy.name,
      JSON.stringify(jobData),
    ],
  );
}

/** The render job of an edition's final files, as queued at approval. */
export async function getEditionJobData(db: Queryable, publicationId: string, edition: number): Promise<RenderJobData | undefined> {
  const rows = await db.query<{ job_data: RenderJobData }>('SELECT job_data FROM editions WHERE publication_id = $1 AND edition = $2', [
    publicationId,
    edition,
  ]);
  return rows[0]?.job_data;
}

/** The editions of a publication, oldest first. */
export async function listEditionRecords(db: Queryable, publicationId: string): Promise<EditionRecord[]> {
  const rows = await db.query<EditionRow>(`${EDITION_SELECT} WHERE e.publication_id = $1 ORDER BY e.edition`, [publicationId]);
  return rows.map(toEdition);
}

/** The ids of publications with at least one edition. */
export async function listPublicationIds(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT DISTINCT publication_id AS id FROM editions ORDER BY id');
  return rows.map((r) => r.id);
}

/** The edition whose final files job `jobId` renders, if any. */
export async function findEditionByJob(db: Queryable, jobId: string): Promise<EditionRecord | undefined> {
  const rows = await db.query<EditionRow>(`${EDITION_SELECT} WHERE e.job_id = $1`, [jobId]);
  return rows[0] ? toEdition(rows[0]) : undefined;
}

export async function insertWithdrawal(
  db: Queryable,
  w: { publicationId: string; edition: number; reason: string; by: RecordActor; at: string },
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO withdrawals (publication_id, edition, reason, withdrawn_by_id, withdrawn_by_name, at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING edition`,
    [w.publicationId, w.edition, w.reason, w.by.id, w.by.name, w.at],
  );
  return rows.length > 0;
}

/** Records that an edition came out (once); true when this call recorded it. */
/** The editions of a publication whose release is recorded already. */
export async function listRecordedReleases(db: Queryable, publicationId: string): Promise<Set<number>> {
  const rows = await db.query<{ edition: number }>('SELECT edition FROM releases WHERE publication_id = $1', [publicationId]);
  return new Set(rows.map((r) => r.edition));
}

export async function insertRelease(
  db: Queryable,
  publicationId: string,
  edition: number,
  releasedAt: string,
  now: string,
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO releases (publication_id, edition, released_at, recorded_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING edition`,
    [publicationId, edition, releasedAt, now],
  );
  return rows.length > 0;
}
