import { readFile } from 'node:fs/promises';
import { AppError, isAppError } from './errors.js';
import { type Dataset, parseDatasetText } from './model/dataset.js';

/** Reads and validates a dataset file for a command-line tool; an unreadable file is DATASET_UNREADABLE. */
export async function readDatasetFile(file: string): Promise<Dataset> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('DATASET_UNREADABLE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
  return parseDatasetText(text, file);
}

/** Prints an error of a command-line tool as "error CODE: message" (with the details the message left out). */
export function printCliError(error: unknown, usage: string): void {
  if (isAppError(error)) {
    console.error(`error ${error.code}: ${error.message}`);
    for (const detail of error.details.slice(3)) console.error(`  - ${detail.message}`);
  } else if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`error USAGE: ${error.message}\n\n${usage}`);
  } else {
    console.error(error);
  }
}
