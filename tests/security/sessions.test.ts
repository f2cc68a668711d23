import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/api/index.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makeStorageDir, REDIS_URL, ROOT, removeDir, startApi, uniqueQueueName } from '../integration/helpers.js';
import { httpRequest, readAudit, type SecureStack, startSecureStack } from './helpers.js';

const run = promisify(execFile);

/** Runs `npm run token -- …` (the CLI through tsx) on a storage folder. */
async function tokenCli(databaseUrl: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli-token.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

interface SessionBody {
  signedIn: boolean;
  mode: string;
  actor: { id: string; name: string; role: string };
  csrfToken: string | null;
}

/** Signs in with a token; returns the cookie header to send and the CSRF token. */
async function signIn(baseUrl: string, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ token }),
  });
  expect(res.status).toBe(201);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const body = (await res.json()) as SessionBody;
  return { setCookie, cookie: setCookie.split(';')[0] ?? '', csrf: body.csrfToken ?? '', body };
}

describe('tokens: made and revoked with the CLI, stored only as hashes', () => {
  let storageDir: string;
  let record: TestDatabase;
  let url: string;

  beforeAll(async () => {
    storageDir = await makeStorageDir();
    record = await openTestDatabase('postgres', 'cli_tokens');
    url = record.url as string;
  });
  afterAll(async () => {
    await record?.drop();
    await removeDir(storageDir);
  });

  it('create prints the token once, stores its sha256 and never the token; list and revoke work on ids; a revoked token is refused at once', async () => {
    const created = await tokenCli(url, 'create', '--role', 'editor', '--name', 'Eva Redacteur');
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^rs_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/editor token t_[0-9a-f]{12}/);

    const file = JSON.stringify(await record.db.query('SELECT * FROM tokens'));
    expect(file).not.toContain(token);
    expect(file).not.toContain(token.slice(3));
    expect(file).toContain(createHash('sha256').update(token).digest('hex'));

    const list = await tokenCli(url, 'list', '--json');
    const infos = JSON.parse(list.stdout) as { id: string; name: string; role: string; sha256?: string }[];
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ name: 'Eva Redacteur', role: 'editor', revokedAt: null });
    expect(infos[0]?.sha256).toBeUndefined();

    const api = await startApi({ queueName: uniqueQueueName('cli-tokens'), storageDir, db: record.db });
    try {
      const as = (t: string) => fetch(`${api.baseUrl}/api/publications`, { headers: { authorization: `Bearer ${t}` } });
      expect((await as(token)).status).toBe(200);
      expect((await fetch(`${api.baseUrl}/api/publications`)).status).toBe(401);
      const revoked = await tokenCli(url, 'revoke', infos[0]!.id);
      expect(revoked.code).toBe(0);
      expect((await as(token)).status).toBe(401);
    } finally {
      await api.close();
    }

    expect((await tokenCli(url, 'create', '--role', 'god', '--name', 'x')).code).toBe(1);
    expect((await tokenCli(url, 'create', '--role', 'reader', '--name', 'a\nb')).stderr).toMatch(/USAGE/);
    expect((await tokenCli(url, 'revoke', 't_000000000000')).stderr).toMatch(/NOT_FOUND/);
    const { text } = await readAudit(createAuditLog(record.db));
    expect(text).toContain('"action":"token.created"');
    expect(text).toContain('"action":"token.revoked"');
    expect(text).not.toContain(token);
  });
});

describe('the page session: cookie, CSRF token, revocation', () => {
  let stack: SecureStack;

  beforeAll(async () => {
    stack = await startSecureStack({ label: 'sessions', worker: false, access: { sessionTtlMs: 60 * 60_000 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (cookie: string, headers: Record<string, string> = {}, body = '{}') =>
    fetch(`${stack.baseUrl}/api/jobs`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body });

  it('signing in sets an http-only, SameSite=Strict session cookie (not Secure over plain http) and gives a CSRF token', async () => {
    const { setCookie, body } = await signIn(stack.baseUrl, stack.tokens.reader);
    expect(setCookie).toMatch(/^rs_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/);
    expect(body).toMatchObject({ signedIn: true, actor: { name: 'test reader', role: 'reader' } });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(body)).not.toContain(stack.tokens.reader);
  });

  it('the cookie is Secure behind https: always when configured, and with auto when a trusted proxy says https', async () => {
    const always = await startApi({
      queueName: uniqueQueueName('cookie'),
      storageDir: stack.storageDir,
      db: stack.api.db,
      access: { cookieSecure: 'always' },
    });
    try {
      expect((await signIn(always.baseUrl, stack.tokens.reader)).setCookie).toMatch(/; Secure/);
    } finally {
      await always.close();
    }
    // main-api passes TRUST_PROXY to createApp; here the app trusts the loopback proxy.
    const { createApp } = await import('../../src/api/index.js');
    const { createTestAccess, logger } = await import('../integration/helpers.js');
    const app = createApp({
      service: stack.api.service,
      record: stack.api.record,
      logger,
      maxBodyBytes: 1024 * 1024,
      access: createTestAccess(stack.api.db),
      trustProxy: 'loopback',
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      expect((await signIn(base, stack.tokens.reader, { 'x-forwarded-proto': 'https' })).setCookie).toMatch(/; Secure/);
      expect((await signIn(base, stack.tokens.reader)).setCookie).not.toMatch(/Secure/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a state-changing request with the cookie needs the session’s CSRF token; a Bearer request does not', async () => {
    const editor = await signIn(stack.baseUrl, stack.tokens.editor);
    const other = await signIn(stack.baseUrl, stack.tokens.editor);
    const expectCode = async (res: Response, status: number, code?: string) => {
      const text = await res.text();
      expect(res.status, text).toBe(status);
      if (code) expect(JSON.parse(text)).toMatchObject({ code });
    };
    await expectCode(await post(editor.cookie), 403, 'FORBIDDEN');
    await expectCode(await post(editor.cookie, { 'x-csrf-token': 'x'.repeat(43) }), 403, 'FORBIDDEN');
    await expectCode(await post(editor.cookie, { 'x-csrf-token': other.csrf }), 403, 'FORBIDDEN');
    // The right token passes the check; the empty body then fails on its own (400).
    await expectCode(await post(editor.cookie, { 'x-csrf-token': editor.csrf }), 400, 'REQUEST_INVALID');
    // A form may send it as _csrf.
    const form = await fetch(`${stack.baseUrl}/api/jobs`, {
      method: 'POST',
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(editor.csrf)}&dataset=x`,
    });
    await expectCode(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
    // Reading needs no CSRF token.
    expect((await fetch(`${stack.baseUrl}/api/publications`, { headers: { cookie: editor.cookie } })).status).toBe(200);
    // Bearer requests are not sent by browsers on their own: no CSRF token needed.
    const bearer = await stack.request('editor', '/api/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await expectCode(bearer, 400, 'REQUEST_INVALID');
    // GET /api/session gives the page its CSRF token back after a reload.
    const session = (await (await fetch(`${stack.baseUrl}/api/session`, { headers: { cookie: editor.cookie } })).json()) as SessionBody;
    expect(session.csrfToken).toBe(editor.csrf);
  });

  it('a state-changing request from another site is refused, even with the right CSRF token', async () => {
    const editor = await signIn(stack.baseUrl, stack.tokens.editor);
    const csrf = { 'x-csrf-token': editor.csrf };
    expect((await post(editor.cookie, { ...csrf, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(editor.cookie, { ...csrf, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post(editor.cookie, { ...csrf, origin: 'null' })).status).toBe(403);
    expect((await post(editor.cookie, { ...csrf, origin: stack.baseUrl, 'sec-fetch-site': 'same-origin' })).status).toBe(400);
    const signInFromElsewhere = await fetch(`${stack.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ token: stack.tokens.reader }),
    });
    expect(signInFromElsewhere.status).toBe(403);
  });

  it('signing out needs the CSRF token, ends the session and clears the cookie', async () => {
    const reader = await signIn(stack.baseUrl, stack.tokens.reader);
    const out = (headers: Record<string, string>) =>
      fetch(`${stack.baseUrl}/api/session`, { method: 'DELETE', headers: { cookie: reader.cookie, ...headers } });
    expect((await out({})).status).toBe(403);
    const res = await out({ 'x-csrf-token': reader.csrf });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/rs_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await fetch(`${stack.baseUrl}/api/publications`, { headers: { cookie: reader.cookie } })).status).toBe(401);
  });

  it('a session ends when its token is revoked, and when it expires', async () => {
    const made = await stack.api.access.tokens.create({ name: 'short-lived', role: 'reader', createdBy: 'test' });
    const session = await signIn(stack.baseUrl, made.token);
    const read = () => fetch(`${stack.baseUrl}/api/publications`, { headers: { cookie: session.cookie } });
    expect((await read()).status).toBe(200);
    const revoke = await stack.request('admin', `/api/tokens/${made.info.id}`, { method: 'DELETE' });
    expect(revoke.status).toBe(200);
    expect((await read()).status).toBe(401);

    const editor = await signIn(stack.baseUrl, stack.tokens.editor);
    stack.clock.set('2020-01-01T00:59:00Z');
    expect((await fetch(`${stack.baseUrl}/api/publications`, { headers: { cookie: editor.cookie } })).status).toBe(200);
    stack.clock.set('2020-01-01T01:00:01Z');
    expect((await fetch(`${stack.baseUrl}/api/publications`, { headers: { cookie: editor.cookie } })).status).toBe(401);
    stack.clock.set('2020-01-01T00:00:00Z');
  });

  it('an admin manages tokens over the API: a new token works at once, lists show no secret, the audit log records both', async () => {
    const res = await stack.request('admin', '/api/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Nieuwe lezer', role: 'reader' }),
    });
    expect(res.status).toBe(201);
    const made = (await res.json()) as { id: string; token: string };
    expect((await fetch(`${stack.baseUrl}/api/publications`, { headers: { authorization: `Bearer ${made.token}` } })).status).toBe(200);
    const list = await (await stack.request('admin', '/api/tokens')).text();
    expect(list).toContain(made.id);
    expect(list).not.toContain(made.token);
    expect(list).not.toContain('sha256');
    const bad = await stack.request('admin', '/api/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', role: 'root' }),
    });
    expect(bad.status).toBe(400);
    const { text, lines } = await readAudit(stack.api.access.audit, (l) => l.some((e) => e.action === 'token.revoked'));
    expect(lines.find((l) => l.action === 'token.created' && l.object.tokenId === made.id)?.actor?.id).toBe(stack.tokenIds.admin);
    expect(lines.some((l) => l.action === 'token.revoked')).toBe(true);
    expect(lines.some((l) => l.action === 'session.created' && l.actor?.role === 'reader')).toBe(true);
    for (const token of [made.token, ...Object.values(stack.tokens)]) expect(text).not.toContain(token);
  });
});

describe('open mode: no token on 127.0.0.1', () => {
  it('lets requests in as the local admin, only under a loopback host name, until the first token is made', async () => {
    const storageDir = await makeStorageDir();
    const api = await startApi({ queueName: uniqueQueueName('open'), storageDir, redisUrl: REDIS_URL });
    try {
      const session = (await (await fetch(`${api.baseUrl}/api/session`)).json()) as SessionBody;
      expect(session).toMatchObject({ signedIn: true, mode: 'open', actor: { role: 'admin' }, csrfToken: null });
      expect((await fetch(`${api.baseUrl}/api/tokens`)).status).toBe(200);
      // A page under another host name reaching 127.0.0.1 (DNS rebinding) is refused.
      const rebound = await httpRequest(api.baseUrl, {
        path: '/api/tokens',
        headers: { host: `attacker.example:${new URL(api.baseUrl).port}` },
      });
      expect(rebound.status).toBe(403);
      const local = await httpRequest(api.baseUrl, { path: '/api/tokens', headers: { host: `localhost:${new URL(api.baseUrl).port}` } });
      expect(local.status).toBe(200);
      // A made-up token is refused rather than ignored.
      expect((await fetch(`${api.baseUrl}/api/tokens`, { headers: { authorization: 'Bearer nonsense' } })).status).toBe(401);

      await api.access.tokens.create({ name: 'first admin', role: 'admin', createdBy: 'test' });
      expect((await fetch(`${api.baseUrl}/api/tokens`)).status).toBe(401);
      expect(((await (await fetch(`${api.baseUrl}/api/session`)).json()) as SessionBody).signedIn).toBe(false);
    } finally {
      await api.close();
      await removeDir(storageDir);
    }
  });

  it('runs closed on an address other machines can reach, even with no token', async () => {
    const storageDir = await makeStorageDir();
    const api = await startApi({ queueName: uniqueQueueName('closed'), storageDir, access: { openWhenNoTokens: false } });
    try {
      expect((await fetch(`${api.baseUrl}/api/publications`)).status).toBe(401);
      expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await api.close();
      await removeDir(storageDir);
    }
  });
});
