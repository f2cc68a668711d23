import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError, isAppError } from '../errors.js';

/** Runs one Redis operation under the API's policy (see createWithRedis). */
export type WithRedis = <T>(operation: () => Promise<T>) => Promise<T>;

/**
 * The API's connection to Redis: it fails fast (no offline queue, one retry per command, a command
 * timeout) and reconnects in the background, logging when it loses and regains Redis.
 */
export function connectApiRedis(redisUrl: string, timeoutMs: number, logger: Logger): Redis {
  const connection = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  let connected = false;
  connection.on('ready', () => {
    if (!connected) logger.info('connected to Redis');
    connected = true;
  });
  connection.on('close', () => {
    if (connected) logger.warn('lost the connection to Redis; retrying');
    connected = false;
  });
  connection.on('error', () => {}); // reported through 'close' and as 503 answers
  return connection;
}

/** The policy of the API's Redis calls: answer REDIS_UNAVAILABLE at once when Redis is not connected or does not answer. */
export function createWithRedis(connection: Redis, timeoutMs: number): WithRedis {
  return async function withRedis<T>(operation: () => Promise<T>): Promise<T> {
    // BullMQ waits for the connection before a command; with Redis down that would hang the request.
    if (connection.status !== 'ready') {
      throw new AppError('REDIS_UNAVAILABLE', 'the job queue (Redis) cannot be reached; try again shortly');
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        operation(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), timeoutMs * 2);
        }),
      ]);
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError('REDIS_UNAVAILABLE', 'the job queue (Redis) did not answer; try again shortly', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}
