import path from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { createPgDatabase } from './pg-database.js';
import { createPgliteDatabase } from './pglite-database.js';

/** The folder under the storage root that holds the embedded database. */
export const PGLITE_DIR = 'pglite';

/** Where the record lives: a PostgreSQL server, or the embedded database in the storage root. */
export interface DatabaseTarget {
  readonly databaseUrl: string | undefined;
  readonly storageDir: string;
}

/** A URL with its password masked, for the log. */
export function maskDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Opens the record and applies its migrations: the server of DATABASE_URL, or else (one process
 * only) the embedded PGlite database under `<storage>/pglite`. Says in the log which one it is.
 */
export async function openDatabase(target: DatabaseTarget, logger?: Logger): Promise<Database> {
  if (target.databaseUrl) {
    const db = createPgDatabase(target.databaseUrl);
    try {
      const applied = await migrateToLatest(db);
      logger?.info({ database: maskDatabaseUrl(target.databaseUrl), migrationsApplied: applied }, 'record: PostgreSQL server');
    } catch (error) {
      await db.close().catch(() => {});
      throw error instanceof AppError
        ? error
        : new AppError(
            'DATABASE_FAILED',
            `the database at ${maskDatabaseUrl(target.databaseUrl)} cannot be reached: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
    }
    return db;
  }
  const dir = path.join(target.storageDir, PGLITE_DIR);
  const db = await createPgliteDatabase(dir);
  try {
    const applied = await migrateToLatest(db);
    logger?.info(
      { dataDir: dir, migrationsApplied: applied },
      'record: embedded PostgreSQL (PGlite) in the storage directory, since DATABASE_URL is not set; ' +
        'one process only: set DATABASE_URL to run more API processes or workers',
    );
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}

/** The message for a process that needs a shared database and has none. */
export function needsDatabaseUrl(what: string): AppError {
  return new AppError(
    'CONFIG_INVALID',
    `${what} needs DATABASE_URL (a PostgreSQL server shared by all processes): without it only one \`npm start\` ` +
      'process keeps the record, in an embedded database in the storage directory that no other process may open',
  );
}
