import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageRoutes } from '../../../src/api/page-routes.js';
import { ROOT } from '../../helpers/examples.js';

// The page is a set of ES modules that import each other by name: each one must be served, with
// a JavaScript type, or the browser refuses the whole page.

const PUBLIC = path.join(ROOT, 'src/api/public');
const modules = readdirSync(PUBLIC).filter((name) => name.endsWith('.js'));

describe('modules of the editors page', () => {
  let server: ReturnType<express.Express['listen']>;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(createPageRoutes({ maxBodyBytes: 1024 * 1024 }));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves every module as JavaScript, byte for byte', async () => {
    expect(modules).toContain('redactie.js');
    for (const name of modules) {
      const res = await fetch(`${base}/static/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toBe('text/javascript; charset=utf-8');
      expect(await res.text(), name).toBe(readFileSync(path.join(PUBLIC, name), 'utf8'));
    }
  });

  it('imports only modules of its own folder, by a name that is served', () => {
    for (const name of modules) {
      const source = readFileSync(path.join(PUBLIC, name), 'utf8');
      for (const [, specifier] of source.matchAll(/^import[^'"]*['"]([^'"]+)['"];?$/gm)) {
        expect(specifier, `${name} imports ${specifier}`).toMatch(/^\.\/[a-z-]+\.js$/);
        expect(modules, `${name} imports ${specifier}`).toContain(specifier?.slice(2));
      }
    }
  });

  it('leaves the type declarations and the TypeScript project of the page unserved', async () => {
    for (const name of ['page-types.d.ts', 'tsconfig.json']) {
      expect((await fetch(`${base}/static/${name}`)).status, name).not.toBe(200);
    }
  });
});
