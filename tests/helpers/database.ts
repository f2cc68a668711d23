import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createPgDatabase } from '../../src/db/pg-database.js';
import { createPgliteDatabase } from '../../src/db/pglite-database.js';

/** The PostgreSQL server of this machine (trust auth); TEST_PG_URL overrides it. */
export const PG_SERVER_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The two drivers of the record the tests run against. */
export const DATABASE_KINDS = ['postgres', 'pglite'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** A migrated database of a test's own, removed by `drop`. */
export interface TestDatabase {
  readonly db: Database;
  /** For postgres: the URL of the test's own database (for more processes); undefined for PGlite. */
  readonly url: string | undefined;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the server with a unique name and returns its URL (not migrated). */
export async function createServerDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rt_${label.replace(/[^a-z0-9]/g, '_')}_${randomUUID().slice(0, 8)}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

/** A migrated test database: on the server (a new database of its own) or an in-memory PGlite. */
export async function openTestDatabase(kind: DatabaseKind, label = 'test'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await createPgliteDatabase(undefined);
    await migrateToLatest(db);
    return { db, url: undefined, drop: () => db.close() };
  }
  const server = await createServerDatabase(label);
  const db = createPgDatabase(server.url);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.close();
    await server.drop();
    throw error;
  }
  return {
    db,
    url: server.url,
    async drop() {
      await db.close();
      await server.drop();
    },
  };
}
