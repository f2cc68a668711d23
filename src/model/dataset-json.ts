import type { DatasetInput } from './dataset-schema.js';

// The one writer of dataset files: what npm run import, npm run new-period and their routes write,
// in the layout of the examples.

/**
 * The dataset as JSON with two-space indents and each row on one line, as the examples are written:
 * readable and diffable by hand, and small for large tables.
 */
export function formatDatasetJson(dataset: DatasetInput): string {
  const rows: string[] = [];
  const withPlaces = {
    ...dataset,
    tables: dataset.tables.map((t) => ({
      ...t,
      rows: t.rows.map((r) => {
        rows.push(
          `{${Object.entries(r)
            .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
            .join(', ')}}`,
        );
        return `\u0000${rows.length - 1}`;
      }),
    })),
  };
  return `${JSON.stringify(withPlaces, null, 2).replace(/"\\u0000(\d+)"/g, (_, i: string) => rows[Number(i)] ?? '')}\n`;
}
