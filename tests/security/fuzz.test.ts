import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../../src/api/index.js';
import { type JobBody, originalJson, variantJson } from '../integration/helpers.js';
import { httpRequest, postJob, readAudit, type SecureStack, startSecureStack, waitForJobAs } from './helpers.js';

// A few hundred malformed requests from a seeded generator, to 127.0.0.1 only. The service must
// answer each below 500, never show a stack trace, a path or a file from outside its storage root,
// and keep rendering afterwards.

const SEED = 0x5eed_2026;
const PUBLICATION = 'beleidsinformatie-veilig-thuis-2019-hj1';
const REQUESTS = 400;
const RAW_REQUESTS = 40;

/** mulberry32: a small, seeded PRNG, so every run sends the same requests. */
function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))),
    hex: (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join(''),
  };
}

/** Records every file path this process opens, reads, lists or stats while `recording` is on. */
function spyOnFiles() {
  const seen = new Set<string>();
  let recording = false;
  const restore: (() => void)[] = [];
  const wrap = (target: Record<string, unknown>, name: string) => {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      if (recording && (typeof first === 'string' || first instanceof URL || Buffer.isBuffer(first))) {
        seen.add(path.resolve(first instanceof URL ? first.pathname : String(first)));
      }
      return original.apply(this, args);
    };
    restore.push(() => {
      target[name] = original;
    });
  };
  const promises = fs.promises as unknown as Record<string, unknown>;
  for (const name of ['open', 'readFile', 'readdir', 'opendir', 'stat', 'lstat', 'access', 'realpath', 'appendFile']) wrap(promises, name);
  const sync = fs as unknown as Record<string, unknown>;
  for (const name of [
    'open',
    'openSync',
    'readFile',
    'readFileSync',
    'createReadStream',
    'readdir',
    'readdirSync',
    'stat',
    'statSync',
    'existsSync',
  ]) {
    wrap(sync, name);
  }
  syncBuiltinESMExports();
  return {
    seen,
    start: () => {
      recording = true;
    },
    stop: () => {
      recording = false;
    },
    restore: () => {
      for (const undo of restore) undo();
      syncBuiltinESMExports();
    },
  };
}

describe('a fuzz run of malformed requests against the running service', () => {
  let base: string;
  let storageDir: string;
  let canary: string;
  let stack: SecureStack;
  let job: JobBody;
  let files: ReturnType<typeof spyOnFiles>;

  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'render-fuzz-'));
    storageDir = path.join(base, 'storage');
    await mkdir(storageDir);
    // Canaries next to the storage root, one in a folder whose name starts like the root's.
    canary = `CANARY-${randomBytes(16).toString('hex')}`;
    await writeFile(path.join(base, 'canary.txt'), canary);
    await mkdir(path.join(base, 'storage-canary'));
    await writeFile(path.join(base, 'storage-canary', 'manifest.json'), JSON.stringify({ canary }));
    stack = await startSecureStack({ label: 'fuzz', storageDir, maxBodyBytes: 2 * 1024 * 1024 });
    const res = await postJob(stack, 'editor', { dataset: originalJson() });
    job = await waitForJobAs(stack, ((await res.json()) as JobBody).id);
    expect(job.state).toBe('completed');
    // A small JSON body through body-parser (the session route) loads its decoder's encodings before the spy starts.
    await (
      await stack.request('none', '/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).arrayBuffer();
    files = spyOnFiles();
  });

  afterAll(async () => {
    files?.restore();
    await stack?.close();
    await rm(base, { recursive: true, force: true });
  });

  function makeRequests() {
    const r = createRandom(SEED);
    const valid = JSON.stringify({ dataset: originalJson() });
    const ids = [
      job.id,
      job.id.toUpperCase(),
      job.id.slice(0, 40),
      `${job.id}x`,
      `r-${r.hex(64)}`,
      '..',
      '../../canary.txt',
      '..%2f..%2fcanary.txt',
      '%2e%2e%2f%2e%2e%2fcanary.txt',
      '..%252f..%252fcanary.txt',
      '....//....//canary.txt',
      '..\\..\\canary.txt',
      encodeURIComponent(path.join(base, 'canary.txt')),
      '%00',
      'r-%00',
      '%ff%fe',
      '%',
      '%E0%A4%A',
      'x'.repeat(3000),
      encodeURIComponent('\u00e9\u2603'),
      'manifest.json',
      '.manifest.json.tmp',
      'storage-canary%2fmanifest.json',
      'beleidsinformatie-veilig-thuis-2019-hj1',
      '__proto__',
      'constructor',
      't_000000000000',
    ];
    const names = ['publicatie.pdf', 'manifest.json', '..%2fmanifest.json', '../../../canary.txt', 'x.pdf', '%2e', 'a'.repeat(300), ''];
    const tokens = [
      ...Object.values(stack.tokens),
      '',
      'Bearer',
      'Bearer ',
      `Bearer rs_${'A'.repeat(43)}`,
      `Bearer ${stack.tokens.reader}x`,
      `Bearer ${stack.tokens.editor.slice(0, -1)}`,
      `bearer    ${stack.tokens.reader}`,
      `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      `Bearer ${'x'.repeat(6000)}`,
      `Bearer ${stack.tokens.reader} ${stack.tokens.editor}`,
      'Digest username="x"',
    ];
    const bodies = [
      () => r.bytes(r.int(400)),
      () => valid.slice(0, r.int(valid.length)),
      () => `${'['.repeat(5000)}${']'.repeat(5000)}`,
      () =>
        JSON.stringify({ dataset: { __proto__: { polluted: true } } }).replace('"dataset":{}', '"dataset":{"__proto__":{"polluted":true}}'),
      () => '{"__proto__":{"polluted":true},"dataset":{"constructor":{"prototype":{"polluted":true}}}}',
      () => JSON.stringify({ dataset: { ...originalJson(), publication: { id: '../../canary', template: '../../..' } } }),
      () => {
        const d = originalJson() as { publication: Record<string, unknown> };
        d.publication.template = r.pick(['web', 'errata', '..', 'beleidsinformatie/../../', 'x'.repeat(100)]);
        return JSON.stringify({ dataset: d });
      },
      () => JSON.stringify({ dataset: variantJson(`fuzz-${r.hex(6)}`), erratum: { date: '2020-02-30', text: '' } }),
      () =>
        JSON.stringify({ dataset: variantJson(`fuzz-${r.hex(6)}`), releaseAt: r.pick(['', 'gisteren', '9999-99-99T99:99:99Z', 12345]) }),
      () => '{"dataset":1e999,"previous":[],"erratum":"x","extra":{"a":1}}',
      () => JSON.stringify({ token: r.pick(tokens) }),
      () => JSON.stringify({ name: '\u0000\u202e', role: r.pick(['admin', 'root', '__proto__', null]) }),
      () => `token=${encodeURIComponent(r.pick(tokens))}&_csrf=${r.hex(43)}`,
      () => 'x'.repeat(3 * 1024 * 1024),
      () => '',
    ];
    const contentTypes = [
      'application/json',
      'application/json; charset=utf-16',
      'application/json; charset=latin-9',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
      'application/*',
    ];
    const methods = ['GET', 'GET', 'GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'];

    const requests: { method: string; path: string; headers: Record<string, string>; body?: Buffer | string }[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const row = r.pick(ROUTE_ACCESS);
      // Half the time a real id, name or token, so that many requests reach storage and not only the guard.
      const id = row.path.startsWith('/api/publications') && r.chance(0.5) ? PUBLICATION : r.chance(0.4) ? job.id : r.pick(ids);
      const name = r.chance(0.4) ? r.pick(job.artifacts.map((a) => a.name)) : r.pick(names);
      let target = row.path.replace(':id', id).replace(':name', name);
      if (r.chance(0.15)) target = `/${r.pick(ids)}/${r.pick(names)}`;
      if (r.chance(0.1)) target = target.replace('/', '//');
      if (r.chance(0.1)) target = `${target}?${r.pick(['a=1&a=2', `x=${'%'.repeat(20)}`, '__proto__[x]=1', 'token=abc'])}`;
      if (r.chance(0.05))
        target = `/static/${r.pick(['..%2f..%2fpackage.json', '%2e%2e%2f%2e%2e%2f%2e%2e%2fcanary.txt', '..', 'redactie.js%00.png'])}`;
      const method = r.chance(0.7) ? row.method : r.pick(methods);
      const headers: Record<string, string> = {};
      if (r.chance(0.8)) {
        const auth = r.chance(0.5) ? r.pick(Object.values(stack.tokens)) : r.pick(tokens);
        headers.authorization = auth.startsWith('rs_') ? `Bearer ${auth}` : auth;
      }
      if (r.chance(0.2))
        headers.cookie = r.pick([`rs_session=${r.hex(43)}`, 'rs_session=', `rs_session=${'x'.repeat(9000)}`, 'a=b; rs_session=;;']);
      if (r.chance(0.2)) headers['x-csrf-token'] = r.pick(['', r.hex(43), 'x'.repeat(5000)]);
      if (r.chance(0.15)) headers.origin = r.pick(['http://evil.example', 'null', stack.baseUrl, '::::']);
      if (r.chance(0.1)) headers['if-none-match'] = r.pick(['*', `"${job.artifacts[0]?.sha256}"`, 'W/"x", "y"']);
      if (r.chance(0.05)) headers['content-encoding'] = r.pick(['gzip', 'br', 'identity', 'x']);
      if (r.chance(0.05)) headers['x-forwarded-for'] = r.pick(['1.2.3.4', 'nonsense', '::1, 10.0.0.1']);
      let body: Buffer | string | undefined;
      if (method !== 'GET' && method !== 'HEAD' && r.chance(0.85)) {
        body = r.pick(bodies)();
        headers['content-type'] = r.pick(contentTypes);
      }
      requests.push({ method, path: target, headers, body });
    }
    return requests;
  }

  /** Raw bytes no HTTP client would send: bad request lines, headers, lengths and encodings. */
  function makeRawRequests(): string[] {
    const r = createRandom(SEED + 1);
    const lines = [
      'GET /api/jobs/../../canary.txt HTTP/1.1',
      `GET ${path.join(base, 'canary.txt')} HTTP/1.1`,
      'GET http://127.0.0.1/../../canary.txt HTTP/1.1',
      'GET /static/../../../canary.txt HTTP/1.1',
      'GET /api/openapi.json HTTP/9.9',
      'GET /\u0000 HTTP/1.1',
      'GET /api/jobs/\u00e9\u2603 HTTP/1.1',
      'BREW /coffee HTTP/1.1',
      'GET /api/jobs',
      `GET /${'a'.repeat(20_000)} HTTP/1.1`,
      'POST /api/jobs HTTP/1.1',
    ];
    const headerSets = [
      'Host: 127.0.0.1\r\nContent-Length: 10\r\nContent-Length: 20\r\n',
      'Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n',
      'Host: 127.0.0.1\r\nContent-Length: -1\r\n',
      'Host: 127.0.0.1\r\nBad Header: x\r\n',
      'Host: 127.0.0.1\r\nAuthorization: Bearer \u0001\u0002\r\n',
      `Host: 127.0.0.1\r\nX-Big: ${'b'.repeat(20_000)}\r\n`,
      '',
      'Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n',
    ];
    const out: string[] = [];
    for (let i = 0; i < RAW_REQUESTS; i++) {
      const body = r.pick(['', '{"a":', 'zz\r\n0\r\n\r\n', '5\r\nhello\r\nX\r\n', r.bytes(20).toString('latin1')]);
      out.push(`${r.pick(lines)}\r\n${r.pick(headerSets)}Connection: close\r\n\r\n${body}`);
    }
    return out;
  }

  function sendRaw(text: string): Promise<string> {
    const { port } = new URL(stack.baseUrl);
    return new Promise((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let answer = '';
      socket.setTimeout(2_000, () => socket.destroy());
      socket.on('data', (d) => {
        answer += d.toString('latin1');
      });
      socket.on('close', () => resolve(answer));
      socket.on('error', () => resolve(answer));
      socket.write(text, 'latin1');
    });
  }

  function checkAnswer(what: string, status: number, text: string, problems: string[]): void {
    if (status >= 500) problems.push(`${what}: ${status} ${text.slice(0, 200)}`);
    if (text.includes(canary)) problems.push(`${what}: shows the canary`);
    if (/\n\s+at |node_modules|\/work\/|\/src\/|\.ts:\d/.test(text))
      problems.push(`${what}: shows a stack or a source path: ${text.slice(0, 200)}`);
    if (text.includes(base) || text.includes(os.tmpdir())) problems.push(`${what}: shows a path of this machine`);
  }

  it(`answers ${REQUESTS} malformed requests and ${RAW_REQUESTS} raw ones below 500, shows nothing it should not, and keeps serving`, async () => {
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    const clientErrors: string[] = [];
    const requests = makeRequests();
    const raws = makeRawRequests();
    files.start();
    for (let i = 0; i < requests.length; i += 4) {
      const batch = requests.slice(i, i + 4);
      const answers = await Promise.all(
        batch.map((req) =>
          httpRequest(stack.baseUrl, req).catch((error: Error) => {
            clientErrors.push(`${req.method} ${req.path.slice(0, 80)}: ${error.message}`);
            return { status: -1, body: Buffer.alloc(0), headers: {} };
          }),
        ),
      );
      answers.forEach((answer, j) => {
        const req = batch[j]!;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        checkAnswer(`${req.method} ${req.path.slice(0, 120)}`, answer.status, answer.body.toString('latin1'), problems);
      });
    }
    for (const raw of raws) {
      const answer = await sendRaw(raw);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
      checkAnswer(`raw ${raw.slice(0, 60)}`, status, answer, problems);
    }
    files.stop();

    expect(problems).toEqual([]);
    // The run reached the routes, not only the guard: authorized answers, refusals and input errors.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(10);
    expect((statuses.get(400) ?? 0) + (statuses.get(415) ?? 0) + (statuses.get(422) ?? 0)).toBeGreaterThan(10);
    expect(clientErrors).toEqual([]);
    // No file outside the storage root was opened, read, listed or even looked at.
    const outside = [...files.seen].filter((file) => file !== storageDir && !file.startsWith(storageDir + path.sep));
    expect(outside).toEqual([]);
    expect([...files.seen].filter((file) => file.includes(`${path.sep}jobs${path.sep}`)).length).toBeGreaterThan(0);
    // Nothing was polluted.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('after the run the service is up, ready, renders a new job and logged no token', async () => {
    expect((await stack.request('none', '/healthz')).status).toBe(200);
    expect((await stack.request('none', '/readyz')).status).toBe(200);
    const res = await postJob(stack, 'editor', { dataset: variantJson('na-de-fuzz') });
    expect(res.status).toBe(202);
    const after = await waitForJobAs(stack, ((await res.json()) as JobBody).id);
    expect(after.state).toBe('completed');
    const pdf = await stack.request('editor', after.artifacts.find((a) => a.name === 'publicatie.pdf')!.links.download);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const { text } = await readAudit(stack.api.access.audit);
    for (const token of Object.values(stack.tokens)) expect(text).not.toContain(token);
    expect(text).not.toContain(canary);
  });
});
