import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { isEmbargoDenial, type Viewer } from '../../jobs/index.js';
import { type AuditAction, type AuditLog, type AuditValue, createAuditLog } from './audit-log.js';
import { createRateLimit, type RateLimitOptions } from './rate-limit.js';
import { type Actor, hasRole, isLoopbackHost, LOCAL_ACTOR, seesEmbargoed } from './roles.js';
import { createRouteAccessTable, type RouteAccess, type RouteAccessTable } from './route-access.js';
import { createSessionStore, SESSION_COOKIE, type Session, type SessionStore, safeEqual } from './session-store.js';
import { createTokenStore, type TokenStore } from './token-store.js';

/** How the Secure flag of the session cookie is chosen: `auto` sets it when the request came over https. */
export type CookieSecure = 'auto' | 'always' | 'never';

/** Options of the access control. */
export interface AccessControlOptions {
  /** The record: tokens, sessions and the audit log live there. */
  readonly db: Queryable;
  /**
   * True when the server listens on 127.0.0.1 only: as long as no token was ever made, every
   * request is let in as the local admin. False: without a token nobody gets in.
   */
  readonly openWhenNoTokens: boolean;
  readonly cookieSecure: CookieSecure;
  readonly sessionTtlMs: number;
  readonly rateLimit: RateLimitOptions;
  readonly logger: Logger;
  /** The current time (sessions, audit); tests inject one. */
  readonly clock?: () => Date;
  /** The access table: the app's is ROUTE_ACCESS of route-list.ts, made from the route declarations. */
  readonly routes: readonly RouteAccess[];
}

/** How a request was authenticated. */
export type AuthVia = 'bearer' | 'session' | 'open' | 'none';

/** What the guard found out about a request, kept in `res.locals.auth`. */
export interface RequestAuth {
  readonly actor: Actor | undefined;
  readonly via: AuthVia;
  readonly session: Session | undefined;
  /** Credentials were sent but are not valid: the reason, for a 401. */
  readonly rejected: string | undefined;
  /** The route's row of the access table (set once the request is authorized). */
  route?: RouteAccess;
  /** Details a route adds to its audit entry (e.g. the job it made). */
  auditObject?: Record<string, AuditValue>;
  /** Writes the request's audit entries now (throws when it cannot); set while they are not written. */
  writeAudit?: () => Promise<void>;
}

/** Authentication, authorization, CSRF, rate limits and the audit log of the app. */
export interface AccessControl {
  readonly tokens: TokenStore;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly table: RouteAccessTable;
  readonly options: AccessControlOptions;
  /** The middleware before every route: identify, rate limit, authorize (route table, CSRF, origin). */
  readonly guard: readonly RequestHandler[];
  /** An error middleware that records denials (an embargoed edition asked for by a reader) and passes the error on. */
  readonly auditErrors: ErrorRequestHandler;
  /** True while requests are let in without a token (open mode). */
  isOpen(): Promise<boolean>;
  /** Sets the session cookie of a new session. */
  setSessionCookie(req: Request, res: Response, session: Session): void;
  clearSessionCookie(req: Request, res: Response): void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** What the guard found for this request; anonymous when the guard has not run. */
export function authOf(res: Response): RequestAuth {
  return (res.locals.auth as RequestAuth | undefined) ?? { actor: undefined, via: 'none', session: undefined, rejected: undefined };
}

/** The actor of a request, if any. */
export function actorOf(res: Response): Actor | undefined {
  return authOf(res).actor;
}

/** Which editions this request may see: editors all, everyone else released ones only. */
export function viewerOf(res: Response): Viewer {
  return { seesEmbargoed: seesEmbargoed(actorOf(res)) };
}

/** Adds details to the audit entry the route's request will get (when its row names an audit action). */
export function noteAudit(res: Response, object: Record<string, AuditValue>): void {
  const auth = authOf(res);
  auth.auditObject = { ...auth.auditObject, ...object };
}

/**
 * Writes the request's audit entries before anything is served (downloads, validations): when the
 * audit log cannot be written, 503 DATABASE_FAILED and nothing is served (`stream`, opened already,
 * is closed). Without audit entries for the route (HEAD), nothing to do.
 */
export async function auditBeforeServing(res: Response, stream?: { destroy(): void }): Promise<void> {
  const write = authOf(res).writeAudit;
  if (!write) return;
  try {
    await write();
  } catch (error) {
    stream?.destroy();
    throw new AppError('DATABASE_FAILED', 'the audit log could not be written, so nothing is served: try again later', {
      cause: error,
    });
  }
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * True when open mode may answer: the connection comes from a loopback address (the socket's, not
 * what a header says), no proxy forwarded it for someone else, and the Host header names this
 * machine (a page under another host name may be DNS rebinding).
 */
function isFromThisMachine(req: Request): boolean {
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return isLoopbackHost(peer) && !forwarded && LOOPBACK_NAMES.has(hostnameOf(req.headers.host));
}

function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  return host.split(':')[0]?.toLowerCase() ?? '';
}

/** The route parameters of a request path, from its row's path (`:id` → value), decoded where possible. */
function paramsOf(route: RouteAccess, requestPath: string): Record<string, string> {
  const names = route.path.split('/');
  const values = requestPath.split('/');
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    if (!name.startsWith(':')) return;
    const raw = values[i] ?? '';
    try {
      out[name.slice(1)] = decodeURIComponent(raw);
    } catch {
      out[name.slice(1)] = raw;
    }
  });
  return out;
}

/** The audit actions of a successful request to a route: none for routes that only read lists. */
function auditActionsOf(route: RouteAccess): readonly AuditAction[] {
  const key = `${route.method} ${route.path}`;
  if (key === 'POST /api/jobs') return ['dataset.uploaded', 'render.requested'];
  if (key === 'POST /api/datasets/validate') return ['dataset.validated'];
  if (route.method === 'GET' && route.path.includes('/artifacts/')) return ['artifact.downloaded'];
  return [];
}

/** Creates the access control of the app. */
export function createAccessControl(options: AccessControlOptions): AccessControl {
  const clock = options.clock ?? (() => new Date());
  const tokens = createTokenStore(options.db, clock);
  const sessions = createSessionStore(options.db, options.sessionTtlMs, clock);
  const audit = createAuditLog(options.db, { logger: options.logger, clock });
  const table = createRouteAccessTable(options.routes);
  const rateLimit = createRateLimit(options.rateLimit, (res) => actorOf(res)?.id, options.logger);
  const urlencoded = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });

  // Tokens are revoked, never deleted: once there is one, the service is closed for good, and the
  // count need not be asked again on every request without credentials.
  let hasTokens = false;
  async function isOpen(): Promise<boolean> {
    if (!options.openWhenNoTokens || hasTokens) return false;
    hasTokens = (await tokens.count()) > 0;
    return !hasTokens;
  }

  function isSecure(req: Request): boolean {
    return options.cookieSecure === 'always' || (options.cookieSecure === 'auto' && req.secure);
  }

  function record(req: Request, res: Response, action: AuditAction, object: Record<string, AuditValue>, reason?: string) {
    return audit.record({ actor: actorOf(res) ?? null, action, object, ip: req.ip ?? null, reason });
  }

  function deny(req: Request, res: Response, error: AppError, reason: string): AppError {
    void record(req, res, 'access.denied', { method: req.method, path: req.path }, reason);
    return error;
  }

  /** Finds out who makes the request; never answers by itself (a bad token is refused after the rate limit). */
  const identify: RequestHandler = async (req, res, next) => {
    const authorization = req.headers.authorization;
    let auth: RequestAuth;
    if (authorization !== undefined) {
      const match = /^Bearer +([^\s]+) *$/i.exec(authorization);
      const actor = match?.[1] ? await tokens.verify(match[1]) : undefined;
      auth = actor
        ? { actor, via: 'bearer', session: undefined, rejected: undefined }
        : {
            actor: undefined,
            via: 'none',
            session: undefined,
            rejected: match ? 'the token is unknown or revoked' : 'the Authorization header must be "Bearer <token>"',
          };
    } else {
      const cookie = readCookie(req, SESSION_COOKIE);
      const session = cookie ? await sessions.get(cookie) : undefined;
      const actor = session ? await tokens.findActive(session.tokenId) : undefined;
      if (session && actor) auth = { actor, via: 'session', session, rejected: undefined };
      else {
        if (session) await sessions.end(session.id); // its token was revoked
        auth = (await isOpen())
          ? { actor: LOCAL_ACTOR, via: 'open', session: undefined, rejected: undefined }
          : { actor: undefined, via: 'none', session: undefined, rejected: undefined };
      }
    }
    res.locals.auth = auth;
    next();
  };

  /** Lets the request through when its route's row allows this actor, and it passes the CSRF and origin checks. */
  const authorize: RequestHandler = async (req, res, next) => {
    const auth = authOf(res);
    const route = table.find(req.method, req.path);
    if (!route) {
      if (req.method === 'OPTIONS') {
        res.status(204).set('Allow', 'GET, HEAD, POST, DELETE').end();
        return;
      }
      // Not in the access table: no route answers it.
      throw new AppError('NOT_FOUND', `there is no route ${req.method} ${req.path.slice(0, 200)}`);
    }
    auth.route = route;
    if (auth.via === 'open' && !isFromThisMachine(req)) {
      // Open mode trusts only this machine; a page under another host name may be DNS rebinding.
      throw deny(req, res, new AppError('FORBIDDEN', 'in open mode the service answers only requests to 127.0.0.1 or localhost'), 'host');
    }
    if (!SAFE_METHODS.has(req.method) && auth.via !== 'bearer') {
      const site = req.headers['sec-fetch-site'];
      const origin = req.headers.origin;
      let sameOrigin = site === undefined || site === 'same-origin' || site === 'none';
      if (origin !== undefined) {
        try {
          // req.host is the Host header, or X-Forwarded-Host from a trusted proxy.
          sameOrigin &&= new URL(origin).host.toLowerCase() === String(req.host ?? '').toLowerCase();
        } catch {
          sameOrigin = false;
        }
      }
      if (!sameOrigin) {
        throw deny(req, res, new AppError('FORBIDDEN', 'a state-changing request must come from the service’s own page'), 'cross-origin');
      }
    }
    if (route.access !== 'public') {
      if (!auth.actor) {
        res.set(
          'WWW-Authenticate',
          auth.rejected ? 'Bearer realm="render-service", error="invalid_token"' : 'Bearer realm="render-service"',
        );
        const message = auth.rejected
          ? `not signed in: ${auth.rejected}`
          : 'not signed in: send "Authorization: Bearer <token>" or sign in on the page';
        throw deny(req, res, new AppError('UNAUTHENTICATED', message), auth.rejected ?? 'no credentials');
      }
      if (!hasRole(auth.actor.role, route.access)) {
        throw deny(
          req,
          res,
          new AppError('FORBIDDEN', `${req.method} ${route.path} needs the role ${route.access}; this token is a ${auth.actor.role}`),
          `role ${auth.actor.role} < ${route.access}`,
        );
      }
    } else if (auth.rejected) {
      // A public route, but the credentials sent are bad: say so rather than answer as anonymous.
      res.set('WWW-Authenticate', 'Bearer realm="render-service", error="invalid_token"');
      throw deny(req, res, new AppError('UNAUTHENTICATED', `not signed in: ${auth.rejected}`), auth.rejected);
    }
    if (auth.via === 'session' && !SAFE_METHODS.has(req.method)) {
      let sent = req.get('x-csrf-token');
      if (sent === undefined && req.is('application/x-www-form-urlencoded')) {
        await new Promise<void>((resolve, reject) => urlencoded(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
        const field = (req.body as Record<string, unknown> | undefined)?._csrf;
        sent = typeof field === 'string' ? field : undefined;
      }
      if (!sent || !auth.session || !safeEqual(sent, auth.session.csrfToken)) {
        throw deny(
          req,
          res,
          new AppError('FORBIDDEN', 'the CSRF token is missing or wrong: send the one from GET /api/session in the X-CSRF-Token header'),
          'csrf',
        );
      }
    }
    // A HEAD request sends no bytes of a file: it is no download.
    const actions = req.method === 'HEAD' ? [] : auditActionsOf(route);
    if (actions.length > 0) {
      const entries = () => {
        const object: Record<string, AuditValue> = { ...paramsOf(route, req.path), ...auth.auditObject };
        return actions.map((action) => ({ actor: actorOf(res) ?? null, action, object, ip: req.ip ?? null }));
      };
      // A route that serves something (a download, a validation report) writes them first, through
      // auditBeforeServing; failing, it serves nothing.
      auth.writeAudit = async () => {
        for (const entry of entries()) await audit.recordIn(options.db, entry);
        auth.writeAudit = undefined;
      };
      // Any other is recorded when the answer's head goes out: from then on the bytes are on their
      // way, even if the client never reads them to the end.
      const writeHead = res.writeHead;
      res.writeHead = function (this: Response, ...args: unknown[]) {
        res.writeHead = writeHead;
        const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
        if (status >= 200 && status < 300 && auth.writeAudit) {
          auth.writeAudit = undefined;
          for (const entry of entries()) void audit.record(entry);
        }
        return (writeHead as (...a: unknown[]) => Response).apply(this, args);
      } as Response['writeHead'];
    }
    next();
  };

  return {
    tokens,
    sessions,
    audit,
    table,
    options,
    guard: [identify, rateLimit, authorize],
    auditErrors: (error, req, res, next) => {
      if (isEmbargoDenial(error)) void record(req, res, 'access.denied', { method: req.method, path: req.path }, 'embargo');
      next(error);
    },
    isOpen,
    setSessionCookie(req, res, session) {
      res.cookie(SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: 'strict',
        secure: isSecure(req),
        path: '/',
        maxAge: Math.max(0, session.expiresAt - clock().getTime()),
      });
    },
    clearSessionCookie(req, res) {
      res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: isSecure(req), path: '/' });
    },
  };
}
