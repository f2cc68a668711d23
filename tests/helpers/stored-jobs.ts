import type { RenderJobData } from '../../src/jobs/render-job.js';
import { toJobId } from '../../src/jobs/render-job.js';
import type { EditionManifest, Storage } from '../../src/jobs/storage.js';

// Jobs and their files as a worker stores them, for tests of what operators do with the storage
// directory and the record (retention, backup and restore) without rendering.

/** The data of a render job of publication "veilig-thuis"; with `previous`, a correction of edition 1. */
export function jobData(
  datasetHash: string,
  templatesHash: string,
  kind: 'draft' | 'final',
  previous: string | null = null,
  edition = 1,
): RenderJobData {
  return {
    publicationId: 'veilig-thuis',
    edition,
    datasetHash,
    previous: previous ? { datasetHash: previous, edition: 1 } : null,
    erratum: previous ? { date: '2020-01-10', text: 'Correctie.' } : null,
    templatesHash,
    rendererVersion: 'test',
    releaseAt: '2020-01-01T08:00:00.000Z',
    kind,
  };
}

/** Stores a job's files as a worker does: two artifacts (bytes that name the job) and the manifest. */
export async function storeJob(storage: Storage, data: RenderJobData, createdAt = new Date()): Promise<EditionManifest> {
  const jobId = toJobId(data);
  const artifacts = [
    await storage.putArtifact(jobId, { name: 'publicatie.pdf', contentType: 'application/pdf', bytes: Buffer.from(`%PDF ${jobId}`) }),
    await storage.putArtifact(jobId, {
      name: 'tabellenbijlage.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes: Buffer.from(`PK ${jobId}`),
    }),
  ];
  return storage.putManifest({
    jobId,
    publicationId: data.publicationId,
    edition: data.edition,
    correctedOn: data.erratum?.date ?? null,
    datasetHash: data.datasetHash,
    previous: data.previous,
    erratum: data.erratum,
    templatesHash: data.templatesHash,
    rendererVersion: data.rendererVersion,
    createdAt: createdAt.toISOString(),
    artifacts,
    ...(data.releaseAt ? { releaseAt: data.releaseAt } : {}),
    kind: data.kind,
  });
}
