import { isAppError } from './errors.js';

/** Prints an error of a command-line tool as "error CODE: message" (with the details the message left out). */
function printCliError(error: unknown, usage: string): void {
  if (isAppError(error)) {
    console.error(`error ${error.code}: ${error.message}`);
    for (const detail of error.details.slice(3)) console.error(`  - ${detail.message}`);
  } else if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`error USAGE: ${error.message}\n\n${usage}`);
  } else {
    console.error(error);
  }
}

/**
 * Runs a command line's main function. Its result, when a number, is the exit code; an error is
 * printed by printCliError and exits with `errorExitCode` (1 unless the tool says otherwise).
 */
export function runCli(main: (argv: readonly string[]) => Promise<unknown>, usage: string, errorExitCode = 1): void {
  main(process.argv.slice(2)).then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error: unknown) => {
      printCliError(error, usage);
      process.exitCode = errorExitCode;
    },
  );
}
