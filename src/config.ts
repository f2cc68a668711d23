import path from 'node:path';
import { z } from 'zod';
import { AppError, type ErrorDetail } from './errors.js';

/** The configuration of the service processes (API and worker), read once at start-up. */
export interface Config {
  readonly redisUrl: string;
  /** True when REDIS_URL was not given and REDIS_AUTOSTART allows `npm start` to start a local redis-server. */
  readonly redisAutostart: boolean;
  readonly host: string;
  readonly port: number;
  /** Absolute path of the storage root. */
  readonly storageDir: string;
  readonly queueName: string;
  readonly workerConcurrency: number;
  readonly renderTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly jobAttempts: number;
  readonly retryDelayMs: number;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const EnvSchema = z.object({
  REDIS_URL: z
    .string()
    .refine((value) => URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol), {
      error: 'must be a URL like redis://host:6379 (or rediss:// for TLS)',
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
      const value = given[key];
      return { path: key, message: `${key} ${issue.message}${value === undefined ? '' : ` (got "${value}")`}` };
    });
    throw new AppError('CONFIG_INVALID', `invalid configuration: ${details.map((d) => d.message).join('; ')}`, { details });
  }
  const e = parsed.data;
  return Object.freeze({
    redisUrl: e.REDIS_URL ?? DEFAULT_REDIS_URL,
    redisAutostart: e.REDIS_URL === undefined && e.REDIS_AUTOSTART === 'auto',
    host: e.HOST,
    port: e.PORT,
    storageDir: path.resolve(cwd, e.STORAGE_DIR),
    queueName: e.QUEUE_NAME,
    workerConcurrency: e.WORKER_CONCURRENCY,
    renderTimeoutMs: e.RENDER_TIMEOUT_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    jobAttempts: e.JOB_ATTEMPTS,
    retryDelayMs: e.RETRY_DELAY_MS,
    lockDurationMs: e.LOCK_DURATION_MS,
    stalledIntervalMs: e.STALLED_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
  });
}
