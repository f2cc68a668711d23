import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AuditLog } from '../api/auth/audit-log.js';
import type { Database, Queryable } from '../db/database.js';
import { HASH_PATTERN, isJobId, isPublicationId } from '../jobs/storage.js';

// Retention (issue 15): drafts that never became an edition and are older than N days, with their
// rendered files, and dataset files that nothing refers to any more. Never an edition, nor a
// dataset, template or job folder that an edition or a kept draft refers to.

/** A draft that retention removes. */
export interface RetainedDraft {
  readonly id: string;
  readonly publicationId: string;
  readonly state: 'pending' | 'rejected';
  readonly createdAt: string;
  readonly jobId: string;
}

/** What retention removes (or, in a dry run, would remove). */
export interface RetentionPlan {
  /** Drafts created before this moment (ISO) are old. */
  readonly cutoff: string;
  readonly drafts: readonly RetainedDraft[];
  /** Job folders under jobs/ of the removed drafts that nothing else refers to. */
  readonly jobs: readonly string[];
  /** Files under datasets/ (by hash) that nothing refers to, last changed before the cutoff. */
  readonly datasets: readonly string[];
}

const DAY_MS = 24 * 3600 * 1000;

interface DraftRow {
  id: string;
  publication_id: string;
  state: string;
  created_at: Date | string;
  job_id: string;
  dataset_hash: string;
  previous_dataset_hash: string | null;
  templates_hash: string | null;
  edition: number | null;
}

interface EditionRow {
  job_id: string;
  dataset_hash: string;
  job_data: { datasetHash?: string; templatesHash?: string; previous?: { datasetHash?: string } | null } | null;
}

/** The hashes a manifest (of an edition or a kept job) refers to. */
interface ManifestRefs {
  readonly jobId?: string;
  readonly datasetHash?: string;
  readonly templatesHash?: string;
  readonly previous?: { readonly datasetHash?: string } | null;
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readManifest(file: string): Promise<ManifestRefs | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ManifestRefs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`retention: ${file} cannot be read (${(error as Error).message}); nothing was removed`);
  }
}

function addRefs(into: Set<string>, ...hashes: (string | null | undefined)[]): void {
  for (const hash of hashes) if (hash) into.add(hash);
}

/**
 * Works out what retention would remove, reading the record and the storage directory; changes
 * nothing. A draft is old when it was created more than `days` days before `now` and never became
 * an edition (pending or rejected). A dataset file is orphaned when no edition (in the record or
 * as a manifest under publications/), no draft that stays and no job folder that stays refers to
 * it (as dataset, previous dataset or kept templates), and it was last changed before the cutoff,
 * so a dataset stored for a request still under way is never taken.
 */
export async function planRetention(db: Queryable, storageDir: string, options: { days: number; now: Date }): Promise<RetentionPlan> {
  if (!Number.isInteger(options.days) || options.days < 1) throw new Error('retention: days must be a whole number of at least 1');
  const cutoff = new Date(options.now.getTime() - options.days * DAY_MS);
  const draftRows = await db.query<DraftRow>(
    `SELECT d.id, d.publication_id, d.state, d.created_at, d.job_id, d.dataset_hash, d.previous_dataset_hash, d.templates_hash, e.edition
     FROM drafts d LEFT JOIN editions e ON e.draft_id = d.id ORDER BY d.created_at, d.id`,
  );
  const editionRows = await db.query<EditionRow>('SELECT job_id, dataset_hash, job_data FROM editions');

  const old = draftRows.filter(
    (d) => d.edition === null && (d.state === 'pending' || d.state === 'rejected') && new Date(d.created_at) < cutoff,
  );
  const removedIds = new Set(old.map((d) => d.id));
  const kept = draftRows.filter((d) => !removedIds.has(d.id));

  const referenced = new Set<string>();
  const keptJobs = new Set<string>();
  for (const d of kept) {
    addRefs(referenced, d.dataset_hash, d.previous_dataset_hash, d.templates_hash);
    keptJobs.add(d.job_id);
  }
  for (const e of editionRows) {
    addRefs(referenced, e.dataset_hash, e.job_data?.datasetHash, e.job_data?.templatesHash, e.job_data?.previous?.datasetHash);
    keptJobs.add(e.job_id);
  }
  // Editions recorded on disk (also those from before the record, not imported yet).
  const publications = path.join(storageDir, 'publications');
  for (const publicationId of (await listNames(publications)).filter(isPublicationId)) {
    for (const name of await listNames(path.join(publications, publicationId))) {
      if (!name.endsWith('.json') || !isJobId(name.slice(0, -'.json'.length))) continue;
      const manifest = await readManifest(path.join(publications, publicationId, name));
      if (!manifest) continue;
      keptJobs.add(name.slice(0, -'.json'.length));
      addRefs(referenced, manifest.datasetHash, manifest.templatesHash, manifest.previous?.datasetHash);
    }
  }

  const jobs = [...new Set(old.map((d) => d.job_id))].filter((jobId) => !keptJobs.has(jobId) && isJobId(jobId)).sort();
  const removedJobs = new Set(jobs);
  // Every job folder that stays keeps what its manifest names (renders through /api/jobs, drafts kept).
  const jobsDir = path.join(storageDir, 'jobs');
  for (const jobId of (await listNames(jobsDir)).filter(isJobId)) {
    if (removedJobs.has(jobId)) continue;
    const manifest = await readManifest(path.join(jobsDir, jobId, 'manifest.json'));
    if (manifest) addRefs(referenced, manifest.datasetHash, manifest.templatesHash, manifest.previous?.datasetHash);
  }

  const datasets: string[] = [];
  const datasetsDir = path.join(storageDir, 'datasets');
  for (const name of await listNames(datasetsDir)) {
    const hash = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
    if (!HASH_PATTERN.test(hash) || referenced.has(hash)) continue;
    const info = await stat(path.join(datasetsDir, name));
    if (info.isFile() && info.mtime < cutoff) datasets.push(hash);
  }

  return {
    cutoff: cutoff.toISOString(),
    drafts: old.map((d) => ({
      id: d.id,
      publicationId: d.publication_id,
      state: d.state as RetainedDraft['state'],
      createdAt: new Date(d.created_at).toISOString(),
      jobId: d.job_id,
    })),
    jobs,
    datasets,
  };
}

/**
 * Carries out a plan: removes the drafts (and their reviews) from the record in one transaction,
 * each with an audit entry `draft.removed` and one `retention.removed` for the whole run, then
 * deletes their job folders and the orphaned dataset files. The record goes first, so a failure
 * on disk leaves files nothing refers to (the next run takes them), never a draft without files.
 * Returns what was removed.
 */
export async function applyRetention(
  db: Database,
  audit: AuditLog,
  storageDir: string,
  plan: RetentionPlan,
  actor: { readonly id: string; readonly name: string; readonly role: null },
): Promise<RetentionPlan> {
  await db.transaction(async (tx) => {
    for (const draft of plan.drafts) {
      // Checked again inside the transaction: a draft approved meanwhile is an edition and stays.
      const rows = await tx.query<{ id: string }>(
        `SELECT d.id FROM drafts d WHERE d.id = $1 AND d.state IN ('pending', 'rejected')
           AND NOT EXISTS (SELECT 1 FROM editions e WHERE e.draft_id = d.id) FOR UPDATE`,
        [draft.id],
      );
      if (rows.length === 0) throw new Error(`retention: draft ${draft.id} changed since the plan was made; nothing was removed`);
      await tx.query('DELETE FROM reviews WHERE draft_id = $1', [draft.id]);
      await tx.query('DELETE FROM drafts WHERE id = $1', [draft.id]);
      await audit.recordIn(tx, {
        actor,
        action: 'draft.removed',
        object: {
          draftId: draft.id,
          publicationId: draft.publicationId,
          state: draft.state,
          createdAt: draft.createdAt,
          jobId: draft.jobId,
        },
        ip: null,
      });
    }
    await audit.recordIn(tx, {
      actor,
      action: 'retention.removed',
      object: { cutoff: plan.cutoff, drafts: plan.drafts.length, jobs: plan.jobs.length, datasets: plan.datasets.length },
      ip: null,
    });
  });
  // A draft or edition made since the plan may have stored one of the datasets again: it stays.
  const now = await db.query<{ hash: string }>(
    `SELECT unnest(ARRAY[dataset_hash, previous_dataset_hash, templates_hash]) AS hash FROM drafts
     UNION SELECT unnest(ARRAY[dataset_hash, job_data->>'datasetHash', job_data->>'templatesHash', job_data->'previous'->>'datasetHash']) FROM editions`,
  );
  const referenced = new Set(now.map((r) => r.hash));
  for (const jobId of plan.jobs) await rm(path.join(storageDir, 'jobs', jobId), { recursive: true, force: true });
  const datasets = plan.datasets.filter((hash) => !referenced.has(hash));
  for (const hash of datasets) await rm(path.join(storageDir, 'datasets', `${hash}.json`), { force: true });
  return { ...plan, datasets };
}
