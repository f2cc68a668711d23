import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUBE_SIZES, type CubeShape, generateEditionWithCube } from '../../bench/lib/cube.js';
import { connectRateLimitRedis } from '../../src/api/auth/rate-limit-store.js';
import { createApp, createMetrics } from '../../src/api/index.js';
import type { RenderService } from '../../src/jobs/index.js';
import type { AppError } from '../../src/errors.js';
import { validateDatasetText } from '../../src/jobs/submission-checks.js';
import { parseDatasetText } from '../../src/model/dataset.js';
import { parseTextsFile } from '../../src/model/texts-file.js';
import { buildPublicationParts } from '../../src/render/publication.js';
import { loadTemplates } from '../../src/resources.js';
import { originalJson, REDIS_URL } from '../integration/helpers.js';
import { postJob, type SecureStack, startSecureStack, waitForJobAs } from './helpers.js';

/** Posts `body` as an editor with node:http; `sent` runs once the last byte has left for the server. */
function postRaw(stack: SecureStack, urlPath: string, body: string, sent: () => void): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${stack.baseUrl}${urlPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.editor}` },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body, sent);
  });
}

async function postJson(stack: SecureStack, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await stack.request('editor', '/api/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('large bodies are read off the event loop', () => {
  let stack: SecureStack;
  beforeAll(async () => {
    stack = await startSecureStack({ label: 'offloop', worker: false, maxBodyBytes: 16 * 1024 * 1024 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers /healthz while a 12 MB body of millions of objects is parsed, and refuses that body as a small one', async () => {
    // Valid JSON, shallow, but about 4 million objects: seconds of JSON.parse.
    const slow = `{"dataset":[${'{},'.repeat(4_000_000)}{}]}`;
    const order: string[] = [];
    let health: Promise<void> | undefined;
    const post = postRaw(stack, '/api/jobs', slow, () => {
      // The body has left; the server parses it now. Ask for health a moment later.
      health = new Promise<void>((r) => setTimeout(r, 50)).then(async () => {
        const res = await fetch(`${stack.baseUrl}/healthz`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        order.push('healthz');
      });
    });
    const answer = await post.then((a) => {
      order.push('post');
      return a;
    });
    await health;
    expect(order).toEqual(['healthz', 'post']);
    // The same refusal, word for word, as for the same body in small.
    const small = await postJson(stack, '{"dataset":[{},{}]}');
    expect(small.status).toBe(400);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: small.json.code, detail: small.json.detail, errors: small.json.errors });
  });

  it('validates and checks a 2.5 MB dataset file in the body pool, never in the API thread, with the report the API thread gives', async () => {
    // The 10x cube of the benchmark: valid, about 10 000 rows; validation and the checks take a few
    // hundred milliseconds, which in the API's thread would hold every other request. An app whose
    // service refuses to validate in the API thread must still answer it, from the pool.
    const text = JSON.stringify(generateEditionWithCube(CUBE_SIZES['10x'] as CubeShape));
    const inThread: number[] = [];
    const service: RenderService = {
      ...stack.api.service,
      validateDataset: (fileText) => {
        inThread.push(fileText.length);
        return stack.api.service.validateDataset(fileText);
      },
    };
    const app = createApp({
      service,
      record: stack.api.record,
      logger: pino({ level: 'silent' }),
      maxBodyBytes: 16 * 1024 * 1024,
      access: stack.api.access,
      metrics: createMetrics(),
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      const validate = (body: string) =>
        fetch(`http://127.0.0.1:${port}/api/datasets/validate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.tokens.editor}` },
          body,
        });
      const large = await validate(text);
      expect(large.status).toBe(200);
      const report = (await large.json()) as { valid: boolean };
      expect(report.valid).toBe(true);
      expect(report).toEqual(JSON.parse(JSON.stringify(validateDatasetText(text))));
      expect(inThread).toEqual([]);
      // A small file is still validated in the API thread (a thread hand-over would cost more).
      const small = JSON.stringify({ publication: { id: 'klein' } });
      expect((await validate(small)).status).toBe(200);
      expect(inThread).toEqual([small.length]);
    } finally {
      server.close();
    }
  });

  it('a large body that is not JSON, too deep, or has __proto__ is refused with the same words as a small one', async () => {
    const pad = ' '.repeat(300 * 1024);
    const cases = [
      `{"dataset": ${'['.repeat(40)}${']'.repeat(40)}}`,
      '{"dataset": {"__proto__": {"x": 1}}}',
      '{"dataset": {"a": [1, 2,, 3]}}',
    ];
    for (const body of cases) {
      const small = await postJson(stack, body);
      const large = await postJson(stack, `${pad}${body}`);
      expect(small.status, body).toBe(400);
      expect(large.status, body).toBe(400);
      expect(large.json.code).toBe(small.json.code);
      // Places are counted from the start of the body: the padding is on line 1 before it.
      const shift = (detail: unknown) => String(detail).replace(/column (\d+)/g, (_m, c: string) => `column ${Number(c) + pad.length}`);
      if (body.includes(',,')) {
        let message = '';
        try {
          JSON.parse(`${pad}${body}`);
        } catch (error) {
          message = (error as Error).message;
        }
        expect(large.json.detail).toContain(message);
      } else expect(large.json.detail).toBe(shift(small.json.detail));
    }
    // Bytes that are not UTF-8 name their offset, large as small.
    const bad = Buffer.concat([Buffer.from('{"dataset": "'), Buffer.from([0xff]), Buffer.from(`"}${pad}`)]);
    const res = await stack.request('editor', '/api/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bad });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('the byte at offset 13');
  });

  it('a large valid request is taken as a small one', async () => {
    const dataset = originalJson();
    const small = await postJson(stack, JSON.stringify({ dataset }));
    const large = await postJson(stack, `${JSON.stringify({ dataset })}${' '.repeat(300 * 1024)}`);
    expect(small.status).toBe(202);
    expect(large.status).toBe(200);
    expect(large.json.id).toBe(small.json.id);
  });
});

describe('rate limits shared by the API processes through Redis', () => {
  const statuses = async (stack: SecureStack, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await stack.request('none', '/api/publications');
      out.push(res.status);
      await res.arrayBuffer();
    }
    return out;
  };

  it('two API processes on one Redis count anonymous requests together', async () => {
    const client = connectRateLimitRedis(REDIS_URL);
    if (client.status !== 'ready') await once(client, 'ready');
    const rateLimit = { perTokenPerMinute: 100, anonymousPerMinute: 4, redis: { client, prefix: `rl:test:${randomUUID()}:` } };
    const one = await startSecureStack({ label: 'shared-rl-1', worker: false, access: { rateLimit } });
    const two = await startSecureStack({ label: 'shared-rl-2', worker: false, access: { rateLimit } });
    try {
      expect(await statuses(one, 2)).toEqual([401, 401]);
      expect(await statuses(two, 2)).toEqual([401, 401]);
      // The second app's requests counted toward the first's limit.
      expect(await statuses(one, 1)).toEqual([429]);
      expect(await statuses(two, 1)).toEqual([429]);
    } finally {
      await one.close();
      await two.close();
      client.disconnect();
    }
  });

  it('with Redis unreachable the API still answers, counts in its own process and warns once', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    // Nothing listens on port 1.
    const client = connectRateLimitRedis('redis://127.0.0.1:1');
    const stack = await startSecureStack({
      label: 'down-rl',
      worker: false,
      access: { logger, rateLimit: { perTokenPerMinute: 100, anonymousPerMinute: 3, redis: { client } } },
    });
    try {
      expect(await statuses(stack, 4)).toEqual([401, 401, 401, 429]);
      const res = await stack.request('reader', '/api/publications');
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const warnings = lines.filter((l) => l.includes('rate limits cannot be counted in Redis'));
      expect(warnings).toHaveLength(1);
    } finally {
      await stack.close();
      client.disconnect();
    }
  });
});

describe('nothing is served whose audit entry could not be written', () => {
  let stack: SecureStack;
  let link: string;
  beforeAll(async () => {
    stack = await startSecureStack({ label: 'audit-first' });
    const res = await postJob(stack, 'editor', { dataset: originalJson() });
    const job = await waitForJobAs(stack, ((await res.json()) as { id: string }).id);
    expect(job.state).toBe('completed');
    link = `/api/jobs/${job.id}/artifacts/publicatie.pdf`;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const downloads = async () => (await stack.api.access.audit.list({ limit: 1000 })).filter((l) => l.action === 'artifact.downloaded');

  it('a download and a validation are in the audit log before their answer arrives', async () => {
    const before = (await downloads()).length;
    const res = await stack.request('editor', link);
    expect(res.status).toBe(200);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // Read at once, without waiting: the entry was written before the first byte was sent.
    expect(await downloads()).toHaveLength(before + 1);
  });

  it('with the audit log broken, a download and a validation answer 503 with the reason and serve nothing', async () => {
    await stack.api.db.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      const res = await stack.request('editor', link);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('content-disposition')).toBeNull();
      const problem = (await res.json()) as { code: string; detail: string };
      expect(problem).toMatchObject({
        code: 'DATABASE_FAILED',
        detail: 'the audit log could not be written, so nothing is served: try again later',
      });

      const validation = await stack.request('editor', '/api/datasets/validate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(originalJson()),
      });
      expect(validation.status).toBe(503);
      const body = (await validation.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ code: 'DATABASE_FAILED' });
      expect(body).not.toHaveProperty('valid');
    } finally {
      await stack.api.db.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    // Back: served again.
    const again = await stack.request('editor', link);
    expect(again.status).toBe(200);
    await again.arrayBuffer();
  });
});

describe('period texts and templates of absurd size are refused with their place', () => {
  const period = (originalJson() as { publication: { period: { key: string } } }).publication.period.key;
  const textsFile = (body: string) => `---\nperiode: ${period}\n---\n\n# inleiding\n\n${body}\n`;

  it('1 600 page breaks in a texts file are refused, naming the section and the line', () => {
    const source = textsFile(`Het halfjaar.\n${'::pagebreak\n'.repeat(1600)}`);
    expect(() => parseTextsFile(source)).toThrow(
      expect.objectContaining({
        code: 'TEXTS_INVALID',
        details: [expect.objectContaining({ path: 'line 5, section "inleiding"', message: expect.stringContaining('line 8') })],
      }),
    );
  });

  it('a period text above 20 000 characters is refused, naming the section and the line where it passes the limit', () => {
    const line = `${'Een zin over het halfjaar. '.repeat(39)}\n`; // 1 054 characters a line
    const source = textsFile(line.repeat(25));
    let error: AppError | undefined;
    try {
      parseTextsFile(source);
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.code).toBe('TEXTS_INVALID');
    // The body starts on line 7; its 20 001st character is on its 19th line.
    expect(error?.details).toEqual([
      {
        path: 'line 5, section "inleiding"',
        message: `period text "inleiding", line 25: the text is ${line.repeat(25).trim().length} characters long, at most 20000 are allowed (the limit is passed on this line)`,
      },
    ]);
  });

  it('a render request with such texts is refused as TEXTS_INVALID under "texts", with the place', async () => {
    const stack = await startSecureStack({ label: 'long-texts', worker: false });
    try {
      const res = await postJob(stack, 'editor', { dataset: originalJson(), texts: textsFile('x'.repeat(20_001)) });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { code: string; errors: { path: string; message: string }[] };
      expect(problem.code).toBe('TEXTS_INVALID');
      expect(problem.errors[0]).toMatchObject({ path: 'texts: line 5, section "inleiding"' });
      expect(problem.errors[0]?.message).toContain('at most 20000');
    } finally {
      await stack.close();
    }
  });

  it('a template file with 1 600 page breaks is refused before anything is drawn, naming the file and the line', () => {
    const templates = loadTemplates();
    const inleiding = templates['beleidsinformatie/inleiding.hbs'] ?? '';
    const lines = inleiding.split('\n').length;
    const broken = { ...templates, 'beleidsinformatie/inleiding.hbs': `${inleiding}\n${'::pagebreak\n'.repeat(1600)}` };
    const dataset = parseDatasetText(JSON.stringify(originalJson()), 'test');
    expect(() => buildPublicationParts(dataset, broken, { edition: { edition: 1, correctedOn: undefined } })).toThrow(
      expect.objectContaining({
        code: 'TEMPLATE_INVALID',
        message: `templates/beleidsinformatie/inleiding.hbs, line ${lines + 21}: 1600 page breaks (::pagebreak) in one file, at most 20 are allowed`,
      }),
    );
    // The project's templates are within the limit.
    expect(() => buildPublicationParts(dataset, templates, { edition: { edition: 1, correctedOn: undefined } })).not.toThrow();
  });
});
