import type { ArtifactRecord, EditionManifest, JobStatus, PublicationEditions } from '../jobs/index.js';

/** The link of a job. */
export function toJobLink(jobId: string): string {
  return `/api/jobs/${jobId}`;
}

/** The download link of an artifact. */
export function toArtifactLink(jobId: string, name: string): string {
  return `/api/jobs/${jobId}/artifacts/${encodeURIComponent(name)}`;
}

/** The link of a publication's editions. */
export function toEditionsLink(publicationId: string): string {
  return `/api/publications/${publicationId}/editions`;
}

function toArtifactResource(jobId: string, artifact: ArtifactRecord) {
  return {
    name: artifact.name,
    contentType: artifact.contentType,
    size: artifact.size,
    sha256: artifact.sha256,
    links: { download: toArtifactLink(jobId, artifact.name) },
  };
}

/** The JSON answer about a job. */
export function toJobResource(status: JobStatus) {
  return {
    id: status.id,
    state: status.state,
    publicationId: status.publicationId,
    edition: status.edition,
    correctedOn: status.correctedOn,
    progress: status.step ? { step: status.step } : null,
    attempts: status.attemptsMade === null ? null : { made: status.attemptsMade, max: status.maxAttempts },
    error: status.error,
    artifacts: status.artifacts.map((a) => toArtifactResource(status.id, a)),
    releaseAt: status.releaseAt,
    checks: status.checks,
    links: { self: toJobLink(status.id), editions: toEditionsLink(status.publicationId) },
  };
}

/** The JSON answer listing a publication's editions. */
export function toEditionsResource(publicationId: string, editions: readonly EditionManifest[]) {
  return {
    publicationId,
    editions: editions.map((e) => ({
      edition: e.edition,
      correctedOn: e.correctedOn,
      erratum: e.erratum,
      jobId: e.jobId,
      createdAt: e.createdAt,
      artifacts: e.artifacts.map((a) => toArtifactResource(e.jobId, a)),
      changedCells: e.changedCells ?? null,
      releaseAt: e.releaseAt ?? null,
      checks: e.checks ?? null,
      links: { job: toJobLink(e.jobId) },
    })),
    links: { self: toEditionsLink(publicationId) },
  };
}

/** The JSON answer listing the publications the service has rendered, with their latest edition. */
export function toPublicationsResource(publications: readonly PublicationEditions[]) {
  return {
    publications: publications.map(({ publicationId, editions }) => {
      const latest = editions.at(-1);
      return {
        publicationId,
        editions: editions.length,
        latest: latest
          ? { edition: latest.edition, correctedOn: latest.correctedOn, createdAt: latest.createdAt, jobId: latest.jobId }
          : null,
        links: { editions: toEditionsLink(publicationId) },
      };
    }),
    links: { self: '/api/publications' },
  };
}

/** The file name offered for download: publication, edition and artifact, all from safe patterns. */
export function toDownloadName(manifest: EditionManifest, artifactName: string): string {
  const name = `${manifest.publicationId}-editie-${manifest.edition}-${artifactName}`;
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
