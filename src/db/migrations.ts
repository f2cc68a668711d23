import { type Kysely, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

// The schema of the record, as Kysely migrations kept in code (no migration folder to ship or
// find at run time). Each migration is a list of single statements: PGlite's extended protocol
// runs one statement per query, and the server runs them the same way. Never edit a migration
// that has shipped; add the next one.

function statements(list: readonly string[]): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const statement of list) await sql.raw(statement).execute(db);
    },
  };
}

/** The first schema: tokens, sessions, the audit log, drafts, reviews, editions, releases, withdrawals. */
const RECORD_V1 = [
  `CREATE TABLE tokens (
     id text PRIMARY KEY CHECK (id ~ '^t_[0-9a-f]{12}$'),
     name text NOT NULL,
     role text NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
     sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
     created_at timestamptz NOT NULL,
     created_by text NOT NULL,
     revoked_at timestamptz,
     revoked_by text
   )`,
  // The session id is the cookie value; only its sha256 is stored.
  `CREATE TABLE sessions (
     id_sha256 text PRIMARY KEY,
     token_id text NOT NULL REFERENCES tokens (id),
     csrf_token text NOT NULL,
     created_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL
   )`,
  'CREATE INDEX sessions_token_id ON sessions (token_id)',
  'CREATE INDEX sessions_expires_at ON sessions (expires_at)',
  `CREATE TABLE audit_log (
     seq bigserial PRIMARY KEY,
     at timestamptz NOT NULL,
     actor_id text,
     actor_name text,
     actor_role text,
     action text NOT NULL,
     object jsonb NOT NULL,
     ip text,
     reason text
   )`,
  // Append-only: no UPDATE, DELETE or TRUNCATE granted to anyone, and refused by triggers even for
  // the owner and superusers (who bypass grants).
  'REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC',
  `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
  `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
  // The last edition number given out per publication: approval increments it in its transaction.
  `CREATE TABLE publications (
     id text PRIMARY KEY,
     last_edition integer NOT NULL DEFAULT 0 CHECK (last_edition >= 0)
   )`,
  `CREATE TABLE drafts (
     id text PRIMARY KEY,
     publication_id text NOT NULL,
     job_id text NOT NULL,
     dataset_hash text NOT NULL,
     corrects_edition integer,
     previous_dataset_hash text,
     erratum jsonb,
     requested_release_at timestamptz,
     release_at timestamptz NOT NULL,
     created_by_id text NOT NULL,
     created_by_name text NOT NULL,
     created_at timestamptz NOT NULL,
     state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
     changed_cells jsonb,
     -- Check findings and the recorded acceptance of warnings (issue 13): opaque JSON here.
     findings jsonb,
     accepted_warnings jsonb
   )`,
  'CREATE INDEX drafts_publication ON drafts (publication_id, created_at)',
  `CREATE TABLE reviews (
     id bigserial PRIMARY KEY,
     draft_id text NOT NULL UNIQUE REFERENCES drafts (id),
     decision text NOT NULL CHECK (decision IN ('approved', 'rejected')),
     comment text NOT NULL,
     reviewer_id text NOT NULL,
     reviewer_name text NOT NULL,
     at timestamptz NOT NULL
   )`,
  `CREATE TABLE editions (
     publication_id text NOT NULL REFERENCES publications (id),
     edition integer NOT NULL CHECK (edition >= 1),
     draft_id text UNIQUE REFERENCES drafts (id),
     job_id text NOT NULL,
     -- The render job as queued, to queue it again should the queue have lost it.
     job_data jsonb NOT NULL,
     dataset_hash text NOT NULL,
     corrects_edition integer,
     erratum jsonb,
     release_at timestamptz NOT NULL,
     approved_at timestamptz NOT NULL,
     approved_by_id text NOT NULL,
     approved_by_name text NOT NULL,
     manifest jsonb,
     PRIMARY KEY (publication_id, edition),
     FOREIGN KEY (publication_id, corrects_edition) REFERENCES editions (publication_id, edition)
   )`,
  `CREATE TABLE releases (
     publication_id text NOT NULL,
     edition integer NOT NULL,
     released_at timestamptz NOT NULL,
     recorded_at timestamptz NOT NULL,
     PRIMARY KEY (publication_id, edition),
     FOREIGN KEY (publication_id, edition) REFERENCES editions (publication_id, edition)
   )`,
  `CREATE TABLE withdrawals (
     publication_id text NOT NULL,
     edition integer NOT NULL,
     reason text NOT NULL CHECK (length(reason) > 0),
     withdrawn_by_id text NOT NULL,
     withdrawn_by_name text NOT NULL,
     at timestamptz NOT NULL,
     PRIMARY KEY (publication_id, edition),
     FOREIGN KEY (publication_id, edition) REFERENCES editions (publication_id, edition)
   )`,
] as const;

/** The templates a draft renders with (issue 16): their hash in storage, and the edition they were kept with (null: the current ones). */
const DRAFT_TEMPLATES = [
  'ALTER TABLE drafts ADD COLUMN templates_hash text',
  'ALTER TABLE drafts ADD COLUMN templates_edition integer',
] as const;

/**
 * The render job of a draft as queued, so that a draft whose render could not be queued when it was
 * made (Redis unreachable) or that the queue lost is queued again when an editor looks at it, as an
 * edition's final render is (editions.job_data). Null for drafts made before.
 */
const DRAFT_JOB_DATA = ['ALTER TABLE drafts ADD COLUMN job_data jsonb'] as const;

/** Every migration of the record, by name (applied in name order). */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_record': statements(RECORD_V1),
  '0002_draft_templates': statements(DRAFT_TEMPLATES),
  '0003_draft_job_data': statements(DRAFT_JOB_DATA),
};

/** Gives Kysely's Migrator the migrations above. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return { ...MIGRATIONS };
  },
};
