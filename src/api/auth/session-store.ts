import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../jobs/hash.js';
import type { Queryable } from '../../db/database.js';

/** The name of the session cookie. */
export const SESSION_COOKIE = 'rs_session';

/** A signed-in page: which token signed in, and the CSRF token its forms must send. */
export interface Session {
  /** The cookie value: 256 random bits. */
  readonly id: string;
  readonly tokenId: string;
  /** Sent back in the X-CSRF-Token header (or a form's `_csrf` field) with every state-changing request. */
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/**
 * The sessions of the page, in the record (table `sessions`): they survive a restart and every API
 * process knows them. Only the sha256 of a session id is stored.
 */
export interface SessionStore {
  create(tokenId: string): Promise<Session>;
  /** The session of a cookie value, if it exists and has not expired. */
  get(id: string): Promise<Session | undefined>;
  end(id: string): Promise<void>;
  /** Ends every session made with a token (when it is revoked). */
  endAllOf(tokenId: string): Promise<void>;
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** True when two secrets are equal, compared in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function hashId(id: string): string {
  return sha256Hex(id);
}

interface SessionRow {
  token_id: string;
  csrf_token: string;
  expires_at: Date | string;
}

/** Creates the session store of the record; sessions last `ttlMs` from sign-in. */
export function createSessionStore(db: Queryable, ttlMs: number, clock: () => Date = () => new Date()): SessionStore {
  return {
    async create(tokenId) {
      const now = clock();
      // Expired sessions go as new ones come: the table holds live sessions only (and recent ones).
      await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now.toISOString()]);
      const session: Session = {
        id: randomBytes(32).toString('base64url'),
        tokenId,
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: now.getTime() + ttlMs,
      };
      await db.query('INSERT INTO sessions (id_sha256, token_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        hashId(session.id),
        tokenId,
        session.csrfToken,
        now.toISOString(),
        new Date(session.expiresAt).toISOString(),
      ]);
      return session;
    },
    async get(id) {
      if (!SESSION_ID_PATTERN.test(id)) return undefined;
      const rows = await db.query<SessionRow>('SELECT token_id, csrf_token, expires_at FROM sessions WHERE id_sha256 = $1', [hashId(id)]);
      const row = rows[0];
      if (!row) return undefined;
      const expiresAt = new Date(row.expires_at).getTime();
      if (expiresAt <= clock().getTime()) return undefined;
      return { id, tokenId: row.token_id, csrfToken: row.csrf_token, expiresAt };
    },
    async end(id) {
      if (SESSION_ID_PATTERN.test(id)) await db.query('DELETE FROM sessions WHERE id_sha256 = $1', [hashId(id)]);
    },
    async endAllOf(tokenId) {
      await db.query('DELETE FROM sessions WHERE token_id = $1', [tokenId]);
    },
  };
}
