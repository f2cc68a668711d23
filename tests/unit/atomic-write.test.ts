import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/atomic-write.js';

const work = mkdtempSync(path.join(tmpdir(), 'atomic-write-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('writeFileAtomic, the one atomic write (storage, render and import commands)', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const file = path.join(work, 'publicatie.pdf');
    writeFileSync(file, 'old');
    expect(await writeFileAtomic(file, Buffer.from('new bytes'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('new bytes');
    expect(readdirSync(work)).toEqual(['publicatie.pdf']);
  });

  it('with once, keeps the file that is there and says so; a new file gets the mode asked for', async () => {
    const dir = mkdtempSync(path.join(work, 'once-'));
    const file = path.join(dir, 'dataset.json');
    expect(await writeFileAtomic(file, '{"first":true}', { once: true, mode: 0o640 })).toBe(true);
    expect(await writeFileAtomic(file, '{"second":true}', { once: true, mode: 0o640 })).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('{"first":true}');
    expect(statSync(file).mode & 0o777).toBe(0o640 & ~process.umask());
    expect(readdirSync(dir)).toEqual(['dataset.json']);
  });

  it('fails when the folder is missing, and writes nothing', async () => {
    await expect(writeFileAtomic(path.join(work, 'missing', 'x.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
