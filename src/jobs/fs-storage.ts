import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { AppError } from '../errors.js';
import { sha256Hex } from './hash.js';
import { type EditionManifest, HASH_PATTERN, isArtifactName, isJobId, isPublicationId, type Storage } from './storage.js';

function storageError(what: string, cause: unknown): AppError {
  // The message names what failed, never the path: it may reach an API client through the job's error.
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new AppError('STORAGE_FAILED', `storage: ${what} failed${code ? ` (${code})` : ''}`, { cause });
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Stored files (datasets, artifacts, manifests): the service's user writes, its group (e.g. a backup) reads, nobody else. */
const FILE_MODE = 0o640;
/** Folders the storage makes: the same, with search permission. */
const DIR_MODE = 0o750;

/**
 * A storage on the file system under `root`:
 *
 *     datasets/<sha256>.json
 *     jobs/<job id>/<artifact name>, jobs/<job id>/manifest.json
 *     publications/<publication id>/<job id>.json     (one file per edition, no read-modify-write)
 *
 * Every id and name is checked against a strict pattern and every path is resolved and checked to
 * lie inside the root, so no request can read outside it. Files are written to a temporary name in
 * the same folder and then hard-linked (or renamed) into place, so they appear whole or not at all,
 * and a second writer of the same file keeps the first copy.
 */
export function createFsStorage(rootDir: string): Storage {
  const root = path.resolve(rootDir);

  /** The path of `parts` under the root, each part checked by the caller; never outside the root. */
  function inside(...parts: string[]): string {
    const full = path.resolve(root, ...parts);
    if (!full.startsWith(root + path.sep)) throw new AppError('NOT_FOUND', 'no such stored item');
    return full;
  }

  function datasetPath(hash: string): string {
    if (!HASH_PATTERN.test(hash)) throw new AppError('NOT_FOUND', 'no such dataset');
    return inside('datasets', `${hash}.json`);
  }

  function jobDir(jobId: string): string {
    if (!isJobId(jobId)) throw new AppError('NOT_FOUND', `no job "${jobId}"`);
    return inside('jobs', jobId);
  }

  function artifactPath(jobId: string, name: string): string {
    const dir = jobDir(jobId);
    if (!isArtifactName(name) || name === 'manifest.json') throw new AppError('NOT_FOUND', `no artifact "${name}"`);
    return inside(dir, name);
  }

  function publicationDir(publicationId: string): string {
    if (!isPublicationId(publicationId)) throw new AppError('NOT_FOUND', `no publication "${publicationId}"`);
    return inside('publications', publicationId);
  }

  /** Writes `bytes` to `file` once, atomically. Returns false when the file already existed (and is kept). */
  async function writeOnce(file: string, bytes: Buffer | string): Promise<boolean> {
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    return writeFileAtomic(file, bytes, { once: true, mode: FILE_MODE });
  }

  async function readOptional(file: string): Promise<Buffer | undefined> {
    try {
      return await readFile(file);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async function readJson<T>(file: string): Promise<T | undefined> {
    const bytes = await readOptional(file);
    return bytes === undefined ? undefined : (JSON.parse(bytes.toString('utf8')) as T);
  }

  function manifestPath(jobId: string): string {
    return path.join(jobDir(jobId), 'manifest.json');
  }

  return {
    async putDataset(bytes) {
      const hash = sha256Hex(bytes);
      try {
        await writeOnce(datasetPath(hash), bytes);
      } catch (error) {
        throw storageError('storing the dataset', error);
      }
      return hash;
    },

    async getDataset(hash) {
      const file = datasetPath(hash);
      try {
        return await readOptional(file);
      } catch (error) {
        throw storageError('reading a dataset', error);
      }
    },

    async putArtifact(jobId, artifact) {
      if (!isArtifactName(artifact.name) || artifact.name === 'manifest.json') {
        throw new AppError('INTERNAL', `the renderer made an artifact whose name storage does not accept: "${artifact.name.slice(0, 80)}"`);
      }
      const file = artifactPath(jobId, artifact.name);
      try {
        const written = await writeOnce(file, artifact.bytes);
        const bytes = written ? artifact.bytes : await readFile(file);
        return { name: artifact.name, contentType: artifact.contentType, size: bytes.length, sha256: sha256Hex(bytes) };
      } catch (error) {
        throw storageError(`storing artifact ${artifact.name}`, error);
      }
    },

    async openArtifact(jobId, name) {
      const file = artifactPath(jobId, name);
      const handle = await open(file, 'r').catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw storageError(`reading artifact ${name}`, error);
      });
      return handle?.createReadStream();
    },

    async putManifest(manifest) {
      const file = manifestPath(manifest.jobId);
      try {
        const written = await writeOnce(file, `${JSON.stringify(manifest, null, 2)}\n`);
        return written ? manifest : ((await readJson<EditionManifest>(file)) ?? manifest);
      } catch (error) {
        throw storageError('storing the manifest', error);
      }
    },

    async getManifest(jobId) {
      const file = manifestPath(jobId);
      try {
        return await readJson<EditionManifest>(file);
      } catch (error) {
        throw storageError('reading a manifest', error);
      }
    },

    async recordEdition(manifest) {
      const dir = publicationDir(manifest.publicationId);
      if (!isJobId(manifest.jobId)) throw new AppError('STORAGE_FAILED', 'storage: an edition needs a valid job id');
      try {
        await writeOnce(path.join(dir, `${manifest.jobId}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
      } catch (error) {
        throw storageError('recording the edition', error);
      }
    },

    async listEditions(publicationId) {
      const dir = publicationDir(publicationId);
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw storageError('listing editions', error);
      }
      const editions: EditionManifest[] = [];
      for (const name of names) {
        const jobId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
        if (!isJobId(jobId)) continue;
        try {
          const manifest = await readJson<EditionManifest>(path.join(dir, name));
          if (manifest) editions.push(manifest);
        } catch (error) {
          throw storageError('reading an edition', error);
        }
      }
      return editions.sort((a, b) => a.edition - b.edition || a.createdAt.localeCompare(b.createdAt));
    },

    async listPublications() {
      let names: string[];
      try {
        names = await readdir(inside('publications'));
      } catch (error) {
        if (isNotFound(error)) return [];
        throw storageError('listing publications', error);
      }
      const ids: string[] = [];
      for (const name of names.filter(isPublicationId).sort()) {
        try {
          const files = await readdir(publicationDir(name));
          if (files.some((file) => file.endsWith('.json') && isJobId(file.slice(0, -'.json'.length)))) ids.push(name);
        } catch (error) {
          if (!isNotFound(error)) throw storageError('listing publications', error);
        }
      }
      return ids;
    },
  };
}
