import type { DataTable } from '../../model/dataset.js';
import type { TableView } from './table-model.js';

/**
 * The layout of a table in a generic template (statline-tabel) when its manifest names no view:
 * a dimension other than time with a single code is held fixed and named in the title
 * ("…, (Mensenhandel)"), so it does not become a heading level over every row; every other
 * dimension goes down the side, periods outermost, measures across.
 */
export function genericView(table: DataTable): TableView {
  const single = table.dimensions.filter((d) => d.kind !== 'time' && d.codes.length === 1);
  if (single.length === 0 || single.length === table.dimensions.length) return {};
  const fixed: Record<string, string> = {};
  const named: string[] = [];
  for (const dim of single) {
    const code = dim.codes[0];
    if (!code) continue;
    fixed[dim.key] = code.key;
    if (code.total !== true) named.push(code.title);
  }
  return { fixed, ...(named.length > 0 ? { title: `${table.title} (${named.join(', ')})` } : {}) };
}
