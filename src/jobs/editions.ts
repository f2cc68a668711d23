import { AppError } from '../errors.js';
import type { ReleaseLookup } from './job-visibility.js';
import { isVisible, toEmbargoDenial, type Viewer } from './release-moment.js';
import { type EditionManifest, isPublicationId, type Storage } from './storage.js';

/** A publication the service has rendered, with its editions (oldest first). */
export interface PublicationEditions {
  readonly publicationId: string;
  readonly editions: readonly EditionManifest[];
}

/** What listing editions needs. */
export interface EditionsDeps {
  readonly storage: Storage;
  readonly withReleaseAt: ReleaseLookup;
  readonly clock: () => Date;
}

/** The editions of a publication that `viewer` may see now. */
async function visibleEditions(deps: EditionsDeps, publicationId: string, viewer: Viewer): Promise<EditionManifest[]> {
  const all = await Promise.all((await deps.storage.listEditions(publicationId)).map(deps.withReleaseAt));
  const now = deps.clock();
  return all.filter((e) => isVisible(e.releaseAt, viewer, now));
}

/** The editions of a publication, oldest first; NOT_FOUND (embargo) when there are some but none visible, or none at all. */
export async function listEditions(deps: EditionsDeps, publicationId: string, viewer: Viewer): Promise<EditionManifest[]> {
  if (!isPublicationId(publicationId)) throw new AppError('NOT_FOUND', `there is no publication "${publicationId}"`);
  const editions = await visibleEditions(deps, publicationId, viewer);
  if (editions.length === 0) {
    const message = `no edition of publication "${publicationId}" is known`;
    throw (await deps.storage.listEditions(publicationId)).length > 0 ? toEmbargoDenial(message) : new AppError('NOT_FOUND', message);
  }
  return editions;
}

/** Every publication with at least one edition `viewer` may see, the most recently rendered first. */
export async function listPublications(deps: EditionsDeps, viewer: Viewer): Promise<PublicationEditions[]> {
  const found: PublicationEditions[] = [];
  for (const publicationId of await deps.storage.listPublications()) {
    const editions = await visibleEditions(deps, publicationId, viewer);
    if (editions.length > 0) found.push({ publicationId, editions });
  }
  // Editions come oldest first: the last one is the latest.
  const latest = (p: PublicationEditions): string => p.editions.at(-1)?.createdAt ?? '';
  return found.sort((a, b) => latest(b).localeCompare(latest(a)) || a.publicationId.localeCompare(b.publicationId));
}
