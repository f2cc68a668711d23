import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/api/index.js';
import type { Database } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createFsStorage } from '../../src/jobs/fs-storage.js';
import { toJobId } from '../../src/jobs/render-job.js';
import { insertDraft, insertEdition, takeNextEdition } from '../../src/record/record-store.js';
import { createServerDatabase, PG_SERVER_URL } from '../helpers/database.js';
import { jobData, storeJob } from '../helpers/stored-jobs.js';

// Backup and restore as docs/operations.md describes them, done once: back up the storage
// directory and the record, wipe both, restore, and every edition's files read back with the
// sha256 the record and its manifest state.

const work = mkdtempSync(path.join(os.tmpdir(), 'backup-restore-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function serverAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_SERVER_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
const hasServer = await serverAnswers();

const sh = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Two editions (the second corrects the first) with their files, a pending draft and an audit entry. */
async function seed(db: Database, storageDir: string): Promise<void> {
  const storage = createFsStorage(storageDir);
  const templates = await storage.putDataset(Buffer.from('[["a.hbs","sjabloon"]]'));
  const first = await storage.putDataset(Buffer.from('{"dataset":1}'));
  const second = await storage.putDataset(Buffer.from('{"dataset":2}'));
  const approver = { id: 't_000000000001', name: 'Eindredacteur' };
  for (const data of [jobData(first, templates, 'final'), jobData(second, templates, 'final', first, 2)]) {
    await takeNextEdition(db, data.publicationId);
    await insertEdition(
      db,
      {
        publicationId: data.publicationId,
        edition: data.edition,
        draftId: null,
        jobId: toJobId(data),
        datasetHash: data.datasetHash,
        correctsEdition: data.previous ? 1 : null,
        erratum: data.erratum,
        releaseAt: data.releaseAt as string,
        approvedAt: new Date().toISOString(),
        approvedBy: approver,
      },
      data,
    );
    await storage.recordEdition(await storeJob(storage, data));
  }
  const draft = jobData(second, templates, 'draft', first, 3);
  await insertDraft(db, {
    id: 'd_00000000000000aa',
    publicationId: draft.publicationId,
    jobId: toJobId(draft),
    datasetHash: second,
    correctsEdition: 2,
    previousDatasetHash: first,
    erratum: draft.erratum,
    requestedReleaseAt: null,
    releaseAt: draft.releaseAt as string,
    createdBy: approver,
    createdAt: new Date().toISOString(),
    changedCells: null,
    templates: { hash: templates, keptWithEdition: null },
  });
  await createAuditLog(db).recordIn(db, { actor: null, action: 'record.imported', object: { publicationId: 'veilig-thuis' }, ip: null });
}

/** Every edition of the record with the sha256 of each of its files as read back from storage. */
async function editionFiles(db: Database, storageDir: string): Promise<Record<string, Record<string, string>>> {
  const storage = createFsStorage(storageDir);
  const out: Record<string, Record<string, string>> = {};
  for (const { edition, job_id } of await db.query<{ edition: number; job_id: string }>(
    'SELECT edition, job_id FROM editions ORDER BY edition',
  )) {
    const manifest = await storage.getManifest(job_id);
    expect(manifest, `manifest of edition ${edition}`).toBeDefined();
    const files: Record<string, string> = {};
    for (const artifact of manifest?.artifacts ?? []) {
      const stream = await storage.openArtifact(job_id, artifact.name);
      const hash = createHash('sha256');
      for await (const chunk of stream ?? []) hash.update(chunk as Buffer);
      files[artifact.name] = hash.digest('hex');
      expect(files[artifact.name], `${artifact.name} of edition ${edition}`).toBe(artifact.sha256);
    }
    out[`${edition} ${job_id}`] = files;
  }
  return out;
}

async function recordSummary(db: Database): Promise<unknown> {
  return {
    drafts: await db.query('SELECT id, state FROM drafts ORDER BY id'),
    audit: await db.query('SELECT seq, action FROM audit_log ORDER BY seq'),
    publications: await db.query('SELECT id, last_edition FROM publications'),
  };
}

/** The documented backup of the storage directory: a tar of it, without Redis's folder and temporary files. */
function backupStorage(storageDir: string, archive: string): void {
  sh('tar', ['-C', storageDir, '--exclude=./redis', '--exclude=*.tmp', '-czf', archive, '.']);
}

function restoreStorage(storageDir: string, archive: string): void {
  sh('mkdir', ['-p', storageDir]);
  sh('tar', ['-C', storageDir, '-xzf', archive]);
}

describe('backup and restore', () => {
  it('embedded database: the storage directory (with pglite/) copied while the service is stopped', async () => {
    const storageDir = path.join(work, 'pglite-storage');
    const archive = path.join(work, 'pglite-storage.tar.gz');
    let db = await openDatabase({ databaseUrl: undefined, storageDir });
    await seed(db, storageDir);
    const files = await editionFiles(db, storageDir);
    const record = await recordSummary(db);
    expect(Object.keys(files)).toHaveLength(2);
    await db.close(); // the service is stopped for the backup

    backupStorage(storageDir, archive);
    rmSync(storageDir, { recursive: true, force: true });
    restoreStorage(storageDir, archive);

    db = await openDatabase({ databaseUrl: undefined, storageDir });
    try {
      expect(await editionFiles(db, storageDir)).toEqual(files);
      expect(await recordSummary(db)).toEqual(record);
    } finally {
      await db.close();
    }
  }, 120_000);

  it.skipIf(!hasServer)(
    'PostgreSQL server: pg_dump and pg_restore of the record, and the storage directory',
    async () => {
      const storageDir = path.join(work, 'server-storage');
      const archive = path.join(work, 'server-storage.tar.gz');
      const dump = path.join(work, 'record.dump');
      const original = await createServerDatabase('backup');
      let restored: { url: string; drop(): Promise<void> } | undefined;
      try {
        let db = await openDatabase({ databaseUrl: original.url, storageDir });
        await seed(db, storageDir);
        const files = await editionFiles(db, storageDir);
        const record = await recordSummary(db);
        await db.close();

        sh('pg_dump', ['--format=custom', `--file=${dump}`, original.url]);
        backupStorage(storageDir, archive);
        // Wipe: the database and the storage directory are gone.
        await original.drop();
        rmSync(storageDir, { recursive: true, force: true });

        restored = await createServerDatabase('restored');
        sh('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restored.url}`, dump]);
        restoreStorage(storageDir, archive);

        db = await openDatabase({ databaseUrl: restored.url, storageDir });
        try {
          expect(await editionFiles(db, storageDir)).toEqual(files);
          expect(await recordSummary(db)).toEqual(record);
          // The audit log is still append-only after the restore.
          await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
        } finally {
          await db.close();
        }
      } finally {
        await original.drop();
        await restored?.drop();
      }
    },
    120_000,
  );
});
