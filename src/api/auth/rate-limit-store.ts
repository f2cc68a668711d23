import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import { MemoryStore } from 'express-rate-limit';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisStore } from 'rate-limit-redis';

/** How long a rate-limit command may take before the request is counted in this process instead. */
const REDIS_TIMEOUT_MS = 500;

/**
 * A connection for the rate-limit counts: commands fail at once while Redis is away (no offline
 * queue, so a request never waits for Redis), and it keeps reconnecting in the background.
 */
export function connectRateLimitRedis(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: REDIS_TIMEOUT_MS * 4,
    commandTimeout: REDIS_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  client.on('error', () => {
    // Reported once by the store that falls back, not on every reconnect attempt.
  });
  return client;
}

/** What the shared store needs. */
export interface SharedStoreOptions {
  readonly client: Redis;
  /** Prepended to the keys in Redis; default "rl:". */
  readonly prefix?: string;
  readonly logger: Logger;
}

/**
 * The rate-limit counts in Redis (rate-limit-redis), so that every API process on that Redis counts
 * together; while Redis cannot be reached, in this process (express-rate-limit's memory store), with
 * one warning when that starts and a note when Redis is back. Never fails or holds up a request.
 */
export class SharedRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private readonly redis: RedisStore;
  private readonly memory = new MemoryStore();
  private options: Options | undefined;
  /** The scripts of the Redis store are loaded (they are loaded again after a failure). */
  private loaded: Promise<void> | undefined;
  private fallingBack = false;

  constructor(private readonly shared: SharedStoreOptions) {
    this.prefix = shared.prefix ?? 'rl:';
    this.redis = new RedisStore({
      prefix: this.prefix,
      sendCommand: (command: string, ...args: string[]) => shared.client.call(command, ...args) as Promise<never>,
    });
  }

  init(options: Options): void {
    this.options = options;
    this.memory.init(options);
  }

  async increment(key: string): Promise<IncrementResponse> {
    return (await this.viaRedis((redis) => redis.increment(key))) ?? this.memory.increment(key);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return (await this.viaRedis((redis) => redis.get(key))) ?? this.memory.get(key);
  }

  async decrement(key: string): Promise<void> {
    const done = await this.viaRedis(async (redis) => {
      await redis.decrement(key);
      return true;
    });
    if (done === undefined) this.memory.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    await this.viaRedis(async (redis) => {
      await redis.resetKey(key);
      return true;
    });
    this.memory.resetKey(key);
  }

  shutdown(): void {
    this.memory.shutdown();
  }

  /** Runs `use` on the Redis store; undefined when Redis cannot be used now (the caller counts in memory). */
  private async viaRedis<T>(use: (redis: RedisStore) => Promise<T>): Promise<T | undefined> {
    const { client, logger } = this.shared;
    if (client.status !== 'ready' || this.options === undefined) {
      this.fallBack(`Redis is ${client.status}`);
      return undefined;
    }
    try {
      this.loaded ??= this.redis.init(this.options);
      await this.loaded;
      const result = await use(this.redis);
      if (this.fallingBack) {
        this.fallingBack = false;
        logger.info('rate limits are counted in Redis again, shared by the API processes');
      }
      return result;
    } catch (error) {
      this.loaded = undefined;
      this.fallBack((error as Error).message);
      return undefined;
    }
  }

  private fallBack(reason: string): void {
    if (this.fallingBack) return;
    this.fallingBack = true;
    this.shared.logger.warn(
      { reason },
      'rate limits cannot be counted in Redis: each API process counts for itself until Redis answers again',
    );
  }
}
