import type { Logger } from 'pino';

/**
 * For the composition roots: on SIGTERM or SIGINT run `close` once and exit 0 (1 on an error);
 * a second signal exits at once, leaving unfinished jobs to another worker.
 */
export function stopOnSignals(logger: Logger, what: string, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now; unfinished jobs will run again on another worker');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, `stopping ${what}: no new work, finishing the running jobs`);
    close().then(
      () => {
        logger.info(`${what} stopped`);
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
