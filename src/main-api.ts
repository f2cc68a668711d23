import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { connectRateLimitRedis } from './api/auth/rate-limit-store.js';
import { closeBodyPool, warmBodyPool } from './api/body-pool.js';
import { createAccessControl, createApp, createMetrics, isLoopbackHost, ROUTE_ACCESS } from './api/index.js';
import { loadConfigOrExit } from './config.js';
import { openDatabase } from './db/open-database.js';
import { createJobGate, createRecordDeps } from './record/index.js';
import { stopOnSignals } from './shutdown.js';
import {
  createFsStorage,
  createJobCounter,
  createRenderService,
  type LocalRedis,
  pingRedis,
  type RenderWorker,
  startLocalRedis,
  startRenderWorker,
  toRendererIdentity,
} from './jobs/index.js';
import { loadTemplates, PROJECT_ROOT } from './resources.js';

// `npm start`: the API with an in-process worker, for one machine.

const config = loadConfigOrExit(process.env);
const logger = pino({ name: 'render-api', level: config.logLevel });

async function main(): Promise<void> {
  // The record: the PostgreSQL server of DATABASE_URL, or the embedded one in the storage directory
  // (which a second process refuses to open: more API processes or workers need DATABASE_URL).
  const db = await openDatabase(config, logger);
  // The rate limits are counted in Redis, shared by every API process on it.
  const rateLimitRedis = connectRateLimitRedis(config.redisUrl);
  const access = createAccessControl({
    db,
    openWhenNoTokens: isLoopbackHost(config.host),
    cookieSecure: config.cookieSecure,
    sessionTtlMs: config.sessionTtlMs,
    rateLimit: {
      perTokenPerMinute: config.rateLimitPerMinute,
      anonymousPerMinute: config.rateLimitAnonymousPerMinute,
      redis: { client: rateLimitRedis },
    },
    logger,
    routes: ROUTE_ACCESS,
  });
  const tokenCount = await access.tokens.count();
  if (tokenCount === 0 && !isLoopbackHost(config.host)) {
    // Refuse before anything starts: an open service on a reachable address would let anyone in.
    logger.fatal(
      { host: config.host },
      `refusing to start: HOST=${config.host} is reachable from other machines and no API token exists. ` +
        `Create the first admin token with \`STORAGE_DIR=${config.storageDir} npm run token -- create --role admin --name "<your name>"\` ` +
        'and start again (or set HOST=127.0.0.1 to run open on this machine only)',
    );
    process.exit(1);
  }
  if (tokenCount === 0) {
    logger.warn(
      'OPEN MODE: no API token exists, so every request on 127.0.0.1 is let in as a local admin. ' +
        'Create a token (npm run token -- create --role admin --name "<your name>") to require tokens.',
    );
  } else {
    const active = (await access.tokens.list()).filter((t) => !t.revokedAt).length;
    logger.info({ tokens: active }, active > 0 ? 'API tokens required' : 'API tokens required, but every token is revoked: create one');
  }
  let localRedis: LocalRedis | undefined;
  if (config.redisAutostart && !(await pingRedis(config.redisUrl))) {
    localRedis = await startLocalRedis(config.redisUrl, path.join(config.storageDir, 'redis'), logger);
    if (!localRedis) logger.warn(`no Redis answers at ${config.redisUrl} and no redis-server program was found: start Redis`);
  }

  const storage = createFsStorage(config.storageDir);
  const templates = loadTemplates();
  const identity = toRendererIdentity(templates);
  const record = createRecordDeps({ db, storage, audit: access.audit, identity, templates, logger, service: () => service });
  const service = createRenderService({
    redisUrl: config.redisUrl,
    queueName: config.queueName,
    storage,
    identity,
    templates,
    policy: { attempts: config.jobAttempts, retryDelayMs: config.retryDelayMs },
    logger,
    // Readers see a job's files only when the record says its edition is released (never a draft).
    gate: createJobGate(record),
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
    warm: true,
    // A workbook thread pays only with a second core to run on.
    workbookThread: config.renderWorkbookThread && availableParallelism() > 1,
  });
  const jobCounter = createJobCounter(config.redisUrl, config.queueName);
  const metrics = createMetrics({ jobCounts: jobCounter.counts, childRestarts: jobCounter.childRestarts });
  // Step durations come with the results of completed jobs, whichever worker (process) rendered them.
  jobCounter.onCompleted((result) => metrics.observeRenderSteps(result));
  const app = createApp({
    service,
    record,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    access,
    trustProxy: config.trustProxy,
    metrics,
    storageDir: config.storageDir,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  // The first submission starts the thread for large bodies and compiles the checks' rules and the
  // dataset schema's paths: do both once now with the example, as the render children warm up, so
  // that the first editor's request is quick.
  setImmediate(() => {
    warmBodyPool().catch((error: unknown) => logger.warn({ err: error }, 'the thread for large request bodies could not start'));
    try {
      service.validateDataset(readFileSync(path.join(PROJECT_ROOT, 'examples', 'beleidsinformatie-2019-hj1', 'dataset.json'), 'utf8'));
    } catch (error) {
      logger.warn({ err: error }, 'the API could not warm up its checks (the first submission will be slower)');
    }
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

  stopOnSignals(logger, 'render service', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await worker.close();
    await jobCounter.close();
    await service.close();
    rateLimitRedis.disconnect();
    await closeBodyPool();
    await localRedis?.stop();
    await db.close();
  });
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'the render service could not start');
  process.exit(1);
});
