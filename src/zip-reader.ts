import { inflateRawSync } from 'node:zlib';

/**
 * The one ZIP reader of the project: StatLine downloads given to the importer and our own
 * workbooks read back (the draft view's sheet list, tests). Stored or deflated entries, as every
 * archiver writes them; ZIP64 and encryption are refused. The central directory is read at once,
 * each entry's bytes when asked for.
 */

/** One file in a ZIP archive; its bytes are inflated when asked for. */
export interface ZipEntryReader {
  readonly name: string;
  data(): Buffer;
}

/** The signatures of the ZIP records (the writer in src/render/xlsx/zip-package.ts uses them too). */
export const LOCAL_HEADER = 0x04034b50;
export const CENTRAL_HEADER = 0x02014b50;
export const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

export interface ReadZipOptions {
  /** Throws the caller's error for what is wrong with the archive (never returns). */
  readonly fail: (why: string) => never;
  /** The most bytes one entry may inflate to (a small archive must not unpack to gigabytes). */
  readonly maxEntryBytes?: number;
}

function sizeText(bytes: number): string {
  return bytes >= 2 ** 20 ? `${Math.floor(bytes / 2 ** 20)} MiB` : `${bytes} bytes`;
}

/** The entries of a ZIP archive in central-directory order, folders left out. */
export function readZipEntries(zip: Buffer, { fail, maxEntryBytes }: ReadZipOptions): ZipEntryReader[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) fail('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntryReader[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_HEADER) fail(`broken central directory (entry ${n})`);
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
    if (flags & 1) fail(`${name} is encrypted`);
    if (method !== 0 && method !== 8) fail(`${name} uses compression method ${method}`);
    entries.push({
      name,
      data: () => {
        if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_HEADER) fail(`broken local header of ${name}`);
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const body = zip.subarray(start, start + compressed);
        if (method === 0) return Buffer.from(body);
        try {
          return inflateRawSync(body, maxEntryBytes === undefined ? {} : { maxOutputLength: maxEntryBytes });
        } catch (error) {
          const code = (error as { code?: string }).code;
          return fail(
            code === 'ERR_BUFFER_TOO_LARGE'
              ? `${name} unpacks to more than ${sizeText(maxEntryBytes ?? 0)}`
              : `${name} cannot be unpacked (${(error as Error).message})`,
          );
        }
      },
    });
  }
  return entries;
}
