import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { Migrator } from 'kysely/migration';
import type pg from 'pg';
import { AppError } from '../errors.js';
import { migrationProvider } from './migrations.js';

/** The first word of a statement, as pg reports it in `command` (Kysely reads it). */
function commandOf(text: string): string {
  return /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
}

/** PGlite as the one-connection pool Kysely's Postgres dialect expects. */
function pgliteAsPool(db: PGlite): PostgresPool {
  const client: PostgresPoolClient = {
    // Kysely's PostgresClient.query also has a cursor overload, which this dialect never uses.
    query: (async (text: string, params: readonly unknown[]) => {
      const result = await db.query(text, [...params]);
      return { command: commandOf(text), rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
    }) as PostgresPoolClient['query'],
    release() {},
  };
  return { options: {}, connect: async () => client, end: async () => {} };
}

/**
 * Applies every migration not yet applied. Kysely's Migrator takes an advisory lock, so API
 * processes starting at once apply each migration once. Throws DATABASE_FAILED naming the migration.
 */
export async function migrateToLatest(target: { readonly pool: pg.Pool } | { readonly pglite: PGlite }): Promise<string[]> {
  const pool = 'pool' in target ? (target.pool as unknown as PostgresPool) : pgliteAsPool(target.pglite);
  const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { error, results = [] } = await new Migrator({ db: kysely, provider: migrationProvider }).migrateToLatest();
    if (error) {
      const failed = results.find((r) => r.status === 'Error')?.migrationName ?? '(none)';
      throw new AppError('DATABASE_FAILED', `the database migration ${failed} failed: ${(error as Error).message}`, { cause: error });
    }
    return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  } finally {
    // Ends nothing of the pg pool (it is the caller's); Kysely's destroy would end it.
    if (!('pool' in target)) await kysely.destroy();
  }
}
