// The access part of the OpenAPI document: the schemas of sessions and tokens, and the security
// schemes. The routes themselves are declared in auth-routes.ts.

const tokenInfo = {
  type: 'object',
  required: ['id', 'name', 'role', 'createdAt', 'createdBy', 'revokedAt', 'revokedBy'],
  properties: {
    id: { type: 'string', pattern: '^t_[0-9a-f]{12}$' },
    name: { type: 'string' },
    role: { enum: ['reader', 'editor', 'admin'] },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedBy: { type: ['string', 'null'] },
  },
};

/** The schemas the session and token routes refer to. */
export const ACCESS_SCHEMAS = {
  TokenInfo: tokenInfo,
  Session: {
    type: 'object',
    required: ['signedIn'],
    properties: {
      signedIn: { type: 'boolean' },
      mode: { enum: ['open', 'tokens'], description: 'open: no token exists and the service listens on 127.0.0.1 only.' },
      via: { enum: ['bearer', 'session', 'open'] },
      actor: {
        type: 'object',
        properties: { id: { type: 'string' }, name: { type: 'string' }, role: { enum: ['reader', 'editor', 'admin'] } },
      },
      csrfToken: { type: ['string', 'null'], description: 'For a page session: send it as X-CSRF-Token with every POST and DELETE.' },
      expiresAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
} as const;

/** How a client proves who it is. */
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'An API token (npm run token -- create): Authorization: Bearer rs_…' },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'rs_session',
    description: 'The page session from POST /api/session; state-changing requests also need the X-CSRF-Token header.',
  },
} as const;
