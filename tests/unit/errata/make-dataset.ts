import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, parseDataset, parseDatasetText } from '../../../src/model/dataset.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Reads an example dataset of the 2019 first half-year publication. */
export function readExample(name: 'dataset.json' | 'dataset-gecorrigeerd.json'): Dataset {
  const file = path.join(ROOT, 'examples/beleidsinformatie-2019-hj1', name);
  return parseDatasetText(readFileSync(file, 'utf8'), name);
}

/** Reads a file of the project (fixtures, templates) as text. */
export function readProjectFile(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

/** A cell as written in a dataset file. */
export type CellInput = number | '.' | '';

/** A small table: one row dimension "Regio" (plus a single period), measures of unit "aantal". */
export interface TableSpec {
  readonly id: string;
  readonly title?: string;
  /** Codes of the row dimension: [key, title]. */
  readonly codes: readonly (readonly [string, string])[];
  /** Measure keys (titles are derived), or full measure objects. */
  readonly measures: readonly (string | Record<string, unknown>)[];
  /** Cells per code key, in measure order; a code left out has no row (the table is then incomplete). */
  readonly values: Readonly<Record<string, readonly CellInput[]>>;
  readonly dimensionTitle?: string;
  readonly footnotes?: readonly { ref: string; text: string }[];
}

/** The dataset file object of the given tables, before validation. */
export function rawDataset(...tables: readonly TableSpec[]): Record<string, unknown> {
  return {
    formatVersion: 1,
    publication: {
      id: 'test-publicatie',
      template: 'beleidsinformatie',
      title: 'Testpublicatie',
      period: { key: '2019HJ01', title: '1e halfjaar van 2019' },
      status: 'voorlopig',
      publicationDate: '2020-01-30',
    },
    tables: tables.map((t) => {
      const measures = t.measures.map((m) =>
        typeof m === 'string' ? { key: m, title: `Titel ${m}`, unit: 'aantal', decimals: 0 } : { unit: 'aantal', decimals: 0, ...m },
      );
      const complete = t.codes.every(([key]) => t.values[key] !== undefined);
      return {
        id: t.id,
        title: t.title ?? `Tabel ${t.id}`,
        footnotes: t.footnotes ?? [],
        complete,
        dimensions: [
          {
            key: 'Regio',
            title: t.dimensionTitle ?? 'Veilig Thuis-regio',
            kind: 'geo',
            codes: t.codes.map(([key, title]) => ({ key, title })),
          },
          { key: 'Perioden', title: 'Perioden', kind: 'time', codes: [{ key: '2019HJ01', title: '1e halfjaar van 2019' }] },
        ],
        measures,
        rows: t.codes
          .filter(([key]) => t.values[key] !== undefined)
          .map(([key]) => ({
            Regio: key,
            Perioden: '2019HJ01',
            ...Object.fromEntries(measures.map((m, i) => [m.key, t.values[key]?.[i]])),
          })),
      };
    }),
  };
}

/** A validated dataset of the given tables (through parseDataset, as the renderers get it). */
export function makeDataset(...tables: readonly TableSpec[]): Dataset {
  return parseDataset(rawDataset(...tables), 'test dataset');
}

/** Four regions with distinct figures in three measures. */
export const FOUR_REGIONS: TableSpec = {
  id: 'kern',
  title: 'Kerncijfers[^1] per regio',
  footnotes: [{ ref: '1', text: 'Voetnoot.' }],
  codes: [
    ['NL01', 'Totaal'],
    ['R1', 'Amsterdam Amstelland'],
    ['R2', 'Drenthe'],
    ['R3', 'Flevoland'],
  ],
  measures: [
    { key: 'A', title: 'Gestarte adviezen' },
    { key: 'B', title: 'Ontvangen meldingen' },
    { key: 'C', title: 'Overdrachten[^1]' },
  ],
  values: {
    NL01: [600, 1200, 1800],
    R1: [100, 200, 300],
    R2: [210, 410, 610],
    R3: [290, 590, 890],
  },
};
