import { describe, expect, it } from 'vitest';
import {
  artifactMeta,
  changeText,
  editionStateName,
  formatDateTime,
  formatDay,
  formatSize,
  jsonErrorText,
  placeText,
  plural,
  publicationSummary,
  releaseState,
  shownFigure,
} from '../../../src/api/public/format.js';

// The editor's page writes numbers, sizes, dates and places in Dutch (src/api/public/format.js).

describe('page formatting', () => {
  it('writes sizes in bytes, kB and MB with a decimal comma', () => {
    expect(formatSize(999)).toBe('999 bytes');
    expect(formatSize(1000)).toBe('1 kB');
    expect(formatSize(48_260)).toBe('48,3 kB');
    expect(formatSize(2_345_678)).toBe('2,3 MB');
  });

  it('writes a moment in Dutch time with "om", and a day without shifting it', () => {
    // 08:30 UTC in January is 09:30 in Amsterdam; in July (summer time) 10:30.
    expect(formatDateTime('2020-01-30T08:30:00Z')).toBe('30 januari 2020 om 09:30');
    expect(formatDateTime('2020-07-01T08:30:00Z')).toBe('1 juli 2020 om 10:30');
    expect(formatDay('2019-12-31')).toBe('31 december 2019');
  });

  it('counts with one noun for one and another for more, grouping thousands', () => {
    expect(plural(1, 'tabel', 'tabellen')).toBe('1 tabel');
    expect(plural(0, 'tabel', 'tabellen')).toBe('0 tabellen');
    expect(plural(12_345, 'cel', 'cellen')).toBe('12.345 cellen');
  });

  it('names the place of a dataset problem: table, row with its codes, cell and field', () => {
    const place = {
      table: 2,
      tableId: 'kerncijfers',
      tableTitle: 'Kerncijfers',
      row: 3,
      rowCodes: [
        { dimension: 'Regio', code: 'NL01', title: 'Nederland' },
        { dimension: 'Perioden', code: '2019HJ01' },
      ],
      cell: 'OntvangenMeldingen',
      cellTitle: 'Ontvangen meldingen',
      cellKind: 'measure',
      field: null,
    };
    expect(placeText(place, 'tables[1].rows[2]')).toBe(
      'Tabel 2 ‘Kerncijfers’ (kerncijfers), rij 3 (Regio: Nederland (NL01), Perioden: 2019HJ01), cel Ontvangen meldingen (OntvangenMeldingen)',
    );
    expect(placeText({ ...place, row: null, cell: 'Regio', cellTitle: null, cellKind: 'dimension' }, 'x')).toBe(
      'Tabel 2 ‘Kerncijfers’ (kerncijfers), dimensie Regio',
    );
    expect(placeText({ ...place, row: null, cell: null, field: 'title' }, 'x')).toBe(
      'Tabel 2 ‘Kerncijfers’ (kerncijfers), onderdeel title',
    );
    expect(placeText(null, '(root)')).toBe('Het hele bestand');
    expect(placeText(null, 'publication.period')).toBe('Onderdeel publication.period');
  });

  it('reads the line and column of a JSON syntax error from the service message', () => {
    expect(jsonErrorText('Unexpected token } in JSON at line 12, column 5')).toBe('De JSON klopt niet op regel 12, kolom 5.');
    expect(jsonErrorText('must be a number')).toBeNull();
  });

  it('says what happened to a changed cell, and shows an empty one as "(leeg)"', () => {
    expect(changeText('value', null)).toBe('gecorrigeerd');
    expect(changeText('moved', 'Utrecht')).toBe('stond eerder bij Utrecht');
    expect(changeText('moved-value', undefined)).toBe('stond eerder bij ? en is gecorrigeerd');
    expect(changeText('other', null)).toBe('other');
    expect(shownFigure('')).toBe('(leeg)');
    expect(shownFigure('53 080')).toBe('53 080');
  });

  it('describes a file to download: kind, size and when it was made', () => {
    const pdf = { name: 'publicatie.pdf', contentType: 'application/pdf', size: 250_000 };
    expect(artifactMeta(pdf, '2020-01-30T08:30:00Z')).toBe('Publicatie (PDF) · 250 kB · gemaakt op 30 januari 2020 om 09:30');
    expect(artifactMeta({ name: 'other.bin', contentType: 'application/octet-stream', size: 12 }, null)).toBe(
      'application/octet-stream · 12 bytes',
    );
  });

  it('names the state of an edition and its embargo at a given moment', () => {
    expect(editionStateName({ state: 'released', current: true })).toBe('Huidige editie · openbaar');
    expect(editionStateName({ state: 'scheduled' })).toBe('goedgekeurd, nog niet openbaar');
    expect(editionStateName({ state: 'unknown-state' })).toBe('unknown-state');
    const release = '2020-01-30T08:30:00Z';
    expect(releaseState(release, Date.parse('2020-01-01T00:00:00Z'))).toEqual({
      embargo: true,
      text: ' · onder embargo tot 30 januari 2020 om 09:30',
    });
    expect(releaseState(release, Date.parse(release))).toEqual({ embargo: false, text: ' · openbaar sinds 30 januari 2020 om 09:30' });
  });

  it('summarises a publication: editions, the current one and when it was made', () => {
    expect(publicationSummary({ publicationId: 'p', editions: 0, latest: null })).toBe('0 edities, nog geen editie openbaar');
    expect(
      publicationSummary({
        publicationId: 'p',
        editions: 2,
        latest: { edition: 2, correctedOn: '2020-03-02', createdAt: '2020-03-02T10:00:00Z' },
      }),
    ).toBe('2 edities, huidige: editie 2, correctie van 2 maart 2020, gemaakt op 2 maart 2020 om 11:00');
  });
});
