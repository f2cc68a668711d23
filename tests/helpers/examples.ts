import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, parseDataset, parseDatasetText } from '../../src/model/dataset.js';

/** The project root, from the tests' point of view. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Paths of the example datasets. */
export const EXAMPLES = {
  asPublished: path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/dataset.json'),
  corrected: path.join(ROOT, 'examples/beleidsinformatie-2019-hj1/dataset-gecorrigeerd.json'),
  mensenhandel2023: path.join(ROOT, 'examples/statline-2023-mensenhandel/dataset.json'),
} as const;

/** The raw JSON of an example, as a fresh object the test may change. */
export function readExampleJson(file: string): Record<string, unknown> & { tables: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** A validated example dataset. */
export function loadExample(file: string): Dataset {
  return parseDatasetText(readFileSync(file, 'utf8'), path.basename(file));
}

/** Validates a changed copy of an example. */
export function toDataset(raw: unknown, name = 'test-dataset.json'): Dataset {
  return parseDataset(raw, name);
}

/** A Kerncijfers table as the seed prints it (tab-separated, bold marked with <b>): label → 12 figures. */
export function parseSeedTable(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.replace(/<\/?b>/g, '').split('\n')) {
    const cells = line.split('\t');
    if (cells.length === 13 && /\d/.test(cells[1] ?? ''))
      out.set(
        cells[0] ?? '',
        cells.slice(1).map((c) => Number(c.replace(/\s/g, ''))),
      );
  }
  return out;
}

/** The seed's Kerncijfers table (corrected edition), parsed from the verbatim fixture: label → 12 figures. */
export function seedKerncijfers(): Map<string, number[]> {
  const text = readFileSync(path.join(ROOT, 'tests/fixtures/seed-publicatie-uitkomsten.txt'), 'utf8');
  return parseSeedTable(text.slice(text.indexOf('[kerncijfers]')));
}

/** The seed's key sentence and percentage bullets, as plain text. */
export function seedSentences(): { key: string; percentages: number[] } {
  const text = readFileSync(path.join(ROOT, 'tests/fixtures/seed-publicatie-uitkomsten.txt'), 'utf8');
  const key = /\*\*(In het .*?)\*\*/.exec(text)?.[1] ?? '';
  const percentages = [...text.matchAll(/^- (?:bij |in )?(\d+) procent/gm)].map((m) => Number(m[1]));
  return { key, percentages };
}
