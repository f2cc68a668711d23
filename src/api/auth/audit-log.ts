import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Actor } from './roles.js';

/** The file under the storage root that the audit log is appended to. */
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
  | 'access.denied';

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

/** Appends entries to `audit.log` in the storage root: one JSON object per line, never rewritten. */
export interface AuditLog {
  /** Appends one entry; never throws (a failure is logged). */
  record(entry: Omit<AuditEntry, 'at'> & { readonly at?: string }): Promise<void>;
}

function clean(object: Readonly<Record<string, AuditValue>>): Record<string, AuditValue> {
  const out: Record<string, AuditValue> = {};
  for (const [key, value] of Object.entries(object)) out[key] = typeof value === 'string' ? value.slice(0, 200) : value;
  return out;
}

/** Creates the audit log of a storage root. Lines are written in order, each with one append (O_APPEND). */
export function createAuditLog(storageDir: string, options: { logger?: Logger; clock?: () => Date } = {}): AuditLog {
  const file = path.join(path.resolve(storageDir), AUDIT_FILE);
  const clock = options.clock ?? (() => new Date());
  let tail: Promise<void> = Promise.resolve();
  return {
    record(entry) {
      const line: AuditEntry = {
        at: entry.at ?? clock().toISOString(),
        actor: entry.actor ? { id: entry.actor.id, name: entry.actor.name, role: entry.actor.role } : null,
        action: entry.action,
        object: clean(entry.object),
        ip: entry.ip,
        ...(entry.reason ? { reason: entry.reason.slice(0, 200) } : {}),
      };
      const text = `${JSON.stringify(line)}\n`;
      tail = tail.then(async () => {
        try {
          await mkdir(path.dirname(file), { recursive: true });
          await appendFile(file, text, { mode: 0o600, flag: 'a' });
        } catch (error) {
          options.logger?.error({ err: error, action: line.action }, 'could not write the audit log');
        }
      });
      return tail;
    },
  };
}
