import { describe, expect, it } from 'vitest';
import { FIELD_ERRORS, fieldErrors, fieldOf, readCorrection, renderBody } from '../../../src/api/public/render-request.js';

// Step 2 of the editor's page without the page (src/api/public/render-request.js): the correction
// form checked, the body of POST /api/drafts, and the field each refused part belongs to.

const ID = 'beleidsinformatie-veilig-thuis-2019-hj1';

describe('render request of the page', () => {
  it('asks for the publication, the date and the text of a correction, each at its field', () => {
    const { items } = readCorrection({ publication: '', date: '', text: '  ' }, ID);
    expect(items.map((i) => i.field)).toEqual(['correctie-publicatie', 'erratum-datum', 'erratum-tekst']);
    expect(items[0]?.message).toBe('Kies de publicatie die u corrigeert.');
    for (const item of items) expect(Object.keys(FIELD_ERRORS)).toContain(item.field);
  });

  it('refuses a correction of another publication than the dataset’s, naming both', () => {
    const { items } = readCorrection({ publication: 'andere-publicatie', date: '2020-03-02', text: 'Tabel 2 verbeterd.' }, ID);
    expect(items).toEqual([
      {
        field: 'correctie-publicatie',
        message: `De gekozen dataset is van publicatie ${ID}, niet van andere-publicatie. Kies die publicatie, of kies bij stap 1 een dataset van andere-publicatie.`,
      },
    ]);
  });

  it('gives the erratum of a complete correction as typed', () => {
    expect(readCorrection({ publication: ID, date: '2020-03-02', text: 'Tabel 2 verbeterd.' }, ID)).toEqual({
      items: [],
      erratum: { date: '2020-03-02', text: 'Tabel 2 verbeterd.' },
    });
  });

  it('builds the body of POST /api/drafts with only what was given', () => {
    const dataset = { publication: { id: ID }, tables: [] };
    const text = JSON.stringify(dataset);
    expect(renderBody({ datasetText: text, acceptWarnings: false })).toEqual({ dataset });
    expect(
      renderBody({
        datasetText: text,
        texts: '---\nperiode: 2019HJ01\n---\n',
        correction: { erratum: { date: '2020-03-02', text: 'x' }, currentTemplates: true },
        acceptWarnings: true,
      }),
    ).toEqual({
      dataset,
      texts: '---\nperiode: 2019HJ01\n---\n',
      erratum: { date: '2020-03-02', text: 'x' },
      templates: 'current',
      acceptWarnings: true,
    });
    expect(
      renderBody({ datasetText: text, correction: { erratum: { date: 'd', text: 't' }, currentTemplates: false }, acceptWarnings: false }),
    ).not.toHaveProperty('templates');
  });

  it('puts each refused part of the service’s answer at its field, and leaves the rest to the summary', () => {
    expect(['erratum.date', 'erratum.text', 'texts', 'texts.inleiding', 'templates', 'dataset.tables', undefined].map(fieldOf)).toEqual([
      'erratum-datum',
      'erratum-tekst',
      'periode-teksten',
      'periode-teksten',
      'sjablonen-bewaard',
      null,
      null,
    ]);
    expect(
      fieldErrors([
        { path: 'texts.inleiding', message: 'section "inleiding" is still marked as copied' },
        { path: 'dataset', message: 'not this one' },
      ]),
    ).toEqual([{ field: 'periode-teksten', message: 'section "inleiding" is still marked as copied' }]);
  });
});
