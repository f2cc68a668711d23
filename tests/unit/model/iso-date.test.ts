import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSubmitBody } from '../../../src/api/request-schemas.js';
import { AppError } from '../../../src/errors.js';
import { importDataset } from '../../../src/import/import-dataset.js';
import { isIsoDate } from '../../../src/model/iso-date.js';
import { renderEdition } from '../../../src/render/render-edition.js';
import { loadResources } from '../../../src/resources.js';
import { EXAMPLES, loadExample, readExampleJson, ROOT, toDataset } from '../../helpers/examples.js';
import { errorOf } from '../../helpers/errors.js';

// One date check for every date an editor gives: 2020-02-31 is no date (a JavaScript Date would
// roll it over to 2 March and print "2 maart 2020" as the erratum date).

describe('a calendar date as YYYY-MM-DD', () => {
  it('is a day the month has', () => {
    for (const date of ['2020-02-29', '2000-02-29', '2019-12-31', '2020-04-30']) expect(isIsoDate(date), date).toBe(true);
    for (const date of ['2020-02-31', '2019-02-29', '1900-02-29', '2020-04-31', '2020-13-01', '2020-00-10', '2020-1-01', '20200101'])
      expect(isIsoDate(date), date).toBe(false);
  });

  it('the API refuses an erratum dated 2020-02-31', () => {
    const dataset = readExampleJson(EXAMPLES.corrected);
    const previous = readExampleJson(EXAMPLES.asPublished);
    const error = errorOf(() => parseSubmitBody({ dataset, previous, erratum: { date: '2020-02-31', text: 'Hersteld.' } }));
    expect(error.code).toBe('ERRATUM_INVALID');
    expect(error.details).toEqual([{ path: 'erratum.date', message: 'erratum.date must be a date as YYYY-MM-DD, not "2020-02-31"' }]);
  });

  it('the render refuses an erratum dated 2020-02-31 (the command line gives it as --erratum-date)', async () => {
    const error = await renderEdition(
      {
        dataset: loadExample(EXAMPLES.corrected),
        previous: loadExample(EXAMPLES.asPublished),
        erratum: { date: '2020-02-31', text: 'Hersteld.' },
      },
      loadResources(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ERRATUM_INVALID');
    expect((error as AppError).message).toBe('a corrected edition needs the erratum date as YYYY-MM-DD, not "2020-02-31"');
  });

  it('a dataset refuses publicationDate 2019-02-29', () => {
    const raw = readExampleJson(EXAMPLES.asPublished);
    (raw.publication as Record<string, unknown>).publicationDate = '2019-02-29';
    const error = errorOf(() => toDataset(raw));
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.details.map((d) => d.path)).toEqual(['publication.publicationDate']);
  });

  it('the importer refuses --date 2021-02-30', async () => {
    const error = await importDataset(path.join(ROOT, 'tests/fixtures/import/statline-v4-halfjaren.zip'), {
      publicationId: 'halfjaren',
      publicationDate: '2021-02-30',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as AppError).code).toBe('IMPORT_INVALID');
    expect((error as AppError).message).toBe('the publication date must be a date as YYYY-MM-DD, not "2021-02-30"');
  });
});
