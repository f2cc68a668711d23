import pg from 'pg';
import type { Database, Queryable } from './database.js';

/** The PostgreSQL server of `url` through a `pg` pool. */
export function createPgDatabase(url: string, options: { readonly maxConnections?: number } = {}): Database & { readonly pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server is dropped by the pool; the next query gets a new one.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    pool,
    async query<R>(text: string, params: readonly unknown[] = []) {
      return (await pool.query(text, [...params])).rows as R[];
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<R>(text: string, params: readonly unknown[] = []) {
            return (await client.query(text, [...params])).rows as R[];
          },
        };
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
