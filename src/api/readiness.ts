import { randomBytes } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../db/database.js';

/**
 * One check of GET /readyz besides Redis and the workers: resolves to undefined when ready, or to
 * the reason why not (shown in the 503 answer and the log). The record's database adds its own
 * check here (e.g. `SELECT 1` with a timeout), next to storage.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<string | undefined>;
}

/** Ready when a file can be created, written and removed in the storage directory. */
export function storageWritable(storageDir: string): ReadinessCheck {
  return {
    name: 'storage',
    async check() {
      const probe = path.join(storageDir, `.readyz-${process.pid}-${randomBytes(4).toString('hex')}`);
      try {
        const handle = await open(probe, 'wx', 0o600);
        try {
          await handle.writeFile('ready\n');
        } finally {
          await handle.close();
        }
        await unlink(probe);
        return undefined;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        return `the storage directory is not writable (${code})`;
      }
    },
  };
}

/** The reasons of the checks that fail, in order; empty when all pass. */
export async function failingChecks(checks: readonly ReadinessCheck[]): Promise<string[]> {
  const reasons = await Promise.all(
    checks.map(async (c) => {
      const reason = await c.check();
      return reason === undefined ? undefined : `${c.name}: ${reason}`;
    }),
  );
  return reasons.filter((r): r is string => r !== undefined);
}

/** Ready when the record's database answers a query (PostgreSQL server or the embedded PGlite). */
export function databaseReachable(db: Queryable, timeoutMs = 2_000): ReadinessCheck {
  return {
    name: 'database',
    async check() {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          db.query('SELECT 1'),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
          }),
        ]);
        return undefined;
      } catch (error) {
        return `the database does not answer (${error instanceof Error ? error.message.slice(0, 120) : 'error'})`;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
