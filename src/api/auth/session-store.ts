import { randomBytes, timingSafeEqual } from 'node:crypto';

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

/** The sessions of this process (in memory: a restart signs everyone out). */
export interface SessionStore {
  create(tokenId: string): Session;
  /** The session of a cookie value, if it exists and has not expired. */
  get(id: string): Session | undefined;
  end(id: string): void;
  /** Ends every session made with a token (when it is revoked). */
  endAllOf(tokenId: string): void;
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_SESSIONS = 10_000;

/** True when two secrets are equal, compared in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Creates a session store whose sessions last `ttlMs` from sign-in. */
export function createSessionStore(ttlMs: number, clock: () => Date = () => new Date()): SessionStore {
  const sessions = new Map<string, Session>();

  function prune(): void {
    const now = clock().getTime();
    for (const [id, s] of sessions) if (s.expiresAt <= now) sessions.delete(id);
    // Still full: drop the oldest (Map keeps insertion order).
    for (const id of sessions.keys()) {
      if (sessions.size < MAX_SESSIONS) break;
      sessions.delete(id);
    }
  }

  return {
    create(tokenId) {
      prune();
      const session: Session = {
        id: randomBytes(32).toString('base64url'),
        tokenId,
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: clock().getTime() + ttlMs,
      };
      sessions.set(session.id, session);
      return session;
    },
    get(id) {
      if (!SESSION_ID_PATTERN.test(id)) return undefined;
      const session = sessions.get(id);
      if (!session) return undefined;
      if (session.expiresAt <= clock().getTime()) {
        sessions.delete(id);
        return undefined;
      }
      return session;
    },
    end(id) {
      sessions.delete(id);
    },
    endAllOf(tokenId) {
      for (const [id, s] of sessions) if (s.tokenId === tokenId) sessions.delete(id);
    },
  };
}
