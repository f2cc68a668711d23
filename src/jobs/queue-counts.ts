import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** Counts the render queue's jobs by state, for the metrics; fails fast (no offline queue) when Redis is down. */
export interface JobCounter {
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Opens a connection of its own to the render queue, only for counting its jobs. */
export function createJobCounter(redisUrl: string, queueName: string): JobCounter {
  const connection = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  connection.on('error', () => {
    // Redis down is reported by /readyz and by the missing job metrics, not by this connection.
  });
  const queue = new Queue(queueName, { connection });
  return {
    counts: () => queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'),
    async close() {
      await queue.close().catch(() => {});
      connection.disconnect();
    },
  };
}
