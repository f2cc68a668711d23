import { availableParallelism } from 'node:os';
import { pino } from 'pino';
import { loadConfigOrExit } from './config.js';
import { needsDatabaseUrl } from './db/open-database.js';
import { stopOnSignals } from './shutdown.js';
import { createFsStorage, startRenderWorker } from './jobs/index.js';

// `npm run worker`: a render worker alone, for more machines. Start as many as the machines allow;
// they share the queue through REDIS_URL, the files through STORAGE_DIR and the record through
// DATABASE_URL (required: without it the record is `npm start`'s embedded database).

const config = loadConfigOrExit(process.env);
const logger = pino({ name: 'render-worker', level: config.logLevel });
if (!config.databaseUrl) {
  // Without a server the record is the embedded database of `npm start`, which runs its own worker.
  const error = needsDatabaseUrl('`npm run worker`');
  logger.fatal(`refusing to start: ${error.message}`);
  process.exit(1);
}
const worker = startRenderWorker({
  redisUrl: config.redisUrl,
  queueName: config.queueName,
  storage: createFsStorage(config.storageDir),
  logger,
  concurrency: config.workerConcurrency,
  renderTimeoutMs: config.renderTimeoutMs,
  lockDurationMs: config.lockDurationMs,
  stalledIntervalMs: config.stalledIntervalMs,
  warm: true,
  // A workbook thread pays only with a second core to run on.
  workbookThread: config.renderWorkbookThread && availableParallelism() > 1,
});
logger.info(
  { queue: config.queueName, concurrency: config.workerConcurrency, storageDir: config.storageDir, pid: process.pid },
  'render worker started',
);

stopOnSignals(logger, 'render worker', () => worker.close());
