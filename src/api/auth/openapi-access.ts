import { ROUTE_ACCESS, type RouteAccess } from './route-access.js';
import { pathParameter, problemAnswer } from '../openapi-parts.js';

// The access part of the OpenAPI document: the session and token routes, the security schemes,
// and for every operation the role it needs (from the access table, so the two cannot differ).

const problem = problemAnswer;

const sessionAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Session' } } },
});

const tokenIdParam = pathParameter('id', 'A token id: "t_" and 12 hex digits (see GET /api/tokens or `npm run token -- list`).', {
  type: 'string',
  pattern: '^t_[0-9a-f]{12}$',
});

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

/** The paths of signing in and out and of token management. */
export const ACCESS_PATHS = {
  '/api/session': {
    get: {
      operationId: 'getSession',
      summary: 'Who this request is: signed in or not, the role, and the CSRF token of a page session',
      responses: { '200': sessionAnswer('The session (signedIn false when there is none).') },
    },
    post: {
      operationId: 'signIn',
      summary: 'Sign the page in with a token: sets an http-only, SameSite=Strict session cookie',
      description:
        'Send {"token": "rs_…"} (JSON or a form). The answer holds the CSRF token: send it in the X-CSRF-Token header ' +
        '(or a form field _csrf) with every POST or DELETE made with the session cookie.',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
          },
        },
      },
      responses: {
        '201': sessionAnswer('Signed in.'),
        '401': problem('The token is unknown or revoked (UNAUTHENTICATED).'),
        '415': problem('The body is not JSON or a form (UNSUPPORTED_MEDIA_TYPE).'),
      },
    },
    delete: {
      operationId: 'signOut',
      summary: 'Sign out: ends the session and clears its cookie (needs the CSRF token)',
      responses: { '204': { description: 'Signed out.' } },
    },
  },
  '/api/tokens': {
    get: {
      operationId: 'listTokens',
      summary: 'Every token ever made (never the token itself, nor its hash)',
      responses: {
        '200': {
          description: 'The tokens, oldest first.',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { tokens: { type: 'array', items: { $ref: '#/components/schemas/TokenInfo' } } } },
            },
          },
        },
      },
    },
    post: {
      operationId: 'createToken',
      summary: 'Make a token; the answer is the only time it is shown',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['name', 'role'],
              properties: { name: { type: 'string', maxLength: 80 }, role: { enum: ['reader', 'editor', 'admin'] } },
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'The token (field token) and its record.',
          content: {
            'application/json': {
              schema: {
                allOf: [{ $ref: '#/components/schemas/TokenInfo' }, { type: 'object', properties: { token: { type: 'string' } } }],
              },
            },
          },
        },
        '400': problem('The name or role is missing or wrong (REQUEST_INVALID).'),
      },
    },
  },
  '/api/tokens/{id}': {
    delete: {
      operationId: 'revokeToken',
      summary: 'Revoke a token at once (its page sessions end too)',
      parameters: [tokenIdParam],
      responses: {
        '200': {
          description: 'The revoked token.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenInfo' } } },
        },
        '404': problem('There is no such token (NOT_FOUND).'),
      },
    },
  },
} as const;

/** The schemas the access paths refer to. */
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

type Operation = { responses?: Record<string, unknown>; [key: string]: unknown };
type PathItem = Record<string, Operation>;

/** The OpenAPI path of a route path: `/api/jobs/:id` → `/api/jobs/{id}`. */
export function toOpenApiPath(routePath: string): string {
  return routePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * Adds to each operation of `paths` the role it needs (`x-required-role`), its security
 * requirement and the 401/403/429 answers, from the access table.
 */
export function withAccess<T extends Record<string, PathItem>>(paths: T, table: readonly RouteAccess[] = ROUTE_ACCESS): T {
  const out: Record<string, PathItem> = {};
  for (const [path, item] of Object.entries(paths)) {
    const methods: PathItem = {};
    for (const [method, operation] of Object.entries(item)) {
      const row = table.find((r) => r.method === method.toUpperCase() && toOpenApiPath(r.path) === path);
      const access = row?.access ?? 'admin';
      const responses: Record<string, unknown> = { ...operation.responses };
      if (access !== 'public') {
        responses['401'] ??= problem('No valid token or session (UNAUTHENTICATED).');
        responses['403'] ??= problem(`The token's role is below ${access}, or the CSRF token or origin is wrong (FORBIDDEN).`);
      }
      responses['429'] ??= problem('Too many requests from this token or address (RATE_LIMITED); see Retry-After.');
      methods[method] = {
        ...operation,
        'x-required-role': access,
        ...(row?.embargo ? { 'x-embargo': 'readers see only editions whose release moment has passed; others answer 404' } : {}),
        security: access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
        responses,
      };
    }
    out[path] = methods;
  }
  return out as T;
}
