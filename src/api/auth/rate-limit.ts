import type { RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../../errors.js';
import { SharedRateLimitStore } from './rate-limit-store.js';

/** Requests allowed per minute. */
export interface RateLimitOptions {
  /** Per token (or per session, which counts as its token). */
  readonly perTokenPerMinute: number;
  /** Per client address, for requests without a valid token. */
  readonly anonymousPerMinute: number;
  /** Where the counts are shared by the API processes; without it each process counts for itself. */
  readonly redis?: { readonly client: Redis; readonly prefix?: string };
}

/**
 * A rate limit per token, and per address for anonymous requests (and bad tokens, so guessing is
 * slowed down too). Above it the answer is 429 RATE_LIMITED with Retry-After. With `redis` the counts
 * are shared by every API process on that Redis (in this process while Redis is away).
 */
export function createRateLimit(
  options: RateLimitOptions,
  tokenIdOf: (res: Response) => string | undefined,
  logger: Logger,
): RequestHandler {
  return rateLimit({
    ...(options.redis ? { store: new SharedRateLimitStore({ ...options.redis, logger }) } : {}),
    windowMs: 60_000,
    limit: (_req, res) => (tokenIdOf(res) ? options.perTokenPerMinute : options.anonymousPerMinute),
    keyGenerator: (req, res) => {
      const id = tokenIdOf(res);
      return id ? `token:${id}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    // Probes of the health and readiness of the service, polled by load balancers and orchestrators.
    skip: (req) => req.path === '/healthz' || req.path === '/readyz',
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // TRUST_PROXY decides what req.ip is; these checks would only repeat that in the log.
    validate: { xForwardedForHeader: false, forwardedHeader: false, trustProxy: false },
    handler: (_req, res, next) => {
      const retryAfter = res.get('Retry-After') ?? '60';
      next(new AppError('RATE_LIMITED', `too many requests: try again in ${retryAfter} seconds`));
    },
  });
}
