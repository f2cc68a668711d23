import { z } from 'zod';

/**
 * A calendar date written YYYY-MM-DD: the one date check of the project (datasets, requests,
 * imports, the command line). It refuses a day the month lacks, such as 2020-02-31, which
 * `new Date` would silently roll over to 2 March.
 */
export const IsoDateSchema = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });

/** True for a real calendar date written YYYY-MM-DD (see IsoDateSchema). */
export function isIsoDate(value: string): boolean {
  return IsoDateSchema.safeParse(value).success;
}
