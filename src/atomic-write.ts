import { randomUUID } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Options of an atomic write. */
export interface AtomicWriteOptions {
  /** Keep a file that is already there (write once): the write then returns false. Default: replace it. */
  readonly once?: boolean;
  /** The mode of a new file (default 0o666 less the umask). */
  readonly mode?: number;
}

/**
 * Writes a file atomically: the bytes go to a temporary file `.<name>.<pid>.<uuid>.tmp` in the same
 * folder, synced to disk, which then takes the file's name. A reader sees the old file or the whole
 * new one, never half of it, and a failed write leaves no temporary file. With `once`, a file that
 * exists is kept (hard link, exclusive); on a file system without hard links the rename is atomic
 * too, only not exclusive. Returns false when `once` kept an existing file. The folder must exist.
 */
export async function writeFileAtomic(file: string, bytes: Buffer | string, options: AtomicWriteOptions = {}): Promise<boolean> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx', options.mode);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!options.once) {
      await rename(temp, file);
      return true;
    }
    try {
      await link(temp, file);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
      await rename(temp, file);
      return true;
    }
  } finally {
    await rm(temp, { force: true });
  }
}
