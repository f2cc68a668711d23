// The entry of the API layer.
export { type AppDeps, createApp } from './app.js';
export {
  type AccessControl,
  type AccessControlOptions,
  type AuditLog,
  cliActor,
  createAccessControl,
  createAuditLog,
  createTokenStore,
  isLoopbackHost,
  isRole,
  ROLES,
  type Role,
  type TokenInfo,
  type TokenStore,
} from './auth/index.js';
export { openApiDocument } from './openapi.js';
export { ROUTE_ACCESS, ROUTES } from './route-list.js';
export { createMetrics, type Metrics } from './metrics.js';
