import { parseDatasetText } from '../model/dataset.js';
import { toReleaseMoment } from '../jobs/release-moment.js';
import type { RenderJobData } from '../jobs/render-job.js';
import type { EditionManifest } from '../jobs/storage.js';
import type { RecordDeps } from './record-deps.js';
import { insertEdition, listEditionRecords } from './record-store.js';

/** What an import did, per publication. */
export interface ImportReport {
  readonly publicationId: string;
  readonly imported: readonly number[];
  /** Editions on disk whose number was taken already (by the record, or by an earlier file with that number): kept on disk, not imported. */
  readonly skipped: readonly { readonly edition: number; readonly jobId: string; readonly reason: string }[];
}

async function releaseMomentOf(deps: RecordDeps, manifest: EditionManifest): Promise<string | null> {
  if (manifest.releaseAt) return manifest.releaseAt;
  const bytes = await deps.storage.getDataset(manifest.datasetHash).catch(() => undefined);
  if (!bytes) return null;
  try {
    const dataset = parseDatasetText(bytes.toString('utf8'), 'the stored dataset');
    return toReleaseMoment({ publication: dataset.publication, erratum: manifest.erratum });
  } catch {
    return null;
  }
}

/**
 * Imports the editions recorded on disk before the record moved into the database
 * (`<storage>/publications/<id>/<job>.json`): each becomes an edition of the record with its number,
 * release moment and files (which stay where they are), approved by "import". Safe to run again:
 * what the record has is kept. Where the old service made two editions with one number, the first
 * made is imported and the other is reported and left on disk. Every import is in the audit log.
 */
export async function importEditions(
  deps: RecordDeps,
  actor = { id: 'import', name: 'import of editions on disk' },
): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  for (const publicationId of await deps.storage.listPublications()) {
    const onDisk = (await deps.storage.listEditions(publicationId)).sort(
      (a, b) => a.edition - b.edition || a.createdAt.localeCompare(b.createdAt),
    );
    const imported: number[] = [];
    const skipped: { edition: number; jobId: string; reason: string }[] = [];
    await deps.db.transaction(async (tx) => {
      await tx.query('INSERT INTO publications (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [publicationId]);
      await tx.query('SELECT last_edition FROM publications WHERE id = $1 FOR UPDATE', [publicationId]);
      const known = new Map((await listEditionRecords(tx, publicationId)).map((e) => [e.edition, e.jobId]));
      for (const manifest of onDisk) {
        const taken = known.get(manifest.edition);
        if (taken !== undefined) {
          if (taken !== manifest.jobId)
            skipped.push({ edition: manifest.edition, jobId: manifest.jobId, reason: `edition ${manifest.edition} exists (${taken})` });
          continue;
        }
        const releaseAt = await releaseMomentOf(deps, manifest);
        if (!releaseAt) {
          skipped.push({ edition: manifest.edition, jobId: manifest.jobId, reason: 'its stored dataset is missing: no release moment' });
          continue;
        }
        // The manifest under jobs/ too, where the service reads an edition's files from (write-once).
        if (!(await deps.storage.getManifest(manifest.jobId))) await deps.storage.putManifest(manifest);
        const corrects = manifest.erratum && known.has(manifest.edition - 1) ? manifest.edition - 1 : null;
        const data: RenderJobData = {
          publicationId,
          edition: manifest.edition,
          datasetHash: manifest.datasetHash,
          previous: manifest.previous,
          erratum: manifest.erratum,
          templatesHash: manifest.templatesHash,
          rendererVersion: manifest.rendererVersion,
          releaseAt,
        };
        await insertEdition(
          tx,
          {
            publicationId,
            edition: manifest.edition,
            draftId: null,
            jobId: manifest.jobId,
            datasetHash: manifest.datasetHash,
            correctsEdition: corrects,
            erratum: manifest.erratum,
            releaseAt,
            approvedAt: manifest.createdAt,
            approvedBy: actor,
          },
          data,
        );
        known.set(manifest.edition, manifest.jobId);
        imported.push(manifest.edition);
      }
      await tx.query('UPDATE publications SET last_edition = GREATEST(last_edition, $2) WHERE id = $1', [
        publicationId,
        Math.max(0, ...known.keys()),
      ]);
      if (imported.length > 0 || skipped.length > 0) {
        await deps.audit.recordIn(tx, {
          actor: { ...actor, role: 'admin' },
          action: 'record.imported',
          object: { publicationId, imported: imported.join(','), skipped: skipped.map((s) => `${s.edition}:${s.jobId}`).join(',') },
          ip: null,
        });
      }
    });
    reports.push({ publicationId, imported, skipped });
  }
  return reports;
}
