// Issue 15 point 6: stored files are readable by the service's user and group only (0640), folders 0750.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsStorage } from '../../../src/jobs/fs-storage.js';

describe('file modes of the storage', () => {
  let dir: string;
  const previousUmask = process.umask(0o022);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'render-modes-'));
  });
  afterAll(async () => {
    process.umask(previousUmask);
    await rm(dir, { recursive: true, force: true });
  });

  it('writes datasets and artifacts 0640 in folders 0750', async () => {
    const storage = createFsStorage(dir);
    const hash = await storage.putDataset(Buffer.from('{"a":1}'));
    const jobId = `r-${'a'.repeat(64)}`;
    await storage.putArtifact(jobId, { name: 'publicatie.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-') });
    const mode = async (...parts: string[]) => (await stat(path.join(dir, ...parts))).mode & 0o777;
    expect((await mode('datasets', `${hash}.json`)).toString(8)).toBe('640');
    expect((await mode('jobs', jobId, 'publicatie.pdf')).toString(8)).toBe('640');
    expect((await mode('jobs', jobId)).toString(8)).toBe('750');
  });
});
