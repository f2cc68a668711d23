import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../jobs/hash.js';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { type Actor, isRole, type Role } from './roles.js';

/** The file under the storage root that held the tokens' hashes before the record moved into the database (imported once). */
export const TOKENS_FILE = 'tokens.json';

/** A token as stored: its sha256, never the token. */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** Hex sha256 of the token. */
  readonly sha256: string;
  readonly createdAt: string;
  /** Who created it: "cli:<user>" or the id of the admin token that did. */
  readonly createdBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

/** What may be shown of a token: everything but its hash. */
export type TokenInfo = Omit<TokenRecord, 'sha256'>;

/** Tokens, stored as hashes in the record (table `tokens`). */
export interface TokenStore {
  /** Makes a token; the token itself is in the answer only, it is never stored. */
  create(input: { name: string; role: Role; createdBy: string }): Promise<{ token: string; info: TokenInfo }>;
  /** Every token ever made, revoked ones included, oldest first. */
  list(): Promise<TokenInfo[]>;
  /** Revokes a token by id (at once, also for its sessions); throws NOT_FOUND. Revoking twice keeps the first moment. */
  revoke(id: string, revokedBy: string): Promise<TokenInfo>;
  /** The actor of a token that exists and is not revoked. */
  verify(token: string): Promise<Actor | undefined>;
  /** The actor of an active token id (for a session made with it). */
  findActive(id: string): Promise<Actor | undefined>;
  /** How many tokens were ever made: 0 means "no token configured". */
  count(): Promise<number>;
}

/** Tokens look like `rs_` and 43 base64url characters (256 random bits). */
export const TOKEN_PATTERN = /^rs_[A-Za-z0-9_-]{43}$/;
/** Token ids: `t_` and 12 hex digits; safe to show and to log. */
export const TOKEN_ID_PATTERN = /^t_[0-9a-f]{12}$/;
/** Token names: 1 to 80 characters without control characters. */
const TOKEN_NAME_PATTERN = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{1,80}$/u;

/** The hex sha256 of a token. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

/** A new token: 256 random bits. */
export function generateToken(): string {
  return `rs_${randomBytes(32).toString('base64url')}`;
}

/** Checks a token name; throws USAGE naming the rule. */
export function checkTokenName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!TOKEN_NAME_PATTERN.test(trimmed)) {
    throw new AppError('USAGE', 'a token needs a name of 1 to 80 characters without control characters, e.g. --name "Jan de Vries"');
  }
  return trimmed;
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date | string;
  created_by: string;
  revoked_at: Date | string | null;
  revoked_by: string | null;
}

const COLUMNS = 'id, name, role, created_at, created_by, revoked_at, revoked_by';

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function toInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: iso(row.created_at) ?? '',
    createdBy: row.created_by,
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by,
  };
}

function toActor(row: TokenRow): Actor {
  return { id: row.id, name: row.name, role: row.role };
}

/**
 * Creates the token store of the record (table `tokens`). A token made or revoked by the CLI or by
 * another API process counts from the next request. Tokens are looked up by their sha256: the
 * presented token is hashed first, so the lookup reveals nothing about stored tokens' bytes.
 */
export function createTokenStore(db: Queryable, clock: () => Date = () => new Date()): TokenStore {
  return {
    async create({ name, role, createdBy }) {
      const checkedName = checkTokenName(name);
      if (!isRole(role)) throw new AppError('USAGE', 'the role must be reader, editor or admin');
      const token = generateToken();
      const rows = await db.query<TokenRow>(
        `INSERT INTO tokens (id, name, role, sha256, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [`t_${randomBytes(6).toString('hex')}`, checkedName, role, hashToken(token), clock().toISOString(), createdBy],
      );
      return { token, info: toInfo(rows[0] as TokenRow) };
    },

    async list() {
      return (await db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens ORDER BY created_at, id`)).map(toInfo);
    },

    async revoke(id, revokedBy) {
      if (!TOKEN_ID_PATTERN.test(String(id))) throw new AppError('NOT_FOUND', `there is no token "${String(id).slice(0, 40)}"`);
      // Revoking twice keeps the first moment; the token's sessions end with it.
      await db.query('UPDATE tokens SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL', [
        id,
        clock().toISOString(),
        revokedBy,
      ]);
      await db.query('DELETE FROM sessions WHERE token_id = $1', [id]);
      const rows = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE id = $1`, [id]);
      if (!rows[0]) throw new AppError('NOT_FOUND', `there is no token "${String(id).slice(0, 40)}"`);
      return toInfo(rows[0]);
    },

    async verify(token) {
      if (!TOKEN_PATTERN.test(token)) return undefined;
      const rows = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE sha256 = $1 AND revoked_at IS NULL`, [hashToken(token)]);
      return rows[0] ? toActor(rows[0]) : undefined;
    },

    async findActive(id) {
      const rows = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE id = $1 AND revoked_at IS NULL`, [id]);
      return rows[0] ? toActor(rows[0]) : undefined;
    },

    async count() {
      const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tokens');
      return rows[0]?.n ?? 0;
    },
  };
}
