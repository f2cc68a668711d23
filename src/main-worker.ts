import { pino } from 'pino';
import { loadConfigOrExit } from './config.js';
import { createFsStorage, startRenderWorker } from './jobs/index.js';

// `npm run worker`: a render worker alone, for more machines. Start as many as the machines allow;
// they share the queue through REDIS_URL and the files through STORAGE_DIR.

const config = loadConfigOrExit(process.env);
const logger = pino({ name: 'render-worker', level: config.logLevel });
const worker = startRenderWorker({
  redisUrl: config.redisUrl,
  queueName: config.queueName,
  storage: createFsStorage(config.storageDir),
  logger,
  concurrency: config.workerConcurrency,
  renderTimeoutMs: config.renderTimeoutMs,
  lockDurationMs: config.lockDurationMs,
  stalledIntervalMs: config.stalledIntervalMs,
});
logger.info(
  { queue: config.queueName, concurrency: config.workerConcurrency, storageDir: config.storageDir, pid: process.pid },
  'render worker started',
);

let stopping = false;
function stop(signal: string): void {
  if (stopping) {
    logger.warn({ signal }, 'second signal: exiting now; unfinished jobs will run again on another worker');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'stopping: finishing the running jobs');
  worker.close().then(
    () => {
      logger.info('render worker stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'error while stopping');
      process.exit(1);
    },
  );
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
