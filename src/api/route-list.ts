import { AUTH_ROUTES } from './auth/auth-routes.js';
import type { RouteAccess } from './auth/route-access.js';
import { PAGE_ROUTES } from './page-routes.js';
import { RECORD_ROUTES } from './record-routes.js';
import { type AnyRoute, toRouteAccess } from './route-table.js';
import { RENDER_ROUTES } from './routes.js';

// The one list of the app's routes. The routers (app.ts), the access table (below) and the OpenAPI
// document (openapi.ts) are made from it. No route module imports this one, so it is evaluated last.

/** Every route the app serves, as declared. */
export const ROUTES: readonly AnyRoute[] = [...RENDER_ROUTES, ...AUTH_ROUTES, ...RECORD_ROUTES, ...PAGE_ROUTES];

/**
 * Every route and the least role it demands, from the declarations. A request that matches no row
 * is answered 404 before any route sees it. Roles include the ones below them (reader < editor < admin).
 */
export const ROUTE_ACCESS: readonly RouteAccess[] = toRouteAccess(ROUTES);
