import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDatasetText } from '../../src/model/dataset.js';
import type { RenderRequest } from '../../src/render/types.js';
import { PROJECT_ROOT } from '../../src/resources.js';

/** The folder of the 2019 example. */
export const EXAMPLE_DIR = path.join(PROJECT_ROOT, 'examples', 'beleidsinformatie-2019-hj1');
/** The date of the erratum of the 2019 example. */
export const ERRATUM_DATE = '2020-04-28';

/** The files of the 2019 example as text: the dataset as published, the corrected one and the erratum text. */
export interface ExampleTexts {
  readonly published: string;
  readonly corrected: string;
  readonly erratumText: string;
}

/** Reads the 2019 example from disk. */
export function readExample(): ExampleTexts {
  return {
    published: readFileSync(path.join(EXAMPLE_DIR, 'dataset.json'), 'utf8'),
    corrected: readFileSync(path.join(EXAMPLE_DIR, 'dataset-gecorrigeerd.json'), 'utf8'),
    erratumText: readFileSync(path.join(EXAMPLE_DIR, 'erratum.md'), 'utf8'),
  };
}

/**
 * The full edition of the example as a render job sees it: both datasets parsed and validated
 * from their JSON text, the corrected one as the new edition with the erratum. Rendering it makes
 * publicatie.pdf, tabellenbijlage.xlsx and erratum.pdf.
 */
export function parseExampleRequest(texts: ExampleTexts): RenderRequest {
  return {
    dataset: parseDatasetText(texts.corrected, 'dataset-gecorrigeerd.json'),
    previous: parseDatasetText(texts.published, 'dataset.json'),
    erratum: { date: ERRATUM_DATE, text: texts.erratumText },
  };
}

/** The CLI arguments that render the same full edition. */
export function exampleCliArgs(outDir: string): string[] {
  return [
    '--dataset',
    path.join(EXAMPLE_DIR, 'dataset-gecorrigeerd.json'),
    '--previous',
    path.join(EXAMPLE_DIR, 'dataset.json'),
    '--erratum-date',
    ERRATUM_DATE,
    '--erratum-text',
    path.join(EXAMPLE_DIR, 'erratum.md'),
    '--out',
    outDir,
  ];
}
