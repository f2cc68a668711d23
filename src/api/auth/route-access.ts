import type { Access } from './roles.js';

/** An HTTP method a route answers (HEAD is answered as GET). */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What one route demands. */
export interface RouteAccess {
  readonly method: RouteMethod;
  /** The route's path exactly as the router declares it (`:name` is one segment, `*name` the rest). */
  readonly path: string;
  readonly access: Access;
  /** True when the route shows editions or their files: readers see only released ones (checked in the service). */
  readonly embargo?: boolean;
}

/**
 * Every route of the app and the least role it demands: the one place access is stated. A request
 * that matches no row is answered 404 before any route sees it, so a route missing here is
 * unreachable (and the every-route test fails). Roles include the ones below them
 * (reader < editor < admin).
 */
export const ROUTE_ACCESS: readonly RouteAccess[] = [
  // Probes and the API description.
  { method: 'GET', path: '/healthz', access: 'public' },
  { method: 'GET', path: '/readyz', access: 'public' },
  { method: 'GET', path: '/api/openapi.json', access: 'public' },
  // The editor's page: a shell without data (its script reads everything through the API below).
  { method: 'GET', path: '/', access: 'public' },
  { method: 'GET', path: '/redactie', access: 'public' },
  { method: 'GET', path: '/static/:name', access: 'public' },
  // Signing in and out (the page), and who am I.
  { method: 'GET', path: '/api/session', access: 'public' },
  { method: 'POST', path: '/api/session', access: 'public' },
  { method: 'DELETE', path: '/api/session', access: 'public' },
  // Rendering.
  { method: 'POST', path: '/api/jobs', access: 'editor' },
  { method: 'POST', path: '/api/datasets/validate', access: 'editor' },
  { method: 'POST', path: '/api/datasets/import', access: 'editor' },
  { method: 'POST', path: '/api/datasets/new-period', access: 'editor' },
  { method: 'GET', path: '/api/jobs/:id', access: 'reader', embargo: true },
  { method: 'GET', path: '/api/jobs/:id/artifacts/:name', access: 'reader', embargo: true },
  { method: 'GET', path: '/api/publications', access: 'reader', embargo: true },
  { method: 'GET', path: '/api/publications/:id/editions', access: 'reader', embargo: true },
  // Drafts and their review (editors: nobody reviews their own), withdrawals and the audit log (admins).
  { method: 'POST', path: '/api/drafts', access: 'editor' },
  { method: 'GET', path: '/api/drafts', access: 'editor' },
  { method: 'GET', path: '/api/drafts/:id', access: 'editor' },
  { method: 'GET', path: '/api/drafts/:id/artifacts/:name', access: 'editor' },
  { method: 'POST', path: '/api/drafts/:id/reviews', access: 'editor' },
  { method: 'POST', path: '/api/publications/:id/editions/:edition/withdrawal', access: 'admin' },
  { method: 'GET', path: '/api/audit', access: 'admin' },
  // Prometheus metrics (jobs, queue depth, latency): for operators, like the token routes.
  { method: 'GET', path: '/metrics', access: 'admin' },
  // Tokens.
  { method: 'GET', path: '/api/tokens', access: 'admin' },
  { method: 'POST', path: '/api/tokens', access: 'admin' },
  { method: 'DELETE', path: '/api/tokens/:id', access: 'admin' },
];

const STRICTNESS: Record<Access, number> = { public: 0, reader: 1, editor: 2, admin: 3 };

interface CompiledRoute extends RouteAccess {
  readonly pattern: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** The pattern of a route path, matched as Express matches it: case-insensitive, optional trailing slash. */
export function toRoutePattern(routePath: string): RegExp {
  if (/[{}()?]/.test(routePath)) throw new Error(`route-access: "${routePath}" uses path syntax the access table does not support`);
  const body = routePath
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) return '[^/]+';
      if (segment.startsWith('*')) return '.+';
      return escapeRegExp(segment);
    })
    .join('/');
  return new RegExp(`^${body}/?$`, 'i');
}

/** Looks requests up in an access table. */
export interface RouteAccessTable {
  /** The route a request matches (the strictest, should several match); undefined when none does. */
  find(method: string, requestPath: string): RouteAccess | undefined;
  readonly routes: readonly RouteAccess[];
}

/** Compiles an access table (default: the app's). */
export function createRouteAccessTable(routes: readonly RouteAccess[] = ROUTE_ACCESS): RouteAccessTable {
  const compiled: CompiledRoute[] = routes.map((r) => ({ ...r, pattern: toRoutePattern(r.path) }));
  return {
    routes,
    find(method, requestPath) {
      const m = method === 'HEAD' ? 'GET' : method;
      let found: CompiledRoute | undefined;
      for (const route of compiled) {
        if (route.method !== m || !route.pattern.test(requestPath)) continue;
        if (!found || STRICTNESS[route.access] > STRICTNESS[found.access]) found = route;
      }
      return found;
    },
  };
}
