// The system of record of the service: one small interface over PostgreSQL, implemented by the
// `pg` pool (a PostgreSQL server, many processes) and by embedded PGlite (one process, no server).
// Both speak the same SQL and run the same migrations (migrations.ts).

/** Something that runs SQL: the database itself, or one transaction of it. */
export interface Queryable {
  /** Runs one statement with $1.. parameters and returns its rows. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** The database of the service. */
export interface Database extends Queryable {
  /** `postgres` for a server reached through DATABASE_URL, `pglite` for the embedded one. */
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. In
   * PostgreSQL each transaction has its own connection; PGlite runs one transaction at a time.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
