import { AppError } from '../errors.js';
import { readZipEntries, type ZipEntryReader } from '../zip-reader.js';

/** The most one file of a StatLine archive may unpack to (the largest tables are tens of MiB). */
export const MAX_IMPORT_ENTRY_BYTES = 512 * 2 ** 20;

/** The files of a StatLine archive; what is wrong with it is an IMPORT_INVALID naming the archive. */
export function readImportArchive(zip: Buffer, label: string): ZipEntryReader[] {
  return readZipEntries(zip, {
    fail: (why) => {
      throw new AppError('IMPORT_INVALID', `${label}: not a ZIP archive of StatLine files (${why})`);
    },
    maxEntryBytes: MAX_IMPORT_ENTRY_BYTES,
  });
}
