import { parseDatasetText } from '../model/dataset.js';
import { isVisible, toEmbargoDenial, toReleaseMoment, type Viewer } from './release-moment.js';
import type { EditionManifest, Storage } from './storage.js';

/**
 * Decides whether a viewer may see a finished job's files: throws the answer (404 before release,
 * 410 after withdrawal). Given by the record (src/record), which knows drafts and editions.
 */
export type JobGate = (manifest: EditionManifest, viewer: Viewer) => Promise<void>;

/** Gives a manifest its release moment (see createReleaseLookup). */
export type ReleaseLookup = (manifest: EditionManifest) => Promise<EditionManifest>;

/**
 * The manifest with its release moment. A manifest written before release moments were recorded
 * gets the default one from its stored dataset (remembered per job); when that cannot be read it
 * stays null (hidden).
 */
export function createReleaseLookup(storage: Storage): ReleaseLookup {
  const releaseMoments = new Map<string, string | null>();
  return async (manifest) => {
    if (manifest.releaseAt) return manifest;
    let releaseAt = releaseMoments.get(manifest.jobId);
    if (releaseAt === undefined) {
      try {
        const bytes = await storage.getDataset(manifest.datasetHash);
        const dataset = bytes ? parseDatasetText(bytes.toString('utf8'), 'the stored dataset') : undefined;
        releaseAt = dataset ? toReleaseMoment({ publication: dataset.publication, erratum: manifest.erratum }) : null;
      } catch {
        releaseAt = null;
      }
      releaseMoments.set(manifest.jobId, releaseAt);
    }
    return { ...manifest, releaseAt };
  };
}

/** The gate without a record: by the manifest's release moment alone, and a draft never to a reader. */
export function releaseMomentGate(clock: () => Date): JobGate {
  return async (manifest, viewer) => {
    // A draft is never shown to a reader, whatever its release moment.
    if (manifest.kind === 'draft' && !viewer.seesEmbargoed) throw toEmbargoDenial(`there is no job "${manifest.jobId}"`);
    if (!isVisible(manifest.releaseAt, viewer, clock())) throw toEmbargoDenial(`there is no job "${manifest.jobId}"`);
  };
}
