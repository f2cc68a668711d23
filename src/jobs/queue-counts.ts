import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { RenderJobResult } from './render-job.js';

/**
 * The Redis key that counts the render children lost on a queue (killed, crashed, stopped at the
 * time limit) and started again: every worker of the queue adds to it, the API reads it for
 * /metrics. It lies under BullMQ's prefix of the queue, so removing the queue removes it.
 */
export function childRestartsKey(queueName: string): string {
  return `bull:${queueName}:render-child-restarts`;
}

/** What the metrics of an API process read from the render queue; fails fast (no offline queue) when Redis is down. */
export interface JobCounter {
  counts(): Promise<Record<string, number>>;
  /** How many render children the workers of the queue lost and started again. */
  childRestarts(): Promise<number>;
  /** Calls `listener` with the result of every render job completed from now on, by any worker. */
  onCompleted(listener: (result: Partial<RenderJobResult>) => void): void;
  close(): Promise<void>;
}

/** Opens connections of its own to the render queue, only for counting its jobs and hearing them complete. */
export function createJobCounter(redisUrl: string, queueName: string): JobCounter {
  const connection = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  connection.on('error', () => {
    // Redis down is reported by /readyz and by the missing job metrics, not by this connection.
  });
  const queue = new Queue(queueName, { connection });
  let events: QueueEvents | undefined;
  return {
    counts: () => queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'),
    childRestarts: async () => Number((await connection.get(childRestartsKey(queueName))) ?? 0),
    onCompleted(listener) {
      if (!events) {
        const blocking = new Redis(redisUrl, { maxRetriesPerRequest: null });
        blocking.on('error', () => {});
        events = new QueueEvents(queueName, { connection: blocking });
        events.on('error', () => {});
      }
      events.on('completed', ({ returnvalue }) => {
        let value: unknown = returnvalue;
        try {
          if (typeof value === 'string') value = JSON.parse(value);
        } catch {
          return; // not a render result
        }
        if (value && typeof value === 'object') listener(value as Partial<RenderJobResult>);
      });
    },
    async close() {
      await events?.close().catch(() => {});
      await queue.close().catch(() => {});
      connection.disconnect();
    },
  };
}
