import type { Redis } from 'ioredis';
import type { RenderQueue } from './job-status.js';
import type { WithRedis } from './with-redis.js';

/** What the service finds for readiness. */
export interface Readiness {
  readonly redis: boolean;
  readonly workers: number;
}

/** What checking readiness needs. */
export interface ReadinessDeps {
  readonly connection: Redis;
  readonly queue: RenderQueue;
  readonly withRedis: WithRedis;
}

/** Whether Redis answers, and how many workers listen on the queue. */
export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  if (deps.connection.status !== 'ready') return { redis: false, workers: 0 };
  try {
    return await deps.withRedis(async () => {
      await deps.connection.ping();
      return { redis: true, workers: (await deps.queue.getWorkers()).length };
    });
  } catch {
    return { redis: false, workers: 0 };
  }
}
