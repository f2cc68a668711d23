import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { type AccessControl, actorOf, authOf } from './access-control.js';
import { type Answer, asComponent, createRouterOf, defineRoute, jsonAnswer, problemAnswer } from '../route-table.js';
import { isRole } from './roles.js';
import { TOKEN_ID_PATTERN } from './token-store.js';

function bodyField(req: Request, name: string): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && Object.hasOwn(body, name) ? body[name] : undefined;
}

function requireBody(req: Request): void {
  if (!req.is('application/json') && !req.is('application/x-www-form-urlencoded')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json (or a form, application/x-www-form-urlencoded)');
  }
}

/** A small JSON or form body, refused with 415 before it is read when it is neither. */
const smallBody: RequestHandler[] = [
  (req, _res, next) => {
    requireBody(req);
    next();
  },
  express.json({ limit: '16kb', strict: true }),
  express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }),
];

const problem = problemAnswer;

const sessionAnswer = (description: string): Answer => jsonAnswer('Session', description);

const TokenIdParams = z.object({
  id: z
    .string()
    .regex(/^t_[0-9a-f]{12}$/)
    .meta({ description: 'A token id: "t_" and 12 hex digits (see GET /api/tokens or `npm run token -- list`).' }),
});

const RoleSchema = z.enum(['reader', 'editor', 'admin']);

/** A token's record: the component TokenInfo of the document. */
const TokenInfoRef = asComponent(z.object({}), 'TokenInfo');

/**
 * Signing in and out of the page (`/api/session`), and managing tokens (`/api/tokens`, admins).
 * The guard has checked each route's role before its handler runs.
 */
export const AUTH_ROUTES = [
  defineRoute<AccessControl>({
    method: 'GET',
    path: '/api/session',
    role: 'public',
    operationId: 'getSession',
    summary: 'Who this request is: signed in or not, the role, and the CSRF token of a page session',
    responses: { 200: sessionAnswer('The session (signedIn false when there is none).') },
    handler: (access) => async (_req, res) => {
      const auth = authOf(res);
      const open = await access.isOpen();
      if (!auth.actor) {
        res.json({ signedIn: false, mode: open ? 'open' : 'tokens' });
        return;
      }
      res.json({
        signedIn: true,
        mode: auth.via === 'open' ? 'open' : 'tokens',
        via: auth.via,
        actor: { id: auth.actor.id, name: auth.actor.name, role: auth.actor.role },
        // Only a session needs one: Bearer requests are not sent by a browser on its own.
        csrfToken: auth.session?.csrfToken ?? null,
        expiresAt: auth.session ? new Date(auth.session.expiresAt).toISOString() : null,
      });
    },
  }),
  defineRoute<AccessControl>({
    method: 'POST',
    path: '/api/session',
    role: 'public',
    operationId: 'signIn',
    summary: 'Sign the page in with a token: sets an http-only, SameSite=Strict session cookie',
    description:
      'Send {"token": "rs_…"} (JSON or a form). The answer holds the CSRF token: send it in the X-CSRF-Token header ' +
      '(or a form field _csrf) with every POST or DELETE made with the session cookie.',
    input: { body: { 'application/json': z.object({ token: z.string() }) } },
    responses: {
      201: sessionAnswer('Signed in.'),
      401: problem('The token is unknown or revoked (UNAUTHENTICATED).'),
      415: problem('The body is not JSON or a form (UNSUPPORTED_MEDIA_TYPE).'),
    },
    handler: (access) => [
      ...smallBody,
      async (req, res) => {
        const token = bodyField(req, 'token');
        const actor = typeof token === 'string' ? await access.tokens.verify(token.trim()) : undefined;
        if (!actor) {
          await access.audit.record({
            actor: null,
            action: 'access.denied',
            object: { method: req.method, path: req.path },
            ip: req.ip ?? null,
            reason: 'sign-in with an unknown or revoked token',
          });
          throw new AppError('UNAUTHENTICATED', 'this token is unknown or revoked: ask an admin for a token (npm run token -- create)');
        }
        const previous = authOf(res).session;
        if (previous) await access.sessions.end(previous.id);
        const session = await access.sessions.create(actor.id);
        access.setSessionCookie(req, res, session);
        await access.audit.record({ actor, action: 'session.created', object: { tokenId: actor.id }, ip: req.ip ?? null });
        res.status(201).json({
          signedIn: true,
          mode: 'tokens',
          via: 'session',
          actor: { id: actor.id, name: actor.name, role: actor.role },
          csrfToken: session.csrfToken,
          expiresAt: new Date(session.expiresAt).toISOString(),
        });
      },
    ],
  }),
  defineRoute<AccessControl>({
    method: 'DELETE',
    path: '/api/session',
    role: 'public',
    operationId: 'signOut',
    summary: 'Sign out: ends the session and clears its cookie (needs the CSRF token)',
    responses: { 204: { description: 'Signed out.' } },
    handler: (access) => async (req, res) => {
      const auth = authOf(res);
      if (auth.session) {
        await access.sessions.end(auth.session.id);
        await access.audit.record({
          actor: auth.actor ?? null,
          action: 'session.ended',
          object: { tokenId: auth.session.tokenId },
          ip: req.ip ?? null,
        });
      }
      access.clearSessionCookie(req, res);
      res.status(204).end();
    },
  }),
  defineRoute<AccessControl>({
    method: 'GET',
    path: '/api/tokens',
    role: 'admin',
    operationId: 'listTokens',
    summary: 'Every token ever made (never the token itself, nor its hash)',
    responses: {
      200: { description: 'The tokens, oldest first.', content: { 'application/json': z.object({ tokens: z.array(TokenInfoRef) }) } },
    },
    handler: (access) => async (_req, res) => {
      res.json({ tokens: await access.tokens.list() });
    },
  }),
  defineRoute<AccessControl>({
    method: 'POST',
    path: '/api/tokens',
    role: 'admin',
    operationId: 'createToken',
    summary: 'Make a token; the answer is the only time it is shown',
    input: { body: { 'application/json': z.object({ name: z.string().max(80), role: RoleSchema }) } },
    responses: {
      201: {
        description: 'The token (field token) and its record.',
        content: { 'application/json': z.intersection(TokenInfoRef, z.object({ token: z.string() })) },
      },
      400: problem('The name or role is missing or wrong (REQUEST_INVALID).'),
    },
    handler: (access) => [
      ...smallBody,
      async (req, res) => {
        const role = bodyField(req, 'role');
        if (!isRole(role)) {
          throw new AppError('REQUEST_INVALID', 'role must be reader, editor or admin', {
            details: [{ path: 'role', message: 'must be reader, editor or admin' }],
          });
        }
        const actor = actorOf(res);
        let created: Awaited<ReturnType<typeof access.tokens.create>>;
        try {
          created = await access.tokens.create({ name: String(bodyField(req, 'name') ?? ''), role, createdBy: actor?.id ?? 'unknown' });
        } catch (error) {
          if (error instanceof AppError && error.code === 'USAGE') {
            throw new AppError('REQUEST_INVALID', error.message, { details: [{ path: 'name', message: error.message }] });
          }
          throw error;
        }
        await access.audit.record({
          actor: actor ?? null,
          action: 'token.created',
          object: { tokenId: created.info.id, name: created.info.name, role: created.info.role },
          ip: req.ip ?? null,
        });
        res
          .status(201)
          .location(`/api/tokens/${created.info.id}`)
          .json({ ...created.info, token: created.token });
      },
    ],
  }),
  defineRoute<AccessControl>({
    method: 'DELETE',
    path: '/api/tokens/:id',
    role: 'admin',
    operationId: 'revokeToken',
    summary: 'Revoke a token at once (its page sessions end too)',
    input: { params: TokenIdParams },
    responses: { 200: jsonAnswer('TokenInfo', 'The revoked token.'), 404: problem('There is no such token (NOT_FOUND).') },
    handler: (access) => async (req, res) => {
      const id = String(req.params.id);
      if (!TOKEN_ID_PATTERN.test(id)) throw new AppError('NOT_FOUND', 'there is no such token');
      const actor = actorOf(res);
      const info = await access.tokens.revoke(id, actor?.id ?? 'unknown');
      await access.sessions.endAllOf(id);
      await access.audit.record({
        actor: actor ?? null,
        action: 'token.revoked',
        object: { tokenId: id, name: info.name },
        ip: req.ip ?? null,
      });
      res.json(info);
    },
  }),
];

/** The router of signing in and out and of token management. */
export function createAuthRoutes(access: AccessControl): Router {
  return createRouterOf(AUTH_ROUTES, access);
}
