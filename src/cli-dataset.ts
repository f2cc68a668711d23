import { readFile } from 'node:fs/promises';
import { AppError } from './errors.js';
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
