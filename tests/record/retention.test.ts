import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import { createFsStorage } from '../../src/jobs/fs-storage.js';
import { sha256Hex } from '../../src/jobs/hash.js';
import { type RenderJobData, toJobId } from '../../src/jobs/render-job.js';
import type { EditionManifest, Storage } from '../../src/jobs/storage.js';
import { insertDraft, insertEdition, insertReview, takeNextEdition } from '../../src/record/record-store.js';
import { runTool } from '../helpers/run-tool.js';
import { jobData, storeJob } from '../helpers/stored-jobs.js';

// `npm run retention` on a real storage directory with the embedded database (PGlite) in it, as
// `npm start` keeps them: old drafts and orphaned datasets go, editions and what they use stay.

const DAY = 24 * 3600 * 1000;
const now = Date.now();
const ago = (days: number) => new Date(now - days * DAY).toISOString();
const actor = { id: 't_000000000001', name: 'Redacteur' };

let dir: string;
let storage: Storage;
const hashes: Record<string, string> = {};
const ids: Record<string, string> = {};
let editionManifest: EditionManifest;

async function dataset(label: string, ageDays: number): Promise<string> {
  const hash = await storage.putDataset(Buffer.from(JSON.stringify({ label }), 'utf8'));
  const old = new Date(now - ageDays * DAY);
  utimesSync(path.join(dir, 'datasets', `${hash}.json`), old, old);
  hashes[label] = hash;
  return hash;
}

function tool(args: string[]) {
  return runTool('src/cli-retention.ts', args, { STORAGE_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' });
}

function listing(): string[] {
  const walk = (sub: string): string[] =>
    existsSync(path.join(dir, sub))
      ? readdirSync(path.join(dir, sub), { recursive: true, encoding: 'utf8' })
          .map((n) => `${sub}/${n}`)
          .sort()
      : [];
  return [...walk('datasets'), ...walk('jobs'), ...walk('publications')];
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'retention-'));
  storage = createFsStorage(dir);
  const db = await openDatabase({ databaseUrl: undefined, storageDir: dir });
  try {
    const templates = await dataset('templates', 200);
    const published = await dataset('published', 200);
    const oldDraftOnly = await dataset('old-draft-only', 100);
    const recentDraft = await dataset('recent-draft', 100);
    await dataset('orphan-old', 40);
    await dataset('orphan-recent', 5);

    const draft = async (label: string, data: RenderJobData, createdDaysAgo: number, previous: string | null = null) => {
      const id = `d_${sha256Hex(label).slice(0, 16)}`;
      ids[label] = id;
      await insertDraft(db, {
        id,
        publicationId: data.publicationId,
        jobId: toJobId(data),
        datasetHash: data.datasetHash,
        correctsEdition: previous ? 1 : null,
        previousDatasetHash: previous,
        erratum: data.erratum,
        requestedReleaseAt: null,
        releaseAt: data.releaseAt as string,
        createdBy: actor,
        createdAt: ago(createdDaysAgo),
        changedCells: null,
        templates: { hash: data.templatesHash, keptWithEdition: null },
      });
      await storeJob(storage, data);
      return id;
    };

    // Edition 1: a draft of 200 days ago, approved; its final files recorded as the edition.
    const approvedDraft = await draft('approved', jobData(published, templates, 'draft'), 200);
    await insertReview(db, { draftId: approvedDraft, decision: 'approved', comment: 'Goed.', reviewer: actor, at: ago(199) });
    const finalData = jobData(published, templates, 'final');
    await takeNextEdition(db, 'veilig-thuis');
    await insertEdition(
      db,
      {
        publicationId: 'veilig-thuis',
        edition: 1,
        draftId: approvedDraft,
        jobId: toJobId(finalData),
        datasetHash: published,
        correctsEdition: null,
        erratum: null,
        releaseAt: finalData.releaseAt as string,
        approvedAt: ago(199),
        approvedBy: actor,
      },
      finalData,
    );
    editionManifest = await storeJob(storage, finalData);
    await storage.recordEdition(editionManifest);

    // Old drafts that never became an edition: one pending with its own dataset, one rejected
    // correction of edition 1 (its datasets are the edition's and stay).
    await draft('pending-old', jobData(oldDraftOnly, templates, 'draft'), 100);
    const rejected = await draft('rejected-old', jobData(published, templates, 'draft', published), 60, published);
    await insertReview(db, { draftId: rejected, decision: 'rejected', comment: 'Nee.', reviewer: actor, at: ago(59) });
    // A draft of 3 days ago stays, and so does its dataset (though the file is old).
    await draft('pending-recent', jobData(recentDraft, templates, 'draft'), 3);
  } finally {
    await db.close();
  }
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run retention', () => {
  it('refuses a run without a number of days', async () => {
    const result = await tool([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--days must be a whole number');
  });

  it('prints what a dry run would remove and changes nothing', async () => {
    const before = listing();
    const result = await tool(['--days', '30', '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`would remove draft ${ids['pending-old']} (veilig-thuis, pending`);
    expect(result.stdout).toContain(`would remove draft ${ids['rejected-old']} (veilig-thuis, rejected`);
    expect(result.stdout).toContain(`would remove dataset datasets/${hashes['old-draft-only']}.json`);
    expect(result.stdout).toContain(`would remove dataset datasets/${hashes['orphan-old']}.json`);
    expect(result.stdout).toMatch(/2 draft\(s\), 2 job folder\(s\), 2 dataset file\(s\) would be removed/);
    expect(listing()).toEqual(before);
  });

  it('removes old drafts, their files and orphaned datasets, never an edition or what it uses', async () => {
    const result = await tool(['--days', '30']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2 draft\(s\), 2 job folder\(s\), 2 dataset file\(s\) removed/);

    const datasets = (label: string) => existsSync(path.join(dir, 'datasets', `${hashes[label]}.json`));
    expect(datasets('old-draft-only')).toBe(false);
    expect(datasets('orphan-old')).toBe(false);
    expect(datasets('published')).toBe(true);
    expect(datasets('templates')).toBe(true);
    expect(datasets('recent-draft')).toBe(true);
    expect(datasets('orphan-recent')).toBe(true);

    // The edition's files are whole: the artifact reads back with the sha256 of its manifest.
    const artifact = editionManifest.artifacts[0];
    const bytes = readFileSync(path.join(dir, 'jobs', editionManifest.jobId, artifact?.name ?? ''));
    expect(sha256Hex(bytes)).toBe(artifact?.sha256);
    expect(existsSync(path.join(dir, 'publications', 'veilig-thuis', `${editionManifest.jobId}.json`))).toBe(true);

    const db = await openDatabase({ databaseUrl: undefined, storageDir: dir });
    try {
      const drafts = await db.query<{ id: string; state: string }>('SELECT id, state FROM drafts ORDER BY id');
      expect(drafts.map((d) => d.id).sort()).toEqual([ids.approved, ids['pending-recent']].sort());
      expect(await db.query('SELECT edition FROM editions')).toEqual([{ edition: 1 }]);
      const jobs = await db.query<{ job_id: string }>('SELECT job_id FROM drafts');
      for (const { job_id } of jobs) expect(existsSync(path.join(dir, 'jobs', job_id, 'manifest.json'))).toBe(true);
      const audit = await db.query<{ action: string; object: Record<string, unknown> }>(
        "SELECT action, object FROM audit_log WHERE action IN ('draft.removed', 'retention.removed') ORDER BY seq",
      );
      expect(audit.map((a) => a.action)).toEqual(['draft.removed', 'draft.removed', 'retention.removed']);
      expect(audit.slice(0, 2).map((a) => a.object.draftId)).toEqual([ids['pending-old'], ids['rejected-old']]);
      expect(audit[2]?.object).toMatchObject({ drafts: 2, jobs: 2, datasets: 2 });
    } finally {
      await db.close();
    }

    // Run again: nothing more is old enough.
    const again = await tool(['--days', '30']);
    expect(again.stdout).toMatch(/0 draft\(s\), 0 job folder\(s\), 0 dataset file\(s\) removed/);
  });
});
