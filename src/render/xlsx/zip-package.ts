import { constants, crc32, deflateRaw, deflateRawSync, type ZlibOptions } from 'node:zlib';
import { CENTRAL_HEADER, END_OF_CENTRAL_DIRECTORY, LOCAL_HEADER, readZipEntries } from '../../zip-reader.js';

/**
 * A minimal reader and writer for the ZIP container of an OOXML package. exceljs stamps every
 * entry with the time of writing, so two renders of the same dataset would differ; rewriting the
 * package with one fixed timestamp (and a fixed entry order) makes the output byte-identical.
 * Only what exceljs produces is supported: stored or deflated entries, no ZIP64, no encryption.
 */

/** One file of a ZIP package. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

const METHOD_DEFLATE = 8;
const MAX_32 = 0xffffffff;

function fail(message: string): never {
  throw new Error(`zip package: ${message}`);
}

/** Reads every entry of a ZIP archive, in central-directory order (the project's one reader, src/zip-reader.ts). */
export function readZip(buffer: Buffer): ZipEntry[] {
  return readZipEntries(buffer, { fail }).map((entry) => ({ name: entry.name, data: entry.data() }));
}

/** MS-DOS time and date fields (UTC) of a moment; the ZIP format has a 2-second resolution. */
function toDosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** How much of an entry is deflated at once: bounds the memory of a streamed entry. */
const BLOCK_SIZE = 1 << 20;
const DEFLATE_LEVEL = 6;

/** An entry compressed and ready to be placed in an archive. */
export interface DeflatedEntry {
  readonly name: string;
  readonly crc: number;
  readonly size: number;
  readonly chunks: readonly Buffer[];
  readonly compressedSize: number;
}

/**
 * Compresses one entry as its bytes arrive, in blocks of a fixed size, so that a sheet of 100 000
 * rows never has to be held uncompressed. Each full block is deflated on its own and ends with a
 * sync flush (byte-aligned, not final); the rest ends the stream. Because the blocks do not depend
 * on how the bytes were split on arrival, the same bytes always give the same output.
 */
export class DeflatingEntry {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private crc = 0;
  private size = 0;
  private readonly chunks: Buffer[] = [];
  private compressedSize = 0;
  private done: DeflatedEntry | undefined;
  /** In the background: the blocks being deflated, in order. */
  private readonly jobs: Promise<Buffer>[] = [];
  private running = 0;
  private ended = false;

  /**
   * With `background`, each block is deflated on libuv's thread pool while the caller goes on
   * writing (the same bytes as in this thread); `finish` then gives the entry. Otherwise each
   * block is deflated as it fills and `end` gives the entry.
   */
  constructor(
    readonly name: string,
    private readonly background = false,
  ) {}

  write(chunk: Buffer): void {
    if (this.done || this.ended) fail(`entry ${this.name} written after its end`);
    if (chunk.length === 0) return;
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (this.pendingBytes >= BLOCK_SIZE) {
      // A copy when the block is the caller's own buffer: a block deflated in the background must not change.
      const all =
        this.pending.length === 1
          ? this.background
            ? Buffer.from(this.pending[0] as Buffer)
            : (this.pending[0] as Buffer)
          : Buffer.concat(this.pending, this.pendingBytes);
      this.deflate(all.subarray(0, BLOCK_SIZE), { level: DEFLATE_LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
      const rest = all.subarray(BLOCK_SIZE);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
  }

  end(): DeflatedEntry {
    if (this.background) fail(`entry ${this.name} is deflated in the background: finish it`);
    if (!this.done) {
      this.deflate(Buffer.concat(this.pending, this.pendingBytes), { level: DEFLATE_LEVEL });
      this.pending = [];
      this.pendingBytes = 0;
      this.done = { name: this.name, crc: this.crc >>> 0, size: this.size, chunks: this.chunks, compressedSize: this.compressedSize };
    }
    return this.done;
  }

  /** Ends an entry deflated in the background: the entry once every block is deflated. */
  async finish(): Promise<DeflatedEntry> {
    if (!this.background) return this.end();
    if (!this.ended) {
      this.ended = true;
      this.deflate(Buffer.concat(this.pending, this.pendingBytes), { level: DEFLATE_LEVEL });
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (!this.done) {
      for (const compressed of await Promise.all(this.jobs)) this.emit(compressed);
      this.done ??= { name: this.name, crc: this.crc >>> 0, size: this.size, chunks: this.chunks, compressedSize: this.compressedSize };
    }
    return this.done;
  }

  /**
   * When more than `limit` blocks are being deflated in the background: a promise that resolves
   * as the older ones are done, for the writer to wait on so that its blocks are not all held.
   */
  backlog(limit: number): Promise<void> | undefined {
    if (this.running <= limit) return undefined;
    const oldest = this.jobs[this.jobs.length - this.running];
    return oldest?.then(
      () => {},
      () => {},
    );
  }

  private deflate(data: Buffer, options: ZlibOptions): void {
    if (!this.background) {
      this.emit(deflateRawSync(data, options));
      return;
    }
    this.running++;
    const job = new Promise<Buffer>((resolve, reject) => {
      deflateRaw(data, options, (error, compressed) => {
        this.running--;
        if (error) reject(error);
        else resolve(compressed);
      });
    });
    // Reported by finish; until then a failure must not count as unhandled.
    job.catch(() => {});
    this.jobs.push(job);
  }

  private emit(compressed: Buffer): void {
    this.chunks.push(compressed);
    this.compressedSize += compressed.length;
  }
}

/** Compresses a whole entry at once. */
export function deflateEntry(entry: ZipEntry): DeflatedEntry {
  const deflating = new DeflatingEntry(entry.name);
  deflating.write(entry.data);
  return deflating.end();
}

/**
 * Writes entries as a ZIP archive (deflated, in the given order) with every timestamp set to
 * `modified`: the same entries and date always give the same bytes.
 */
export function writeZip(entries: readonly ZipEntry[], modified: Date): Buffer {
  return assembleZip(entries.map(deflateEntry), modified);
}

/** Places compressed entries in a ZIP archive, in the given order, every timestamp `modified`. */
export function assembleZip(entries: readonly DeflatedEntry[], modified: Date): Buffer {
  const dos = toDosDateTime(modified);
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    if (offset > MAX_32 || entry.compressedSize > MAX_32 || entry.size > MAX_32) fail('the package needs ZIP64, which is not supported');
    const utf8Flag = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : 0x0800;

    // The local header and the central directory entry share these fields, in this order.
    const common = (header: Buffer, at: number): void => {
      header.writeUInt16LE(20, at); // version needed to extract: 2.0 (deflate)
      header.writeUInt16LE(utf8Flag, at + 2);
      header.writeUInt16LE(METHOD_DEFLATE, at + 4);
      header.writeUInt16LE(dos.time, at + 6);
      header.writeUInt16LE(dos.date, at + 8);
      header.writeUInt32LE(entry.crc, at + 10);
      header.writeUInt32LE(entry.compressedSize, at + 14);
      header.writeUInt32LE(entry.size, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    common(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(20, 4); // version made by
    common(central, 6);
    central.writeUInt32LE(offset, 42);

    parts.push(local, name, ...entry.chunks);
    centrals.push(central, name);
    offset += local.length + name.length + entry.compressedSize;
  }
  const directory = Buffer.concat(centrals);
  if (entries.length > 0xffff) fail('too many entries');
  if (offset > MAX_32) fail('the package needs ZIP64, which is not supported');
  const endRecord = Buffer.alloc(22);
  endRecord.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  endRecord.writeUInt16LE(entries.length, 8);
  endRecord.writeUInt16LE(entries.length, 10);
  endRecord.writeUInt32LE(directory.length, 12);
  endRecord.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, endRecord]);
}
