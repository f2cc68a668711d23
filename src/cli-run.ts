import { isAppError } from './errors.js';

/**
 * Runs a command line's main function: an AppError is printed as "error CODE: message" with the
 * details beyond the first three, a wrong option as USAGE with the usage text; the exit code is 1.
 */
export function runCli(main: (argv: readonly string[]) => Promise<void>, usage: string): void {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (isAppError(error)) {
      console.error(`error ${error.code}: ${error.message}`);
      for (const detail of error.details.slice(3)) console.error(`  - ${detail.message}`);
    } else if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`error USAGE: ${error.message}\n\n${usage}`);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  });
}
