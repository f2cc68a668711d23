// What the editor's page holds between the steps: the chosen dataset, the publications the service
// knows, and the period texts block. One object, shared by the page's modules.

/** @typedef {import('./page-types.js').ValidationReport} ValidationReport */
/** @typedef {import('./page-types.js').PublicationSummary} PublicationSummary */

/**
 * The dataset the editor chose and the service found valid, with the number of editions its
 * publication had when it was chosen (not those rendered from it since).
 * @typedef {{ name: string, text: string, report: ValidationReport, editionsBefore: number }} Chosen
 */

/** @typedef {{ value(): string | undefined, reveal(): void }} PeriodTexts */

export const pageState = {
  /** @type {Chosen | null} */
  chosen: null,
  /** The publications the service knows, from /api/publications. @type {PublicationSummary[]} */
  publications: [],
  /** The period texts block of step 2 (texts.js); set up at start. @type {PeriodTexts} */
  periodTexts: { value: () => undefined, reveal: () => {} },
};
