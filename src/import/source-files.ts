import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { readImportArchive } from './zip-reader.js';

/** The files of an import: a folder, or one ZIP archive of the JSON files the API returned. */
export interface SourceFiles {
  /** What to call the source in messages. */
  readonly label: string;
  /** File names (without folders), as given. */
  readonly names: readonly string[];
  /** The whole file as bytes. */
  read(name: string): Promise<Buffer>;
  /** The file in chunks, for large files. */
  chunks(name: string): AsyncIterable<Buffer>;
}

/** Opens a folder or a .zip archive of StatLine files. */
export async function openSource(source: string): Promise<SourceFiles> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(source);
  } catch (error) {
    throw new AppError('IMPORT_INVALID', `cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
  if (info.isDirectory()) {
    const names = (await readdir(source)).sort();
    return {
      label: source,
      names,
      read: (name) => readFile(path.join(source, name)),
      chunks: (name) => createReadStream(path.join(source, name), { highWaterMark: 1 << 20 }),
    };
  }
  return zipSource(await readFile(source), source);
}

/** The files of a ZIP archive held in memory (an upload). */
export function zipSource(bytes: Buffer, label: string): SourceFiles {
  const entries = readImportArchive(bytes, label);
  const byName = new Map(entries.map((e) => [path.posix.basename(e.name), e]));
  const get = (name: string) => {
    const entry = byName.get(name);
    if (!entry) throw new AppError('IMPORT_INVALID', `${label}: the archive has no ${name}`);
    return entry.data();
  };
  return {
    label,
    names: [...byName.keys()].sort(),
    read: async (name) => get(name),
    chunks: async function* (name) {
      yield get(name);
    },
  };
}

/** Decodes UTF-8 strictly (a BOM is dropped); anything else is IMPORT_INVALID with the line. */
export function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Find the first bad byte to name its line.
    let at = 0;
    for (let lo = 0, hi = bytes.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid + 1;
        at = mid;
      } catch {
        hi = mid;
      }
    }
    const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
    throw new AppError(
      'IMPORT_INVALID',
      `${file}, line ${line}: the file is not UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16)} near byte ${at}); save it as UTF-8 (with or without BOM)`,
    );
  }
}
