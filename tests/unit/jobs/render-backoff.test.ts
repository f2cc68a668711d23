import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { attemptsAllowed, RENDER_BACKOFF, renderBackoff, STORAGE_RETRY, toJobOptions } from '../../../src/jobs/render-job.js';

const policy = { attempts: 3, retryDelayMs: 2_000 };
const options = toJobOptions('r-0', policy);
const job = { opts: options } as Job;

/** The waits BullMQ would take after each failed attempt with `message`, until the strategy or the attempts say stop. */
function waits(message: string): number[] {
  const out: number[] = [];
  for (let made = 1; made < (options.attempts ?? 1); made++) {
    const delay = renderBackoff(made, RENDER_BACKOFF, new Error(message), job) as number;
    if (delay === -1) break;
    out.push(delay);
  }
  return out;
}

describe('retries of render jobs', () => {
  it('a job carries the render backoff with the policy, and enough attempts for storage faults', () => {
    expect(options.backoff).toEqual({ type: RENDER_BACKOFF, delay: 2_000, attempts: 3 });
    expect(options.attempts).toBe(STORAGE_RETRY.attempts);
    expect(toJobOptions('r-0', { attempts: 12, retryDelayMs: 1 }).attempts).toBe(12);
  });

  it('a storage fault is retried from 5 s, doubling up to 2 minutes, over more than 5 minutes', () => {
    const storage = waits('STORAGE_FAILED: storage: the storage directory is not writable (EROFS)');
    expect(storage).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000]);
    expect(storage.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5 * 60_000);
  });

  it('other transient faults keep the policy: exponential from its delay, its attempts in all', () => {
    expect(waits('RENDER_FAILED: rendering failed for a reason outside the dataset (see the worker log)')).toEqual([2_000, 4_000]);
  });

  it('shows the attempts that apply: those of storage faults while storage fails, else the policy’s', () => {
    expect(attemptsAllowed(options, 'STORAGE_FAILED: storage: storing artifact failed (EIO)')).toBe(STORAGE_RETRY.attempts);
    expect(attemptsAllowed(options, 'JOB_TIMEOUT: the render took longer than 150 ms')).toBe(3);
    expect(attemptsAllowed(options, undefined)).toBe(3);
    // Jobs queued before the render backoff keep their own attempts.
    expect(attemptsAllowed({ attempts: 3, backoff: { type: 'exponential', delay: 200 } }, undefined)).toBe(3);
  });
});
