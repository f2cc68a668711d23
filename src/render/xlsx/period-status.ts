import type { Dataset } from '../../model/dataset.js';
import type { FigureStatus } from '../../model/dataset-schema.js';
import { statusMark } from '../../model/number-format.js';

const WORDS: Readonly<Record<FigureStatus, string>> = {
  definitief: 'definitief',
  'nader voorlopig': 'nader voorlopig',
  voorlopig: 'voorlopig',
};

/**
 * The status of the figures when the tables span periods of different status ("2020 1e halfjaar:
 * definitief; 2020 2e halfjaar: nader voorlopig (**); …"); undefined when every period has the
 * publication's status, which the title page then states as before.
 */
export function describePeriodStatuses(dataset: Dataset): string | undefined {
  const periods = new Map<string, { title: string; status: FigureStatus }>();
  for (const table of dataset.tables) {
    for (const dim of table.dimensions) {
      if (dim.kind !== 'time') continue;
      for (const code of dim.codes) periods.set(code.key, { title: code.title, status: code.status ?? dataset.publication.status });
    }
  }
  const statuses = new Set([...periods.values()].map((p) => p.status));
  if (statuses.size < 2) return undefined;
  const parts = [...periods.values()].map((p) => {
    const mark = statusMark(p.status);
    return `${p.title}: ${WORDS[p.status]}${mark ? ` (aangeduid met ${mark})` : ''}`;
  });
  return `${parts.join('; ')}.`;
}
