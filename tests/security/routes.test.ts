import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createApp, openApiDocument, ROUTE_ACCESS, ROUTES } from '../../src/api/index.js';
import { type JobBody, logger, originalJson, startApi, uniqueQueueName } from '../integration/helpers.js';
import { listDeclaredRoutes, publishEdition, type SecureStack, startSecureStack, type Who } from './helpers.js';

const key = (method: string, path: string) => `${method} ${path}`;

/** A request that exercises a route, and the status each identity must get. */
interface Sample {
  readonly url: string;
  readonly init?: (who: Who) => RequestInit;
  readonly expect: Readonly<Record<'none' | 'reader' | 'editor' | 'admin', number>>;
}

const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('every route states its role, and answers by it', () => {
  let stack: SecureStack;
  let job: JobBody;
  let samples: Record<string, Sample>;

  beforeAll(async () => {
    // After the release moment of the example (2020-01-30 09:30 Dutch time): the edition is public.
    stack = await startSecureStack({ label: 'routes', clock: '2021-01-01T00:00:00Z' });
    job = await publishEdition(stack, { dataset: originalJson() });
    expect(job.state).toBe('completed');
    const publication = 'beleidsinformatie-veilig-thuis-2019-hj1';
    const all = (n: number) => ({ none: n, reader: n, editor: n, admin: n });
    const reading = (n: number) => ({ none: 401, reader: n, editor: n, admin: n });
    const admin = (n: number) => ({ none: 401, reader: 403, editor: 403, admin: n });
    const editing = (n: number) => ({ none: 401, reader: 403, editor: n, admin: n });
    samples = {
      'GET /healthz': { url: '/healthz', expect: all(200) },
      'GET /readyz': { url: '/readyz', expect: all(200) },
      'GET /api/openapi.json': { url: '/api/openapi.json', expect: all(200) },
      'GET /': { url: '/', expect: all(302) },
      'GET /redactie': { url: '/redactie', expect: all(200) },
      'GET /static/:name': { url: '/static/redactie.css', expect: all(200) },
      'GET /api/session': { url: '/api/session', expect: all(200) },
      'POST /api/session': {
        url: '/api/session',
        // Each signs in with its own token; nobody's is a made-up one.
        init: (who) => json({ token: who === 'none' ? `rs_${'x'.repeat(43)}` : stack.tokens[who] }),
        expect: { none: 401, reader: 201, editor: 201, admin: 201 },
      },
      'DELETE /api/session': { url: '/api/session', init: () => ({ method: 'DELETE' }), expect: all(204) },
      'POST /api/jobs': { url: '/api/jobs', init: () => json({}), expect: { none: 401, reader: 403, editor: 400, admin: 400 } },
      'POST /api/datasets/validate': {
        url: '/api/datasets/validate',
        init: () => json({}),
        expect: { none: 401, reader: 403, editor: 200, admin: 200 },
      },
      'POST /api/datasets/new-period': {
        url: '/api/datasets/new-period',
        init: () => json({ dataset: originalJson(), period: '2019HJ02' }),
        expect: editing(200),
      },
      'GET /api/jobs/:id': { url: `/api/jobs/${job.id}`, expect: reading(200) },
      'GET /api/jobs/:id/artifacts/:name': { url: `/api/jobs/${job.id}/artifacts/publicatie.pdf`, expect: reading(200) },
      'GET /api/publications': { url: '/api/publications', expect: reading(200) },
      'GET /api/publications/:id/editions': { url: `/api/publications/${publication}/editions`, expect: reading(200) },
      'POST /api/drafts': { url: '/api/drafts', init: () => json({}), expect: editing(400) },
      'GET /api/drafts': { url: '/api/drafts', expect: editing(200) },
      'GET /api/drafts/:id': { url: '/api/drafts/d_0000000000000000', expect: editing(404) },
      'GET /api/drafts/:id/artifacts/:name': { url: '/api/drafts/d_0000000000000000/artifacts/publicatie.pdf', expect: editing(404) },
      'POST /api/drafts/:id/reviews': {
        url: '/api/drafts/d_0000000000000000/reviews',
        init: () => json({ decision: 'approve', comment: 'akkoord' }),
        expect: editing(404),
      },
      'POST /api/publications/:id/editions/:edition/withdrawal': {
        url: `/api/publications/${publication}/editions/99/withdrawal`,
        init: () => json({ reason: 'proef' }),
        expect: admin(404),
      },
      'GET /api/audit': { url: '/api/audit', expect: admin(200) },
      'GET /metrics': { url: '/metrics', expect: admin(200) },
      'GET /api/tokens': { url: '/api/tokens', expect: admin(200) },
      'POST /api/tokens': { url: '/api/tokens', init: () => json({ name: 'via the API', role: 'reader' }), expect: admin(201) },
      'DELETE /api/tokens/:id': { url: '/api/tokens/t_000000000000', init: () => ({ method: 'DELETE' }), expect: admin(404) },
    };
  });

  afterAll(async () => {
    await stack?.close();
  });

  function declaredRoutes() {
    return listDeclaredRoutes(
      createApp({ service: stack.api.service, record: stack.api.record, logger, maxBodyBytes: 1024 * 1024, access: stack.api.access }),
    );
  }

  it('every route of the router has a row in the access table, and every row is a route', () => {
    const declared = declaredRoutes().map((r) => key(r.method, r.path));
    const table = ROUTE_ACCESS.map((r) => key(r.method, r.path));
    expect(declared.length).toBeGreaterThan(10);
    expect(
      declared.filter((r) => !table.includes(r)),
      'routes without a row in src/api/auth/route-access.ts',
    ).toEqual([]);
    expect(
      table.filter((r) => !declared.includes(r)),
      'rows of the access table that are no route',
    ).toEqual([]);
  });

  it('every route the router serves is in the OpenAPI document (issue 15 point 5)', () => {
    const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
    const missing = declaredRoutes().filter((r) => paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()] === undefined);
    expect(missing.map((r) => key(r.method, r.path))).toEqual([]);
  });

  it('the app serves exactly the declared routes, each once, and each is in the OpenAPI document as declared (issue 12)', () => {
    const served = declaredRoutes().map((r) => key(r.method, r.path));
    const declared = ROUTES.map((r) => key(r.method, r.path));
    expect(new Set(declared).size, 'a route declared twice').toBe(declared.length);
    expect(new Set(served).size, 'a route served twice').toBe(served.length);
    expect([...served].sort()).toEqual([...declared].sort());
    const paths = openApiDocument.paths as Record<string, Record<string, { operationId?: string; 'x-required-role'?: string }>>;
    for (const route of ROUTES) {
      const operation = paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation?.operationId, key(route.method, route.path)).toBe(route.operationId);
      expect(operation?.['x-required-role'], key(route.method, route.path)).toBe(route.role);
    }
    const operations = Object.values(paths).flatMap((item) => Object.keys(item));
    expect(operations.length, 'operations in the document that are no declared route').toBe(ROUTES.length);
  });

  it('the access table the guard uses is the declarations: each route with its declared role and embargo', () => {
    const table = stack.api.access.table.routes;
    expect(table).toBe(ROUTE_ACCESS);
    expect(table.map((r) => key(r.method, r.path))).toEqual(ROUTES.map((r) => key(r.method, r.path)));
    for (const route of ROUTES) {
      const row = table.find((r) => r.method === route.method && r.path === route.path);
      expect(row?.access, key(route.method, route.path)).toBe(route.role);
      expect(row?.embargo === true, key(route.method, route.path)).toBe(route.embargo === true);
    }
  });

  it('every $ref of the OpenAPI document names one of its components', () => {
    const schemas = openApiDocument.components.schemas as Record<string, unknown>;
    const refs = [...JSON.stringify(openApiDocument).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(20);
    const dangling = refs.filter(
      (ref) => !ref.startsWith('#/components/schemas/') || !(ref.slice('#/components/schemas/'.length) in schemas),
    );
    expect(dangling).toEqual([]);
  });

  it("a request's dataset is the schema of docs/dataset.schema.json, and the Job schema requires what a job answers", () => {
    const schemas = openApiDocument.components.schemas as unknown as Record<
      string,
      { properties?: Record<string, { $ref?: string }>; required?: string[] }
    >;
    const { $schema: _, ...file } = JSON.parse(readFileSync('docs/dataset.schema.json', 'utf8')) as Record<string, unknown>;
    expect(schemas.Dataset).toEqual(file);
    expect(schemas.RenderRequest?.properties?.dataset?.$ref).toBe('#/components/schemas/Dataset');
    const paths = openApiDocument.paths as Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
    >;
    expect(paths['/api/datasets/validate']?.post?.requestBody?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Dataset',
    });
    // The job as the API answered it (a completed edition): every required field is there, and nothing undeclared.
    const answered = Object.keys(job);
    expect(schemas.Job?.required?.filter((name) => !answered.includes(name))).toEqual([]);
    expect(answered.filter((name) => !(name in (schemas.Job?.properties ?? {})))).toEqual([]);
    expect(schemas.Job?.required).toContain('releaseAt');
  });

  it('every operation of the OpenAPI document has a row in the access table, and states its role', () => {
    const paths = openApiDocument.paths as Record<string, Record<string, { 'x-required-role'?: string }>>;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const row = ROUTE_ACCESS.find((r) => r.method === method.toUpperCase() && r.path.replace(/:(\w+)/g, '{$1}') === path);
        expect(row, `${method.toUpperCase()} ${path} is not in the access table`).toBeDefined();
        expect(operation['x-required-role']).toBe(row?.access);
      }
    }
  });

  it('with no token, a reader and an editor (and an admin), every route answers as its role demands', async () => {
    const failures: string[] = [];
    const routes = declaredRoutes();
    for (const route of routes) {
      const k = key(route.method, route.path);
      const row = ROUTE_ACCESS.find((r) => key(r.method, r.path) === k);
      const sample = samples[k];
      const url = sample?.url ?? route.path.replace(/:\w+/g, 'x').replace(/\*\w+/, 'x');
      for (const who of ['none', 'reader', 'editor', 'admin'] as const) {
        const res = await stack.request(who, url, sample?.init?.(who) ?? { method: route.method });
        await res.arrayBuffer();
        if (sample) {
          if (res.status !== sample.expect[who]) failures.push(`${k} as ${who}: ${res.status}, expected ${sample.expect[who]}`);
          continue;
        }
        // A route with no sample (new, e.g. from the page): the guard's answer must follow its row.
        const access = row?.access ?? 'unlisted';
        const denied = res.status === 401 || res.status === 403;
        const mayPass =
          access === 'public' ||
          (access === 'reader' && who !== 'none') ||
          (access === 'editor' && (who === 'editor' || who === 'admin')) ||
          (access === 'admin' && who === 'admin');
        if (access === 'unlisted' || denied === mayPass || res.status >= 500) {
          failures.push(`${k} (${access}) as ${who}: ${res.status}; add a sample to routes.test.ts`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(Object.keys(samples).filter((k) => !routes.some((r) => key(r.method, r.path) === k))).toEqual([]);
  });

  it('a route left out of the access table is unreachable: it answers 404 to everyone, even an admin', async () => {
    const storageDir = stack.storageDir;
    const api = await startApi({
      queueName: uniqueQueueName('routes-unlisted'),
      storageDir,
      db: stack.api.db,
      access: { routes: ROUTE_ACCESS.filter((r) => r.path !== '/api/publications') },
    });
    try {
      for (const token of [stack.tokens.admin, stack.tokens.editor]) {
        const res = await fetch(`${api.baseUrl}/api/publications`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
      }
      expect((await fetch(`${api.baseUrl}/api/publications/x/editions`)).status).toBe(401);
    } finally {
      await api.close();
    }
  });

  it('paths are matched as the router matches them: other case, a trailing slash or an encoded id need the same role', async () => {
    for (const url of [`/API/JOBS/${job.id}`, `/api/jobs/${job.id}/`, `/api/jobs/${job.id.replace('-', '%2D')}`, '/API/Tokens/']) {
      const res = await stack.request('none', url);
      expect(res.status, url).toBe(401);
    }
    expect((await stack.request('reader', '/Api/Tokens')).status).toBe(403);
    expect((await stack.request('reader', `/api/jobs/${job.id}/`)).status).toBe(200);
  });
});
