import { AppError, isAppError } from '../errors.js';
import { applyTexts, parseTextsFile } from '../model/texts-file.js';

/** A dataset as sent: enough of its shape to give it period texts; anything else is parseDataset's to report. */
function hasPeriod(raw: unknown): raw is { publication: { period: { key: string }; texts?: Record<string, string> } } {
  const publication = (raw as { publication?: { period?: { key?: unknown } } } | null)?.publication;
  return typeof publication?.period?.key === 'string';
}

/**
 * The submitted dataset with the request's texts file (field "texts") as its period texts, so that
 * they are stored with the dataset (content-addressed) and the job id covers them. Without texts
 * the dataset is returned as sent. Problems are TEXTS_INVALID with the details under "texts".
 */
export function datasetWithTexts(dataset: unknown, texts: string | undefined): unknown {
  if (texts === undefined || !hasPeriod(dataset)) return dataset;
  try {
    return applyTexts(dataset, parseTextsFile(texts, 'texts'), 'texts');
  } catch (error) {
    if (!isAppError(error, 'TEXTS_INVALID')) throw error;
    const details = error.details.length > 0 ? error.details : [{ path: 'texts', message: error.message }];
    throw new AppError('TEXTS_INVALID', error.message, {
      details: details.map((d) => ({ path: d.path.startsWith('texts') ? d.path : `texts: ${d.path}`, message: d.message })),
      cause: error,
    });
  }
}
