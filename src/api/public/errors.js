// The API's failures as the editor's page names them: ApiError for an answer that is not a
// success, and the Dutch heading for each error code. Pure: no page, no DOM.

/** @typedef {import('./page-types.js').Problem} Problem */

/** Dutch headings for the error codes of the API (the detail comes from the service itself). */
/** @type {Readonly<Record<string, string>>} */
export const CODE_TITLES = {
  DATASET_INVALID: 'De dataset klopt niet met het datasetformaat.',
  DATASET_UNREADABLE: 'Het bestand is geen leesbare JSON.',
  IMPORT_INVALID: 'De bestanden kunnen niet worden geïmporteerd.',
  TEMPLATE_INVALID: 'Het sjabloon van de publicatie past niet bij de dataset.',
  PREVIOUS_EDITION_MISMATCH: 'De vorige editie hoort bij een andere publicatie.',
  PREVIOUS_EDITION_UNKNOWN: 'De service kent nog geen editie van deze publicatie om te corrigeren. Maak eerst de publicatie zelf.',
  ERRATUM_INVALID: 'De datum of de tekst van het erratum ontbreekt of klopt niet.',
  DATASET_IMPLAUSIBLE:
    'De controles vóór publicatie vinden fouten (in de cijfers, of in de correctie ten opzichte van de vorige editie). Er is niets gemaakt.',
  WARNINGS_NOT_ACCEPTED: 'De controles vóór publicatie geven waarschuwingen: bekijk ze bij stap 1 en vink aan dat u ze accepteert.',
  RULES_INVALID: 'Het regelbestand van het sjabloon klopt niet.',
  RENDER_FAILED: 'Het maken is mislukt door een storing buiten de dataset.',
  REQUEST_INVALID: 'Het verzoek aan de service klopt niet.',
  PAYLOAD_TOO_LARGE: 'Het bestand is te groot voor de service.',
  UNSUPPORTED_MEDIA_TYPE: 'De service kan dit soort bestand niet lezen.',
  NOT_FOUND: 'Niet gevonden.',
  REDIS_UNAVAILABLE: 'De wachtrij van de service is even niet bereikbaar. Probeer het zo opnieuw.',
  NOT_READY: 'De service is nog niet klaar. Probeer het zo opnieuw.',
  STORAGE_FAILED: 'Het opslaan of lezen van bestanden is mislukt.',
  JOB_TIMEOUT: 'Het maken duurde te lang en is gestopt.',
  JOB_INVALID: 'De taak in de wachtrij is onleesbaar.',
  UNAUTHENTICATED: 'U bent niet (meer) aangemeld. Meld u aan met uw toegangscode.',
  FORBIDDEN: 'U heeft geen toegang tot deze functie.',
  RATE_LIMITED: 'Te veel verzoeken achter elkaar. Wacht even en probeer het opnieuw.',
  INTERNAL: 'Er ging onverwacht iets mis. Het is vastgelegd in het logboek van de service.',
};

/** An answer of the API that is not a success (status 0: no answer at all), with its problem document when it sent one. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Problem | null | undefined} problem
   */
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    /** @type {Problem | null} */
    this.problem = problem ?? null;
  }
}

/**
 * The Dutch heading and the service's own detail of a failed call.
 * @param {unknown} error
 * @returns {{ title: string, detail: string | null }}
 */
export function describeError(error) {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : /** @type {{ message?: unknown } | null | undefined} */ (error)?.message;
    return { title: 'Er ging iets mis op deze pagina.', detail: String(message ?? error) };
  }
  if (error.status === 0) return { title: 'De service is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.', detail: null };
  const code = error.problem?.code;
  let title = code === undefined ? undefined : CODE_TITLES[code];
  if (!title && error.status === 401) title = 'U bent niet (meer) aangemeld.';
  if (!title && error.status === 403) title = 'U heeft geen toegang tot deze functie.';
  if (!title && error.status === 429) title = 'Te veel verzoeken achter elkaar. Wacht even en probeer het opnieuw.';
  return { title: title ?? `De service gaf een fout (${error.status}).`, detail: error.problem?.detail ?? null };
}
