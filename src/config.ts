import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { AppError, type ErrorDetail } from './errors.js';

/** The configuration of the service processes (API and worker), read once at start-up. */
export interface Config {
  readonly redisUrl: string;
  /** The PostgreSQL server of the record (postgres://…); undefined: `npm start` uses embedded PGlite in the storage directory. */
  readonly databaseUrl: string | undefined;
  /** True when REDIS_URL was not given and REDIS_AUTOSTART allows `npm start` to start a local redis-server. */
  readonly redisAutostart: boolean;
  readonly host: string;
  readonly port: number;
  /** Absolute path of the storage root. */
  readonly storageDir: string;
  readonly queueName: string;
  readonly workerConcurrency: number;
  readonly renderTimeoutMs: number;
  /** RENDER_WORKBOOK_THREAD: render the workbook in a thread of the render process while its PDFs print. */
  readonly renderWorkbookThread: boolean;
  readonly maxBodyBytes: number;
  readonly jobAttempts: number;
  readonly retryDelayMs: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Express's `trust proxy`: false, a number of proxy hops, or addresses/subnets of trusted proxies. */
  readonly trustProxy: false | number | string;
  /** Secure flag of the session cookie: `auto` when the request came over https (directly or via a trusted proxy). */
  readonly cookieSecure: 'auto' | 'always' | 'never';
  readonly sessionTtlMs: number;
  /** Requests per minute per token, and per address without a token. */
  readonly rateLimitPerMinute: number;
  readonly rateLimitAnonymousPerMinute: number;
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** True for "off", a number of hops (1-99), or a comma list of proxy addresses, subnets or Express's names for them. */
function isTrustProxy(value: string): boolean {
  if (value === 'off' || /^[1-9]\d?$/.test(value)) return true;
  return value.split(',').every((part) => {
    const item = part.trim();
    if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) return true;
    const [address = '', bits, ...rest] = item.split('/');
    return isIP(address) !== 0 && rest.length === 0 && (bits === undefined || /^\d{1,3}$/.test(bits));
  });
}

const EnvSchema = z.object({
  REDIS_URL: z
    .string()
    .refine((value) => URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol), {
      error: 'must be a URL like redis://host:6379 (or rediss:// for TLS)',
    })
    .optional(),
  DATABASE_URL: z
    .string()
    .refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), {
      error: 'must be a URL like postgres://user@host:5432/database',
    })
    .optional(),
  REDIS_AUTOSTART: z.enum(['auto', 'off'], { error: 'must be "auto" or "off"' }).default('auto'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(8080),
  STORAGE_DIR: z.string().min(1).default('./.storage'),
  QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, "_" or "-" (BullMQ forbids ":")' })
    .default('render'),
  WORKER_CONCURRENCY: int(1, 64).default(1),
  RENDER_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
  RENDER_WORKBOOK_THREAD: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'], { error: 'must be on or off (1/0, true/false, yes/no)' }))
    .default('on'),
  MAX_BODY_BYTES: int(1024, 512 * 1024 * 1024).default(16 * 1024 * 1024),
  JOB_ATTEMPTS: int(1, 100).default(3),
  RETRY_DELAY_MS: int(0, 3_600_000).default(2_000),
  LOCK_DURATION_MS: int(500, 3_600_000).default(30_000),
  STALLED_INTERVAL_MS: int(200, 3_600_000).default(30_000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  TRUST_PROXY: z
    .string()
    .refine(isTrustProxy, {
      error: 'must be "off", a number of proxy hops, or addresses/subnets of the proxies (e.g. "loopback" or "10.0.0.0/8")',
    })
    .default('off'),
  COOKIE_SECURE: z.enum(['auto', 'always', 'never'], { error: 'must be "auto", "always" or "never"' }).default('auto'),
  SESSION_TTL_MINUTES: int(1, 7 * 24 * 60).default(8 * 60),
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(600),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: int(1, 1_000_000).default(60),
});

/** The environment variables the service reads, for documentation and error messages. */
export const CONFIG_KEYS = Object.freeze(Object.keys(EnvSchema.shape));

/**
 * Reads and validates the service configuration from `env` (normally `process.env`).
 * Empty values count as unset. Throws AppError CONFIG_INVALID naming every bad variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): Config {
  const given: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key]?.trim();
    if (value) given[key] = value;
  }
  const parsed = EnvSchema.safeParse(given);
  if (!parsed.success) {
    const details: ErrorDetail[] = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(environment)');
      const value = given[key]; // never echoed for DATABASE_URL: it may hold a password
      return { path: key, message: `${key} ${issue.message}${value === undefined || key === 'DATABASE_URL' ? '' : ` (got "${value}")`}` };
    });
    throw new AppError('CONFIG_INVALID', `invalid configuration: ${details.map((d) => d.message).join('; ')}`, { details });
  }
  const e = parsed.data;
  return Object.freeze({
    redisUrl: e.REDIS_URL ?? DEFAULT_REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    redisAutostart: e.REDIS_URL === undefined && e.REDIS_AUTOSTART === 'auto',
    host: e.HOST,
    port: e.PORT,
    storageDir: path.resolve(cwd, e.STORAGE_DIR),
    queueName: e.QUEUE_NAME,
    workerConcurrency: e.WORKER_CONCURRENCY,
    renderTimeoutMs: e.RENDER_TIMEOUT_MS,
    renderWorkbookThread: !['0', 'false', 'off', 'no'].includes(e.RENDER_WORKBOOK_THREAD),
    maxBodyBytes: e.MAX_BODY_BYTES,
    jobAttempts: e.JOB_ATTEMPTS,
    retryDelayMs: e.RETRY_DELAY_MS,
    lockDurationMs: e.LOCK_DURATION_MS,
    stalledIntervalMs: e.STALLED_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === 'off' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    cookieSecure: e.COOKIE_SECURE,
    sessionTtlMs: e.SESSION_TTL_MINUTES * 60_000,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    rateLimitAnonymousPerMinute: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
  });
}

/**
 * For the composition roots: loads the config from `env`, or prints what is wrong and exits 1.
 * The roots pass `process.env`; nothing else reads the environment.
 */
export function loadConfigOrExit(env: Readonly<Record<string, string | undefined>>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    console.error(`error ${error.code}: ${error.message}`);
    process.exit(1);
  }
}
