import express, { type Request, type Router } from 'express';
import { AppError } from '../../errors.js';
import { type AccessControl, actorOf, authOf } from './access-control.js';
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

/**
 * Signing in and out of the page (`/api/session`), and managing tokens (`/api/tokens`, admins).
 * What each route demands is in the access table (route-access.ts); the guard has checked it.
 */
export function createAuthRoutes(access: AccessControl): Router {
  const router = express.Router();
  // A small JSON or form body, refused with 415 before it is read when it is neither.
  const smallBody = [
    (req: Request, _res: unknown, next: () => void) => {
      requireBody(req);
      next();
    },
    express.json({ limit: '16kb', strict: true }),
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }),
  ];

  router.get('/api/session', async (_req, res) => {
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
  });

  router.post('/api/session', ...smallBody, async (req, res) => {
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
  });

  router.delete('/api/session', async (req, res) => {
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
  });

  router.get('/api/tokens', async (_req, res) => {
    res.json({ tokens: await access.tokens.list() });
  });

  router.post('/api/tokens', ...smallBody, async (req, res) => {
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
  });

  router.delete('/api/tokens/:id', async (req, res) => {
    const id = req.params.id;
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
  });

  return router;
}
