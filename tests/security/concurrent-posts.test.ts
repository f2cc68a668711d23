import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/jobs/index.js';
import { type JobBody, originalJson } from '../integration/helpers.js';
import { type AuditLine, postJob, readAudit, type SecureStack, startSecureStack } from './helpers.js';

const POSTS = 30;

/**
 * The API's storage, holding every request that stores its dataset until all POSTS have stored
 * theirs: the requests then reach the queue together, as identical posts on several cores or API
 * instances do (on one busy core they would mostly arrive one after the other).
 */
function meetingStorage(storage: Storage): Storage {
  let arrived = 0;
  let release: () => void = () => {};
  const together = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    ...storage,
    async putDataset(bytes) {
      const hash = await storage.putDataset(bytes);
      arrived += 1;
      if (arrived === POSTS) release();
      await together;
      return hash;
    },
  };
}

describe('identical render requests at the same moment', () => {
  let stack: SecureStack;

  beforeAll(async () => {
    // No worker: the job stays queued, so every answer is about the one queued job.
    stack = await startSecureStack({ label: 'concurrent', worker: false, wrapStorage: meetingStorage });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it(`of ${POSTS} identical posts exactly one answers "created" (202), the others name the same job (200), and the audit log records one creation`, async () => {
    const body = { dataset: originalJson() };
    const answers = await Promise.all(
      Array.from({ length: POSTS }, async () => {
        const res = await postJob(stack, 'editor', body);
        return { status: res.status, job: (await res.json()) as JobBody };
      }),
    );
    const ids = new Set(answers.map((a) => a.job.id));
    expect(ids.size).toBe(1);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(POSTS - 1);

    const jobId = [...ids][0];
    const requested = (lines: AuditLine[]) => lines.filter((l) => l.action === 'render.requested' && l.object.jobId === jobId);
    const { lines } = await readAudit(stack.api.access.audit, (l) => requested(l).length >= POSTS);
    const entries = requested(lines);
    expect(entries).toHaveLength(POSTS);
    expect(entries.filter((l) => l.object.created === true)).toHaveLength(1);
    expect(entries.filter((l) => l.object.created === false)).toHaveLength(POSTS - 1);
  });
});
