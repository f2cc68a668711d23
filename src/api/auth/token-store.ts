import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { type Actor, isRole, type Role } from './roles.js';

/** The file under the storage root that holds the tokens' hashes. */
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

/** Tokens, stored as hashes in one JSON file under the storage root. */
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
  return createHash('sha256').update(token, 'utf8').digest('hex');
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

interface TokensFile {
  readonly version: 1;
  readonly tokens: readonly TokenRecord[];
}

function toInfo({ sha256: _hash, ...info }: TokenRecord): TokenInfo {
  return info;
}

function toActor(record: TokenRecord): Actor {
  return { id: record.id, name: record.name, role: record.role };
}

function parseTokensFile(text: string): TokenRecord[] {
  const data = JSON.parse(text) as Partial<TokensFile>;
  if (data.version !== 1 || !Array.isArray(data.tokens)) throw new Error('not a tokens file of version 1');
  for (const t of data.tokens) {
    if (!TOKEN_ID_PATTERN.test(t.id) || !isRole(t.role) || !/^[0-9a-f]{64}$/.test(t.sha256)) throw new Error('a token record is malformed');
  }
  return [...data.tokens];
}

/**
 * Creates the token store of a storage root. Reads are cached until the file changes (the CLI may
 * write it while the service runs: a new or revoked token counts from the next request). Writes
 * take a lock file, write a temporary file (mode 0600) and rename it into place.
 */
export function createTokenStore(storageDir: string, clock: () => Date = () => new Date()): TokenStore {
  const file = path.join(path.resolve(storageDir), TOKENS_FILE);
  let cache: { key: string; records: TokenRecord[]; hashes: Buffer[] } | undefined;

  async function load(): Promise<TokenRecord[]> {
    let key: string;
    try {
      const s = await stat(file);
      key = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        cache = { key: 'none', records: [], hashes: [] };
        return [];
      }
      throw new AppError('STORAGE_FAILED', 'storage: reading the tokens failed', { cause: error });
    }
    if (cache?.key === key) return cache.records;
    let records: TokenRecord[];
    try {
      records = parseTokensFile(await readFile(file, 'utf8'));
    } catch (error) {
      // Fail closed: a damaged tokens file lets nobody in.
      throw new AppError('STORAGE_FAILED', 'storage: the tokens file cannot be read', { cause: error });
    }
    cache = { key, records, hashes: records.map((r) => Buffer.from(r.sha256, 'hex')) };
    return records;
  }

  async function withLock<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(path.dirname(file), { recursive: true });
    const lock = `${file}.lock`;
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        await (await open(lock, 'wx', 0o600)).close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const age = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > 30_000) await rm(lock, { force: true });
        else if (Date.now() > deadline) throw new AppError('STORAGE_FAILED', `storage: the tokens file is locked (${TOKENS_FILE}.lock)`);
        else await new Promise((r) => setTimeout(r, 50));
      }
    }
    try {
      return await work();
    } finally {
      await rm(lock, { force: true });
    }
  }

  async function save(records: readonly TokenRecord[]): Promise<void> {
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify({ version: 1, tokens: records } satisfies TokensFile, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    cache = undefined;
  }

  return {
    async create({ name, role, createdBy }) {
      const checkedName = checkTokenName(name);
      if (!isRole(role)) throw new AppError('USAGE', 'the role must be reader, editor or admin');
      const token = generateToken();
      const record: TokenRecord = {
        id: `t_${randomBytes(6).toString('hex')}`,
        name: checkedName,
        role,
        sha256: hashToken(token),
        createdAt: clock().toISOString(),
        createdBy,
        revokedAt: null,
        revokedBy: null,
      };
      await withLock(async () => save([...(await load()), record]));
      return { token, info: toInfo(record) };
    },

    async list() {
      return (await load()).map(toInfo);
    },

    async revoke(id, revokedBy) {
      return withLock(async () => {
        const records = await load();
        const index = records.findIndex((r) => r.id === id);
        const found = records[index];
        if (!found) throw new AppError('NOT_FOUND', `there is no token "${String(id).slice(0, 40)}"`);
        if (found.revokedAt) return toInfo(found);
        const revoked: TokenRecord = { ...found, revokedAt: clock().toISOString(), revokedBy };
        await save(records.map((r, i) => (i === index ? revoked : r)));
        return toInfo(revoked);
      });
    },

    async verify(token) {
      if (!TOKEN_PATTERN.test(token)) return undefined;
      const records = await load();
      const hashes = cache?.hashes ?? [];
      const presented = createHash('sha256').update(token, 'utf8').digest();
      // Compare with every record in constant time; no early exit.
      let match: TokenRecord | undefined;
      records.forEach((record, i) => {
        const stored = hashes[i];
        if (stored && timingSafeEqual(stored, presented) && !record.revokedAt) match = record;
      });
      return match ? toActor(match) : undefined;
    },

    async findActive(id) {
      const record = (await load()).find((r) => r.id === id);
      return record && !record.revokedAt ? toActor(record) : undefined;
    },

    async count() {
      return (await load()).length;
    },
  };
}
