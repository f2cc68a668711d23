import os from 'node:os';
import type { Logger } from 'pino';
import type { Queryable } from '../../db/database.js';
import type { Actor } from './roles.js';

/** The file under the storage root that the audit log was appended to before it moved into the database (imported once). */
export const AUDIT_FILE = 'audit.log';

/** What happened. */
export type AuditAction =
  | 'dataset.uploaded'
  | 'dataset.validated'
  | 'render.requested'
  | 'artifact.downloaded'
  | 'token.created'
  | 'token.revoked'
  | 'session.created'
  | 'session.ended'
  | 'access.denied'
  | 'draft.created'
  | 'findings.accepted'
  | 'draft.approved'
  | 'draft.rejected'
  | 'edition.released'
  | 'edition.withdrawn'
  | 'record.imported'
  | 'draft.removed'
  | 'retention.removed';

/** A value in an audit entry's object: short plain data, never a token. */
export type AuditValue = string | number | boolean | null;

/** One line of the audit log. */
export interface AuditEntry {
  /** ISO date-time. */
  readonly at: string;
  /** The token's id, name and role (never the token); null for an anonymous request; for the CLI, id "cli". */
  readonly actor: Actor | { readonly id: string; readonly name: string; readonly role: null } | null;
  readonly action: AuditAction;
  /** Which object: job id, artifact name, publication, dataset hash, token id, the denied route. */
  readonly object: Readonly<Record<string, AuditValue>>;
  /** The client address (as Express sees it, behind TRUST_PROXY); null for the CLI. */
  readonly ip: string | null;
  /** Why access was denied, for `access.denied`. */
  readonly reason?: string;
}

/** The actor of a command-line tool in the audit log: id "cli" and the user who ran it. */
export function cliActor(): { readonly id: string; readonly name: string; readonly role: null } {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {}
  return { id: 'cli', name: `cli:${user}`, role: null };
}

/** The audit log in the record (table `audit_log`): append-only, no UPDATE or DELETE is granted or let through. */
export interface AuditLog {
  /** Appends one entry; never throws (a failure is logged). */
  record(entry: Omit<AuditEntry, 'at'> & { readonly at?: string }): Promise<void>;
  /** Appends one entry in a transaction of the caller; throws when it cannot (the caller's change is then rolled back). */
  recordIn(tx: Queryable, entry: Omit<AuditEntry, 'at'> & { readonly at?: string }): Promise<void>;
  /** The newest entries first, `limit` of them from sequence number `before` down (for the page and the API). */
  list(options?: { readonly limit?: number; readonly before?: number }): Promise<(AuditEntry & { readonly seq: number })[]>;
}

function clean(object: Readonly<Record<string, AuditValue>>): Record<string, AuditValue> {
  const out: Record<string, AuditValue> = {};
  for (const [key, value] of Object.entries(object)) out[key] = typeof value === 'string' ? value.slice(0, 200) : value;
  return out;
}

interface AuditRow {
  seq: string | number;
  at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: AuditAction;
  object: Record<string, AuditValue>;
  ip: string | null;
  reason: string | null;
}

/** Creates the audit log of the record. */
export function createAuditLog(db: Queryable, options: { logger?: Logger; clock?: () => Date } = {}): AuditLog {
  const clock = options.clock ?? (() => new Date());
  async function insert(tx: Queryable, entry: Omit<AuditEntry, 'at'> & { readonly at?: string }): Promise<void> {
    await tx.query(
      'INSERT INTO audit_log (at, actor_id, actor_name, actor_role, action, object, ip, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        entry.at ?? clock().toISOString(),
        entry.actor?.id ?? null,
        entry.actor?.name ?? null,
        entry.actor?.role ?? null,
        entry.action,
        JSON.stringify(clean(entry.object)),
        entry.ip,
        entry.reason ? entry.reason.slice(0, 200) : null,
      ],
    );
  }
  return {
    async record(entry) {
      try {
        await insert(db, entry);
      } catch (error) {
        options.logger?.error({ err: error, action: entry.action }, 'could not write the audit log');
      }
    },
    recordIn: insert,
    async list({ limit = 200, before } = {}) {
      const rows = await db.query<AuditRow>('SELECT * FROM audit_log WHERE ($1::bigint IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2', [
        before ?? null,
        Math.min(Math.max(1, limit), 1000),
      ]);
      return rows.map((r) => ({
        seq: Number(r.seq),
        at: new Date(r.at).toISOString(),
        actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '', role: (r.actor_role as Actor['role'] | null) ?? null } : null,
        action: r.action,
        object: r.object,
        ip: r.ip,
        ...(r.reason ? { reason: r.reason } : {}),
      })) as (AuditEntry & { seq: number })[];
    },
  };
}
