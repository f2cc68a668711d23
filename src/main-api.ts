import type { Server } from 'node:http';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from './api/index.js';
import { type Config, loadConfig } from './config.js';
import { isAppError } from './errors.js';
import {
  createFsStorage,
  createRenderService,
  type LocalRedis,
  pingRedis,
  type RenderWorker,
  startLocalRedis,
  startRenderWorker,
  toRendererIdentity,
} from './jobs/index.js';
import { loadTemplates } from './resources.js';

// `npm start`: the API with an in-process worker, for one machine.

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!isAppError(error)) throw error;
    console.error(`error ${error.code}: ${error.message}`);
    process.exit(1);
  }
}

const config = readConfig();
const logger = pino({ name: 'render-api', level: config.logLevel });

async function main(): Promise<void> {
  let localRedis: LocalRedis | undefined;
  if (config.redisAutostart && !(await pingRedis(config.redisUrl))) {
    localRedis = await startLocalRedis(config.redisUrl, path.join(config.storageDir, 'redis'), logger);
    if (!localRedis) logger.warn(`no Redis answers at ${config.redisUrl} and no redis-server program was found: start Redis`);
  }

  const storage = createFsStorage(config.storageDir);
  const service = createRenderService({
    redisUrl: config.redisUrl,
    queueName: config.queueName,
    storage,
    identity: toRendererIdentity(loadTemplates()),
    policy: { attempts: config.jobAttempts, retryDelayMs: config.retryDelayMs },
    logger,
  });
  const worker: RenderWorker = startRenderWorker({
    redisUrl: config.redisUrl,
    queueName: config.queueName,
    storage,
    logger: logger.child({ part: 'worker' }),
    concurrency: config.workerConcurrency,
    renderTimeoutMs: config.renderTimeoutMs,
    lockDurationMs: config.lockDurationMs,
    stalledIntervalMs: config.stalledIntervalMs,
  });
  const app = createApp({ service, logger, maxBodyBytes: config.maxBodyBytes });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  logger.info(
    {
      url: `http://${config.host}:${config.port}`,
      queue: config.queueName,
      storageDir: config.storageDir,
      concurrency: config.workerConcurrency,
    },
    'render service listening',
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now; unfinished jobs will run again');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping: no new requests, finishing the running jobs');
    (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.close();
      await service.close();
      await localRedis?.stop();
    })().then(
      () => {
        logger.info('render service stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'the render service could not start');
  process.exit(1);
});
