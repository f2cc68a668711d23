import type { ArtifactRecord, EditionManifest, JobStatus } from '../jobs/index.js';

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

/** The file name offered for download: publication, edition and artifact, all from safe patterns. */
export function toDownloadName(manifest: EditionManifest, artifactName: string): string {
  const name = `${manifest.publicationId}-editie-${manifest.edition}-${artifactName}`;
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
