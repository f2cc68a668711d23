// The bad inputs of issue 15 point 2: each stays refused with a 4xx that names the place, never a
// 500, never a stall, never an answer larger than a few kilobytes.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRATUM, originalJson } from '../integration/helpers.js';
import { type SecureStack, startSecureStack } from './helpers.js';

interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; message: string }[];
}

describe('bad inputs that used to stall or crash the API (issue 15 point 2)', () => {
  let stack: SecureStack;

  beforeAll(async () => {
    stack = await startSecureStack({ label: 'bad-inputs', worker: false, maxBodyBytes: 20 * 1024 * 1024 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const postRaw = (urlPath: string, body: string | Buffer, contentType = 'application/json') =>
    stack.request('editor', urlPath, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('refuses 16 MB of nested brackets with 400 naming the depth, and keeps answering meanwhile', async () => {
    const deep = `{"dataset":${'['.repeat(16 * 1024 * 1024)}`;
    const answer = postRaw('/api/jobs', deep);
    const health = await stack.request('none', '/healthz');
    expect(health.status).toBe(200);
    const res = await answer;
    expect(res.status).toBe(400);
    const problem = (await res.json()) as ProblemBody;
    expect(problem.code).toBe('REQUEST_INVALID');
    expect(problem.detail).toMatch(/deeper than 12 levels \(at line 1, column 23\)/);
    const validate = await postRaw('/api/datasets/validate', '['.repeat(16 * 1024 * 1024));
    expect(validate.status).toBeLessThan(500);
    const report = (await validate.json()) as { valid: boolean; errors: { message: string }[] };
    expect(report.valid).toBe(false);
    expect(report.errors[0]?.message).toMatch(/deeper than 10 levels/);
  }, 60_000);

  it('answers 4xx, not 500, for 5 000 levels under previous or under a __proto__ key in a row', async () => {
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const dataset = JSON.stringify(originalJson());
    const underPrevious = await postRaw(
      '/api/jobs',
      `{"dataset":${dataset},"previous":{"x":${nested}},"erratum":${JSON.stringify(ERRATUM)}}`,
    );
    expect(underPrevious.status).toBe(400);
    expect(((await underPrevious.json()) as ProblemBody).detail).toMatch(/deeper than/);
    const withProtoRow = dataset.replace('"rows":[{', `"rows":[{"__proto__":{"a":${nested}},`);
    expect(withProtoRow).not.toBe(dataset);
    const underProto = await postRaw('/api/jobs', `{"dataset":${withProtoRow}}`);
    expect(underProto.status).toBe(400);
  });

  it('refuses a __proto__ key rather than storing content that validation never saw', async () => {
    const dataset = JSON.stringify(originalJson());
    const withProto = dataset.replace('"rows":[{', `"rows":[{"__proto__":{"hidden":"${'x'.repeat(1000)}"},`);
    const res = await postRaw('/api/jobs', `{"dataset":${withProto}}`);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as ProblemBody;
    expect(problem.detail).toMatch(/"__proto__" \(at dataset\.tables\[0\]\.rows\[0\]\.__proto__\)/);
    const validate = await postRaw('/api/datasets/validate', withProto);
    const report = (await validate.json()) as { valid: boolean; errors: { message: string }[] };
    expect(report.valid).toBe(false);
    expect(report.errors[0]?.message).toMatch(/__proto__/);
  });

  it('caps echoed values and the number of listed problems, with a count of the rest', async () => {
    const fields: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) fields[`extra${i}${'y'.repeat(200)}`] = i;
    const res = await postRaw('/api/jobs', JSON.stringify({ dataset: originalJson(), ...fields }));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(100_000);
    const problem = JSON.parse(text) as ProblemBody;
    expect(problem.errors).toHaveLength(101);
    expect(problem.errors.at(-1)).toEqual({ path: '(more)', message: 'and 4900 more problems not listed' });
    const huge = await postRaw('/api/jobs', JSON.stringify({ dataset: originalJson(), ['z'.repeat(1_000_000)]: 1 }));
    const hugeText = await huge.text();
    expect(huge.status).toBe(400);
    expect(hugeText.length).toBeLessThan(10_000);
    expect(hugeText).toMatch(/more characters\)/);

    const dataset = originalJson() as { tables: { rows: Record<string, unknown>[] }[] };
    const table = dataset.tables[0];
    if (!table) throw new Error('the example has no table');
    table.rows = Array.from({ length: 4 }, () => table.rows)
      .flat()
      .map((row) => {
        const copy = { ...row };
        for (const key of Object.keys(copy)) if (typeof copy[key] === 'number') copy[key] = 'q'.repeat(600);
        return copy;
      });
    const validate = await postRaw('/api/datasets/validate', JSON.stringify(dataset));
    const report = (await validate.json()) as { errors: { path: string; message: string }[] };
    expect(report.errors.length).toBeGreaterThan(10);
    for (const problem of report.errors) expect(problem.message.length).toBeLessThan(400);
  });

  it('refuses bytes that are not UTF-8 with their offset, and answers 415 to another charset', async () => {
    const good = Buffer.from(JSON.stringify({ dataset: originalJson() }), 'utf8');
    const at = good.indexOf('Veilig');
    const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0xc3, 0x28]), good.subarray(at + 2)]);
    const res = await postRaw('/api/jobs', bad);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ProblemBody).detail).toContain(`not valid UTF-8: the byte at offset ${at} `);
    const validate = await postRaw('/api/datasets/validate', bad.subarray('{"dataset":'.length));
    expect(validate.status).toBe(400);
    const utf16 = await postRaw(
      '/api/jobs',
      Buffer.from(JSON.stringify({ dataset: originalJson() }), 'utf16le'),
      'application/json; charset=utf-16',
    );
    expect(utf16.status).toBe(415);
    expect(((await utf16.json()) as ProblemBody).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('reads at most 4 large uploads at once in a process: the fifth, on any route that takes a dataset, gets 503 UPLOADS_BUSY with Retry-After, and a slot frees when one ends', async () => {
    const url = new URL(stack.baseUrl);
    const held = Array.from({ length: 4 }, () => {
      const req = http.request({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/datasets/validate',
        headers: { authorization: `Bearer ${stack.tokens.editor}`, 'content-type': 'application/json', 'content-length': 3 * 1024 * 1024 },
      });
      req.on('error', () => {});
      req.write('['.repeat(1024));
      return req;
    });
    await new Promise((r) => setTimeout(r, 300));
    const busy = await postRaw('/api/datasets/validate', 'x'.repeat(2 * 1024 * 1024));
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('2');
    expect(((await busy.json()) as ProblemBody).code).toBe('UPLOADS_BUSY');
    // The bound is one per process: a draft's upload shares it with the render routes.
    const draft = await postRaw('/api/drafts', 'x'.repeat(2 * 1024 * 1024));
    expect(draft.status).toBe(503);
    expect(((await draft.json()) as ProblemBody).code).toBe('UPLOADS_BUSY');
    const small = await postRaw('/api/datasets/validate', JSON.stringify(originalJson()));
    expect(small.status).toBe(200);
    for (const req of held) req.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const again = await postRaw('/api/datasets/validate', `${JSON.stringify(originalJson())}${' '.repeat(2 * 1024 * 1024)}`);
    expect(again.status).toBe(200);
  });

  it('refuses control and bidi-override characters in labels, naming the character and the place', async () => {
    const dataset = originalJson() as { tables: { dimensions: { codes: { title: string }[] }[] }[] };
    const code = dataset.tables[0]?.dimensions[0]?.codes[1];
    if (!code) throw new Error('the example has no second code');
    code.title = `Regio \u202Eevil`;
    const validate = await postRaw('/api/datasets/validate', JSON.stringify(dataset));
    const report = (await validate.json()) as { valid: boolean; errors: { path: string; message: string }[] };
    expect(report.valid).toBe(false);
    expect(report.errors[0]?.path).toBe('tables[0].dimensions[0].codes[1].title');
    expect(report.errors[0]?.message).toMatch(/U\+202E at position 7/);
    code.title = 'Regio\u0007bel';
    const job = await postRaw('/api/jobs', JSON.stringify({ dataset }));
    expect(job.status).toBe(422);
    expect(await job.text()).toMatch(/U\+0007/);
  });
});

describe('text that would become markup or a render failure (issue 15 point 3)', () => {
  let stack: SecureStack;

  beforeAll(async () => {
    stack = await startSecureStack({ label: 'bad-markup', worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (urlPath: string, body: unknown) =>
    stack.request('editor', urlPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses an unknown template at validation and at submission, naming publication.template', async () => {
    const dataset = originalJson() as { publication: { template: string } };
    dataset.publication.template = 'bogus';
    const report = (await (await post('/api/datasets/validate', dataset)).json()) as {
      valid: boolean;
      errors: { path: string; message: string }[];
    };
    expect(report.valid).toBe(false);
    expect(report.errors[0]?.path).toBe('publication.template');
    expect(report.errors[0]?.message).toMatch(/"bogus", which does not exist \(known: beleidsinformatie, statline-tabel\)/);
    const res = await post('/api/jobs', { dataset });
    expect(res.status).toBe(422);
    expect((await res.json()) as ProblemBody).toMatchObject({ code: 'DATASET_INVALID', errors: [{ path: 'publication.template' }] });
  });

  it('refuses an absurd figure (1e308) with its place', async () => {
    const dataset = originalJson() as { tables: { rows: Record<string, unknown>[] }[] };
    const row = dataset.tables[0]?.rows[2];
    const key = Object.keys(row ?? {}).find((k) => typeof row?.[k] === 'number');
    if (!row || !key) throw new Error('the example has no figure in row 3');
    row[key] = 1e308;
    const report = (await (await post('/api/datasets/validate', dataset)).json()) as {
      valid: boolean;
      errors: { path: string; message: string; place: { row: number; cell: string } }[];
    };
    expect(report.valid).toBe(false);
    expect(report.errors[0]).toMatchObject({ path: `tables[0].rows[2].${key}`, place: { row: 3, cell: key } });
    expect(report.errors[0]?.message).toMatch(/1\.00e\+308: no figure of this publication reaches 10\^15/);
  });

  it('refuses a directive in an erratum text at submission, with its line, instead of a retried RENDER_FAILED', async () => {
    const res = await post('/api/jobs', {
      dataset: originalJson(),
      previous: originalJson(),
      erratum: { date: '2020-04-28', text: 'Hersteld.\n\n::table kerncijfers\n::bogus' },
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as ProblemBody;
    expect(problem.code).toBe('ERRATUM_INVALID');
    expect(problem.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^erratum\.text line 3: "::table kerncijfers" is a directive/),
      expect.stringMatching(/^erratum\.text line 4: "::bogus" is a directive/),
    ]);
  });
});
