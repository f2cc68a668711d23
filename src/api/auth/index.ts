// The entry of the access layer: authentication, roles, CSRF, rate limits, audit log, security headers.
export {
  type AccessControl,
  type AccessControlOptions,
  type AuthVia,
  actorOf,
  auditBeforeServing,
  authOf,
  type CookieSecure,
  createAccessControl,
  noteAudit,
  type RequestAuth,
  viewerOf,
} from './access-control.js';
export { AUDIT_FILE, type AuditAction, type AuditEntry, type AuditLog, cliActor, createAuditLog } from './audit-log.js';
export { createAuthRoutes } from './auth-routes.js';
export type { RateLimitOptions } from './rate-limit.js';
export { type Access, type Actor, hasRole, isLoopbackHost, isRole, LOCAL_ACTOR, ROLES, type Role } from './roles.js';
export { createRouteAccessTable, type RouteAccess, type RouteAccessTable } from './route-access.js';
export { CONTENT_SECURITY_POLICY, createSecurityHeaders } from './security-headers.js';
export { SESSION_COOKIE } from './session-store.js';
export { createTokenStore, TOKENS_FILE, type TokenInfo, type TokenStore } from './token-store.js';
