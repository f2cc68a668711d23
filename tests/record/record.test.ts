import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, createTokenStore } from '../../src/api/index.js';
import { createSessionStore } from '../../src/api/auth/session-store.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createPgDatabase } from '../../src/db/pg-database.js';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../helpers/database.js';

describe.each(DATABASE_KINDS)('the record on %s', (kind) => {
  let record: TestDatabase;

  beforeAll(async () => {
    record = await openTestDatabase(kind, 'record');
  });
  afterAll(async () => {
    await record?.drop();
  });

  it('applies its migrations once: a second start applies none', async () => {
    const target = kind === 'postgres' ? createPgDatabase(record.url as string) : record.db;
    try {
      expect(await migrateToLatest(target as unknown as Parameters<typeof migrateToLatest>[0])).toEqual([]);
    } finally {
      if (target !== record.db) await target.close();
    }
    const tables = await record.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'audit_log',
        'drafts',
        'editions',
        'publications',
        'releases',
        'reviews',
        'sessions',
        'tokens',
        'withdrawals',
      ]),
    );
  });

  it('keeps tokens as hashes: a token verifies until it is revoked, and its sessions end with it', async () => {
    const tokens = createTokenStore(record.db);
    const { token, info } = await tokens.create({ name: 'Eva Redacteur', role: 'editor', createdBy: 'test' });
    expect(JSON.stringify(await record.db.query('SELECT * FROM tokens'))).not.toContain(token);
    expect(await tokens.verify(token)).toEqual({ id: info.id, name: 'Eva Redacteur', role: 'editor' });
    const sessions = createSessionStore(record.db, 60_000);
    const session = await sessions.create(info.id);
    expect(await sessions.get(session.id)).toMatchObject({ tokenId: info.id, csrfToken: session.csrfToken });
    expect(JSON.stringify(await record.db.query('SELECT * FROM sessions'))).not.toContain(session.id);
    const revoked = await tokens.revoke(info.id, 'test');
    expect(revoked.revokedAt).not.toBeNull();
    expect(await tokens.verify(token)).toBeUndefined();
    expect(await sessions.get(session.id)).toBeUndefined();
    expect((await tokens.revoke(info.id, 'again')).revokedAt).toBe(revoked.revokedAt);
  });

  it('a session made through one connection pool (one API process) is known to another, and expires', async () => {
    const { info } = await createTokenStore(record.db).create({ name: 'Bram', role: 'reader', createdBy: 'test' });
    let now = new Date('2030-01-01T00:00:00Z');
    const first = createSessionStore(record.db, 60_000, () => now);
    const other = kind === 'postgres' ? createPgDatabase(record.url as string) : record.db;
    try {
      const second = createSessionStore(other, 60_000, () => now);
      const session = await first.create(info.id);
      expect(await second.get(session.id)).toEqual(session);
      now = new Date(now.getTime() + 60_001);
      expect(await second.get(session.id)).toBeUndefined();
    } finally {
      if (other !== record.db) await other.close();
    }
  });

  it('the audit log is append-only: UPDATE, DELETE and TRUNCATE are refused, also for its owner', async () => {
    const audit = createAuditLog(record.db);
    await audit.record({ actor: null, action: 'session.created', object: { tokenId: 't_000000000000' }, ip: '127.0.0.1' });
    const [entry] = await audit.list({ limit: 1 });
    expect(entry).toMatchObject({ action: 'session.created', object: { tokenId: 't_000000000000' }, ip: '127.0.0.1' });
    await expect(record.db.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(record.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(record.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const grants = await record.db.query<{ privilege_type: string }>(
      "SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee = 'PUBLIC'",
    );
    expect(grants.map((g) => g.privilege_type)).not.toEqual(expect.arrayContaining(['UPDATE']));
    expect((await audit.list()).length).toBeGreaterThanOrEqual(1);
  });

  it.runIf(kind === 'postgres')('a role that is granted INSERT and SELECT only cannot change the audit log', async () => {
    const role = `rt_app_${Math.random().toString(16).slice(2, 10)}`;
    await record.db.query(`CREATE ROLE ${role} LOGIN`);
    try {
      await record.db.query(`GRANT INSERT, SELECT ON audit_log TO ${role}`);
      await record.db.query(`GRANT USAGE ON SEQUENCE audit_log_seq_seq TO ${role}`);
      const url = new URL(record.url as string);
      url.username = role;
      const app = createPgDatabase(url.toString());
      try {
        await createAuditLog(app).recordIn(app, { actor: null, action: 'access.denied', object: {}, ip: null });
        await expect(app.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/permission denied/);
        await expect(app.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/);
      } finally {
        await app.close();
      }
    } finally {
      await record.db.query(`REVOKE ALL ON audit_log FROM ${role}`);
      await record.db.query(`REVOKE ALL ON SEQUENCE audit_log_seq_seq FROM ${role}`);
      await record.db.query(`DROP ROLE ${role}`);
    }
  });
});
