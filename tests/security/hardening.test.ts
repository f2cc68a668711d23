import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageRoutes } from '../../src/api/page-routes.js';
import { toDownloadName } from '../../src/api/resources.js';
import type { EditionManifest } from '../../src/jobs/index.js';
import { parseDatasetText } from '../../src/model/dataset.js';
import { printPdf } from '../../src/render/pdf/print-pdf.js';
import { createTextEngine, type TextContext } from '../../src/render/text/template-engine.js';
import { loadFonts } from '../../src/resources.js';
import { originalJson, ROOT } from '../integration/helpers.js';
import { type SecureStack, startSecureStack } from './helpers.js';

describe('hardening of the HTTP answers', () => {
  let stack: SecureStack;

  beforeAll(async () => {
    stack = await startSecureStack({ label: 'hardening', worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('every kind of answer has the security headers and a policy of same-origin files only, no inline script or style', async () => {
    const answers = [
      await stack.request('reader', '/redactie'),
      await stack.request('reader', '/static/redactie.js'),
      await stack.request('reader', '/api/publications'),
      await stack.request('none', '/api/jobs/x'),
      await stack.request('none', '/no/such/route'),
    ];
    for (const res of answers) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:|\*/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(['no-referrer', 'same-origin']).toContain(res.headers.get('referrer-policy'));
      expect(res.headers.get('x-powered-by')).toBeNull();
      await res.arrayBuffer();
    }
  });

  it('the page fits that policy: its script and style are files from the service, nothing inline', async () => {
    const html = await (await stack.request('none', '/redactie')).text();
    expect(html).toMatch(/<script[^>]+src="\/static\//);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=|javascript:/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });
});

describe('rate limits', () => {
  let stack: SecureStack;

  beforeAll(async () => {
    stack = await startSecureStack({
      label: 'rate',
      worker: false,
      access: { rateLimit: { perTokenPerMinute: 8, anonymousPerMinute: 4 } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('rate limits count per token and per address for anonymous requests, and answer 429 with Retry-After', async () => {
    const statuses = async (who: 'none' | 'reader' | 'editor', n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const res = await stack.request(who, '/api/publications');
        out.push(res.status);
        if (res.status === 429) {
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(await res.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
        } else await res.arrayBuffer();
      }
      return out;
    };
    expect(await statuses('none', 5)).toEqual([401, 401, 401, 401, 429]);
    expect(await statuses('reader', 9)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    // Another token has its own count, although it comes from the same address.
    expect((await statuses('editor', 1))[0]).toBe(200);
    // Guessing tokens counts against the address.
    const guess = await fetch(`${stack.baseUrl}/api/publications`, { headers: { authorization: `Bearer rs_${'a'.repeat(43)}` } });
    expect(guess.status).toBe(429);
    // Health probes are not limited.
    expect((await stack.request('none', '/healthz')).status).toBe(200);
  });
});

describe('request size limits', () => {
  let stack: SecureStack;
  beforeAll(async () => {
    stack = await startSecureStack({ label: 'sizes', worker: false, maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 413 for a body above the limit, on every route that takes one', async () => {
    const big = JSON.stringify({ dataset: { padding: 'x'.repeat(70 * 1024) } });
    const cases: [string, string, string][] = [
      ['/api/jobs', big, 'application/json'],
      ['/api/datasets/validate', big, 'application/json'],
      ['/api/session', JSON.stringify({ token: 'x'.repeat(20 * 1024) }), 'application/json'],
      ['/api/tokens', JSON.stringify({ name: 'x'.repeat(20 * 1024), role: 'reader' }), 'application/json'],
    ];
    for (const [url, body, type] of cases) {
      const res = await stack.request('admin', url, { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status, url).toBe(413);
      expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
  });
});

describe('file names, templates, PDF and workbook stay inside the project', () => {
  it('download names are built from safe characters only', () => {
    const manifest = { publicationId: 'a"b\r\nc;d/../e', edition: 2 } as unknown as EditionManifest;
    const name = toDownloadName(manifest, 'x y";.pdf');
    expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(name).toBe('a_b__c_d_.._e-editie-2-x_y__.pdf');
  });

  it('chapter texts are strict Handlebars without prototype access', () => {
    const dataset = parseDatasetText(JSON.stringify(originalJson()), 'dataset');
    const engine = createTextEngine({}, dataset);
    const context = { publication: dataset.publication, period: 'p', edition: 1, corrected: false } as unknown as TextContext;
    for (const source of [
      '{{constructor.constructor "return process"}}',
      '{{publication.constructor.name}}',
      '{{publication.__proto__}}',
      '{{lookup publication "constructor"}}',
      '{{noSuchField}}',
    ]) {
      let out: string | undefined;
      try {
        out = engine.renderString('attack.hbs', source, context);
      } catch (error) {
        expect((error as { code?: string }).code, source).toBe('TEMPLATE_INVALID');
      }
      expect(out ?? '', source).not.toMatch(/function|Object|process/);
    }
    expect(() => engine.render('../../package.json', context)).toThrow(/does not exist/);
  });

  it('the page is compiled from its own files, strict, without prototype access', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'page-templates-'));
    try {
      await mkdir(path.join(dir, 'partials'));
      const publicDir = path.join(ROOT, 'src/api/public');
      for (const source of ['{{assets.constructor.name}}', '{{assets.__proto__.x}}', '{{missing}}']) {
        await writeFile(path.join(dir, 'redactie.hbs'), source);
        expect(() => createPageRoutes({ maxBodyBytes: 1024, templatesDir: dir, publicDir }), source).toThrow();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('pdfmake may read no URL and no local file but the fonts', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/x.png`;
    const here = fileURLToPath(import.meta.url);
    try {
      for (const image of [url, here, `file://${here}`, '/etc/passwd']) {
        await expect(printPdf({ content: [{ image, width: 10 }] }, loadFonts()), image).rejects.toThrow(/denied by resource access policy/);
      }
      await expect(printPdf({ content: ['x'], images: { a: url } }, loadFonts())).rejects.toThrow(/denied/);
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });
  // exceljs: tests/unit/xlsx/text-safety.test.ts renders labels such as "=SUM(A1:A9)" and
  // '=HYPERLINK(…)' and checks every cell is a plain value and no sheet holds a formula.
});
