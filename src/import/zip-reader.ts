import { inflateRawSync } from 'node:zlib';
import { AppError } from '../errors.js';

/** One file in a ZIP archive; its bytes are inflated when asked for. */
export interface ZipEntry {
  readonly name: string;
  data(): Buffer;
}

/**
 * Reads the central directory of a ZIP archive (stored or deflated entries, as every archiver
 * writes them). Enough for an archive of StatLine JSON files; ZIP64 and encryption are refused.
 */
export function readZipEntries(zip: Buffer, label: string): ZipEntry[] {
  const bad = (why: string): never => {
    throw new AppError('IMPORT_INVALID', `${label}: not a ZIP archive of StatLine files (${why})`);
  };
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) bad('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) bad('broken central directory');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (flags & 1) bad(`${name} is encrypted`);
    if (method !== 0 && method !== 8) bad(`${name} uses compression method ${method}`);
    entries.push({
      name,
      data: () => {
        if (zip.readUInt32LE(local) !== 0x04034b50) bad(`broken local header of ${name}`);
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const body = zip.subarray(start, start + compressed);
        return method === 0 ? Buffer.from(body) : inflateRawSync(body);
      },
    });
  }
  return entries;
}
