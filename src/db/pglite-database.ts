import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { AppError } from '../errors.js';
import type { Database, Queryable } from './database.js';

/**
 * The embedded PostgreSQL (PGlite) with its data in `dataDir`, or in memory when it is undefined.
 * One process only: PGlite is a single connection, so it must never be opened by two processes.
 */
export async function createPgliteDatabase(dataDir: string | undefined): Promise<Database & { readonly pglite: PGlite }> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    kind: 'pglite',
    pglite: db,
    async query<R>(text: string, params: readonly unknown[] = []) {
      return (await db.query<R>(text, [...params])).rows;
    },
    transaction(work) {
      return db.transaction((t) => {
        const tx: Queryable = {
          async query<R>(text: string, params: readonly unknown[] = []) {
            return (await t.query<R>(text, [...params])).rows;
          },
        };
        return work(tx);
      });
    },
    async close() {
      if (!db.closed) await db.close();
      unlock();
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file beside the embedded database (`<dataDir>.lock`, holding the process id), so
 * that a second process (another `npm start`, `npm run token` while the service runs) is refused
 * rather than corrupting it. A lock left by a process that is gone is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lock = `${path.resolve(dataDir)}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new AppError(
          'CONFIG_INVALID',
          `the embedded database in ${path.dirname(lock)} is in use by process ${pid} (npm start?): only one process may open it; ` +
            'stop that process, or set DATABASE_URL to a PostgreSQL server that every process shares',
        );
      }
      rmSync(lock, { force: true });
    }
  }
  throw new AppError('CONFIG_INVALID', `the lock of the embedded database (${lock}) cannot be taken`);
}
