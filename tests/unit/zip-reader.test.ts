import { describe, expect, it } from 'vitest';
import { readImportArchive } from '../../src/import/zip-reader.js';
import { writeZip } from '../../src/render/xlsx/zip-package.js';
import { readZipEntries } from '../../src/zip-reader.js';

const fail = (why: string): never => {
  throw new Error(why);
};

describe('the one ZIP reader', () => {
  const archive = writeZip(
    [
      { name: 'a.json', data: Buffer.from('{"a":1}') },
      { name: 'zeros.bin', data: Buffer.alloc(100_000) },
    ],
    new Date('2020-01-01T00:00:00Z'),
  );

  it('reads the entries of an archive our writer made, each when asked for', () => {
    const entries = readZipEntries(archive, { fail });
    expect(entries.map((e) => e.name)).toEqual(['a.json', 'zeros.bin']);
    expect(entries[0]?.data().toString()).toBe('{"a":1}');
    expect(entries[1]?.data().length).toBe(100_000);
  });

  it('refuses an entry that unpacks to more than the limit, naming it, instead of filling the memory', () => {
    const entries = readZipEntries(archive, { fail, maxEntryBytes: 10_000 });
    expect(entries[0]?.data().toString()).toBe('{"a":1}');
    expect(() => entries[1]?.data()).toThrow(/^zeros\.bin unpacks to more than 10000 bytes$/);
  });

  it('names the archive in an import error when the bytes are not a ZIP archive', () => {
    expect(() => readImportArchive(Buffer.from('not a zip at all, just some text to read'), 'upload.zip')).toThrow(
      /upload\.zip: not a ZIP archive of StatLine files \(no end of central directory\)/,
    );
  });
});
