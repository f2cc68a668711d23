// Step 2 of the editor's page without the page: the correction form read and checked, the body of
// POST /api/drafts, and which field each problem of the service's answer belongs to. Pure: no DOM.

/** @typedef {{ field: string | null, message: string }} FieldError */
/** @typedef {{ date: string, text: string }} Erratum */

/** The error message element of each field of the render form, by the field's id. */
/** @type {Readonly<Record<string, string>>} */
export const FIELD_ERRORS = {
  'correctie-publicatie': 'correctie-publicatie-fout',
  'erratum-datum': 'erratum-datum-fout',
  'erratum-tekst': 'erratum-tekst-fout',
  'periode-teksten': 'periode-teksten-fout',
};

/**
 * The correction form checked: what is missing or does not fit the chosen dataset, and the erratum.
 * @param {{ publication: string, date: string, text: string }} form the values of the fields
 * @param {string} datasetId the publication of the chosen dataset
 * @returns {{ items: FieldError[], erratum: Erratum }}
 */
export function readCorrection({ publication, date, text }, datasetId) {
  /** @type {FieldError[]} */
  const items = [];
  if (!publication) items.push({ field: 'correctie-publicatie', message: 'Kies de publicatie die u corrigeert.' });
  else if (publication !== datasetId) {
    items.push({
      field: 'correctie-publicatie',
      message: `De gekozen dataset is van publicatie ${datasetId}, niet van ${publication}. Kies die publicatie, of kies bij stap 1 een dataset van ${publication}.`,
    });
  }
  if (!date) items.push({ field: 'erratum-datum', message: 'Vul de datum van het erratum in (dag, maand, jaar).' });
  if (text.trim() === '') items.push({ field: 'erratum-tekst', message: 'Schrijf in de tekst wat er gecorrigeerd is.' });
  return { items, erratum: { date, text } };
}

/**
 * The field of the render form a problem of POST /api/drafts points at, by its path; null when none.
 * @param {string | undefined} path
 */
export function fieldOf(path) {
  if (path === 'erratum.date') return 'erratum-datum';
  if (path === 'erratum.text') return 'erratum-tekst';
  if (path?.startsWith('texts')) return 'periode-teksten';
  if (path === 'templates') return 'sjablonen-bewaard';
  return null;
}

/**
 * The problems of a refused render that belong to a field of the form, with the service's message.
 * @param {readonly { path?: string, message: string }[]} problems
 * @returns {{ field: string, message: string }[]}
 */
export function fieldErrors(problems) {
  return problems.flatMap((p) => {
    const field = fieldOf(p.path);
    return field ? [{ field, message: p.message }] : [];
  });
}

/**
 * The body of POST /api/drafts: the dataset, the period texts when given, the erratum and the
 * templates of a correction, and the acceptance of the checks' warnings.
 * @param {{ datasetText: string, texts?: string | undefined, correction?: { erratum: Erratum, currentTemplates: boolean } | undefined, acceptWarnings: boolean }} input
 * @returns {{ dataset: unknown, texts?: string, erratum?: Erratum, templates?: 'current', acceptWarnings?: true }}
 */
export function renderBody({ datasetText, texts, correction, acceptWarnings }) {
  /** @type {ReturnType<typeof renderBody>} */
  const body = { dataset: JSON.parse(datasetText) };
  if (texts !== undefined) body.texts = texts;
  if (correction) {
    body.erratum = correction.erratum;
    if (correction.currentTemplates) body.templates = 'current';
  }
  if (acceptWarnings) body.acceptWarnings = true;
  return body;
}
