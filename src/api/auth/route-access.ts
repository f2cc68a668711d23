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

/** Compiles an access table (the app's is ROUTE_ACCESS of route-list.ts, made from the route declarations). */
export function createRouteAccessTable(routes: readonly RouteAccess[]): RouteAccessTable {
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
