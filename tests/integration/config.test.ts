import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';

// No Redis needed: the configuration the service processes start from.
describe('service configuration', () => {
  it('when nothing is set, uses the documented defaults and a frozen object', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      redisAutostart: true,
      host: '127.0.0.1',
      port: 8080,
      storageDir: path.resolve('/srv/app', '.storage'),
      queueName: 'render',
      workerConcurrency: 1,
      renderTimeoutMs: 120_000,
      renderWorkbookThread: true,
      maxBodyBytes: 16 * 1024 * 1024,
      jobAttempts: 3,
      retryDelayMs: 2_000,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      logLevel: 'info',
      trustProxy: false,
      cookieSecure: 'auto',
      sessionTtlMs: 8 * 60 * 60_000,
      rateLimitPerMinute: 600,
      rateLimitAnonymousPerMinute: 60,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('RENDER_WORKBOOK_THREAD turns the workbook thread off with 0, false, off or no, and rejects other words', () => {
    for (const on of ['1', 'true', 'on', 'YES']) expect(loadConfig({ RENDER_WORKBOOK_THREAD: on }).renderWorkbookThread).toBe(true);
    for (const off of ['0', 'false', 'off', ' NO ']) expect(loadConfig({ RENDER_WORKBOOK_THREAD: off }).renderWorkbookThread).toBe(false);
    expect(() => loadConfig({ RENDER_WORKBOOK_THREAD: 'maybe' })).toThrow(/RENDER_WORKBOOK_THREAD must be on or off/);
  });

  it('when REDIS_URL is given, never starts a local Redis', () => {
    expect(loadConfig({ REDIS_URL: 'redis://10.0.0.5:6380' }).redisAutostart).toBe(false);
    expect(loadConfig({ REDIS_AUTOSTART: 'off' }).redisAutostart).toBe(false);
  });

  it('when values are wrong, names every bad variable with its value', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'acht', QUEUE_NAME: 'a:b', REDIS_URL: 'http://x', WORKER_CONCURRENCY: '0', HOST: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('CONFIG_INVALID');
    expect(appError.details.map((d) => d.path).sort()).toEqual(['PORT', 'QUEUE_NAME', 'REDIS_URL', 'WORKER_CONCURRENCY']);
    expect(appError.message).toContain('PORT must be a whole number (got "acht")');
    expect(appError.message).toContain('QUEUE_NAME must be 1 to 64 letters');
  });
});
