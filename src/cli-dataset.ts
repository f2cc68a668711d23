import { readFile } from 'node:fs/promises';
import { AppError, type ErrorCode } from './errors.js';
import { type Dataset, parseDatasetText } from './model/dataset.js';

/**
 * Reads a text file named on a command line. One that cannot be read is refused with `code`,
 * naming the file and why (ENOENT, EACCES, EISDIR), never as a bare system error.
 */
export async function readInputText(file: string, code: ErrorCode): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError(code, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}

/** Reads and validates a dataset file for a command-line tool; an unreadable file is DATASET_UNREADABLE. */
export async function readDatasetFile(file: string): Promise<Dataset> {
  return parseDatasetText(await readInputText(file, 'DATASET_UNREADABLE'), file);
}
