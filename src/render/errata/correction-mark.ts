/**
 * One mark and one wording for a corrected figure, in the erratum PDF and in the workbook: the
 * dagger, and "gecorrigeerd" (as the erratum's summary says: "daarin zijn 34 cijfers gecorrigeerd").
 */
export const CORRECTION_MARK = '\u2020';

/** The legend under the corrected version of a table. */
export const CORRECTION_LEGEND = 'Gecorrigeerd cijfer (vet gezet).';

/** The legend under the version as first published: the mark stands at the figure that was wrong. */
export const CORRECTION_LEGEND_WRONG = 'Foutief cijfer, in de gecorrigeerde versie gecorrigeerd (vet gezet).';

/** The meaning of the mark, for a list of signs: "Gecorrigeerd cijfer (gecorrigeerde editie van 28 april 2020)". */
export function correctionMeaning(date: string): string {
  return `Gecorrigeerd cijfer (gecorrigeerde editie van ${date})`;
}
