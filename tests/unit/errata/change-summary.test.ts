import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { buildChangeSummary, CHANGE_SUMMARY_TEMPLATE, toDutchPlural, toProseCase } from '../../../src/render/errata/change-summary.js';
import { diffDatasets } from '../../../src/render/errata/dataset-diff.js';
import { FOUR_REGIONS, makeDataset, readExample, readProjectFile, type TableSpec } from './make-dataset.js';

const template = readProjectFile(`templates/${CHANGE_SUMMARY_TEMPLATE}`);

function summarize(before: ReturnType<typeof makeDataset>, after: ReturnType<typeof makeDataset>): string {
  return buildChangeSummary(diffDatasets(before, after), before, after, { template });
}

describe('buildChangeSummary on the seed erratum of 28 April 2020', () => {
  const before = readExample('dataset.json');
  const after = readExample('dataset-gecorrigeerd.json');
  const summary = summarize(before, after);
  const paragraphs = summary.split('\n\n');

  it('says that two errors were corrected in the Kerncijfers table, naming it without footnote marker', () => {
    expect(paragraphs[0]).toBe('In de tabel ‘Kerncijfers per Veilig Thuis-regio’ zijn twee fouten hersteld.');
    expect(summary).not.toContain('[^');
  });

  it('when the corrected dataset swaps two region names, the summary names both as swapped', () => {
    expect(paragraphs[1]).toBe(
      "De eerste fout betrof de verwisseling van de namen van de Veilig Thuis-regio's Noord en Oost Gelderland en Noord- en Midden Limburg: de cijfers van de een stonden bij de naam van de ander.",
    );
  });

  it('names the corrected counts and how many figures changed', () => {
    expect(paragraphs[2]).toBe(
      'De tweede fout betrof de aantallen actieve casussen, actieve diensten onderzoek en actieve diensten Voorwaarden en Vervolg: daarin zijn 34 cijfers gecorrigeerd.',
    );
  });

  it('names the unchanged columns from the measure titles, the "waarvan" parts with their parents', () => {
    expect(paragraphs[3]).toBe(
      'De aantallen gestarte adviezen, ontvangen meldingen en overdrachten zijn, afgezien van de verwisselde namen, ongewijzigd gebleven, net als de aantallen ‘waarvan gestart’ en ‘waarvan gesloten’ bij de actieve casussen, actieve diensten onderzoek en actieve diensten Voorwaarden en Vervolg.',
    );
  });

  it('ends by saying that the other tables are unchanged, and says nothing else', () => {
    expect(paragraphs[4]).toBe('De andere zeven tabellen zijn ongewijzigd gebleven.');
    expect(paragraphs).toHaveLength(5);
  });

  it('is the same text on every run', () => {
    expect(summarize(before, after)).toBe(summary);
  });
});

describe('buildChangeSummary on small datasets', () => {
  it('when nothing differs, says so', () => {
    expect(summarize(makeDataset(FOUR_REGIONS), makeDataset(FOUR_REGIONS))).toBe(
      'Er zijn geen verschillen tussen de eerder gepubliceerde en de gecorrigeerde cijfers.',
    );
  });

  it('when one figure is corrected, says "één fout" and "één cijfer"', () => {
    const after: TableSpec = { ...FOUR_REGIONS, values: { ...FOUR_REGIONS.values, R2: [210, 415, 610] } };
    const text = summarize(makeDataset(FOUR_REGIONS), makeDataset(after));
    expect(text).toContain('In de tabel ‘Kerncijfers per regio’ is één fout hersteld.');
    expect(text).toContain('De fout betrof de aantallen ontvangen meldingen: daarin is één cijfer gecorrigeerd.');
    expect(text).toContain('De aantallen gestarte adviezen en overdrachten zijn ongewijzigd gebleven.');
  });

  it('when a "." becomes a number, says that the figure was unknown before', () => {
    const before: TableSpec = { ...FOUR_REGIONS, values: { ...FOUR_REGIONS.values, R3: ['.', 590, 890] } };
    const text = summarize(makeDataset(before), makeDataset(FOUR_REGIONS));
    expect(text).toContain('daarin is één cijfer gecorrigeerd. Eén daarvan was eerder onbekend (.).');
  });

  it('when a region is added, names it and calls the figures otherwise unchanged', () => {
    const after: TableSpec = {
      ...FOUR_REGIONS,
      codes: [...FOUR_REGIONS.codes, ['R4', 'Zeeland']],
      values: { ...FOUR_REGIONS.values, R4: [1, 2, 3] },
    };
    const text = summarize(makeDataset(FOUR_REGIONS), makeDataset(after));
    expect(text).toBe(
      [
        'De tabel ‘Kerncijfers per regio’ is gewijzigd.',
        'Er is een Veilig Thuis-regio toegevoegd: Zeeland.',
        'Verder zijn de cijfers ongewijzigd gebleven.',
      ].join('\n\n'),
    );
  });

  it('when a table is added and another removed, names both', () => {
    const extra: TableSpec = { id: 'extra', title: 'Extra tabel', codes: [['NL01', 'Totaal']], measures: ['X'], values: { NL01: [1] } };
    const old: TableSpec = { id: 'oud', title: 'Oude tabel', codes: [['NL01', 'Totaal']], measures: ['Y'], values: { NL01: [2] } };
    const text = summarize(makeDataset(FOUR_REGIONS, old), makeDataset(FOUR_REGIONS, extra));
    expect(text).toBe(
      ['De tabel ‘Extra tabel’ is toegevoegd.', 'De tabel ‘Oude tabel’ is vervallen.', 'De andere tabel is ongewijzigd gebleven.'].join(
        '\n\n',
      ),
    );
  });

  it('when two regions exchanged their names in the code list, calls it a swap of names', () => {
    const titles = new Map([
      ['R1', 'Flevoland'],
      ['R3', 'Amsterdam Amstelland'],
    ]);
    const before: TableSpec = { ...FOUR_REGIONS, codes: FOUR_REGIONS.codes.map(([k, t]) => [k, titles.get(k) ?? t]) };
    const text = summarize(makeDataset(before), makeDataset(FOUR_REGIONS));
    expect(text).toContain(
      "De fout betrof de verwisseling van de namen van de Veilig Thuis-regio's Amsterdam Amstelland en Flevoland: de cijfers van de een stonden bij de naam van de ander.",
    );
  });

  it('when a region is renamed, gives the old and the new name', () => {
    const after: TableSpec = { ...FOUR_REGIONS, codes: FOUR_REGIONS.codes.map(([k, t]) => [k, k === 'R2' ? 'Drenthe-Noord' : t]) };
    const text = summarize(makeDataset(FOUR_REGIONS), makeDataset(after));
    expect(text).toContain('De fout betrof de naam ‘Drenthe’ (nu ‘Drenthe-Noord’).');
  });

  it('escapes markup characters in titles, so they print as written', () => {
    const after: TableSpec = {
      ...FOUR_REGIONS,
      title: 'Kerncijfers[^1] per regio *voorlopig*',
      values: { ...FOUR_REGIONS.values, R1: [101, 200, 300] },
    };
    const text = summarize(makeDataset(FOUR_REGIONS), makeDataset(after));
    expect(text).toContain('de titel van de tabel, die eerder ‘Kerncijfers per regio’ luidde.');
    expect(text).toContain('‘Kerncijfers per regio \\*voorlopig\\*’');
  });
});

describe('the summary template', () => {
  const before = makeDataset(FOUR_REGIONS);
  const diff = diffDatasets(before, before);

  it('is compiled strictly: a field the summary does not provide is an error naming the template', () => {
    let caught: unknown;
    try {
      buildChangeSummary(diff, before, before, { template: '{{onbekendVeld}}' });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, 'TEMPLATE_INVALID')).toBe(true);
    expect((caught as Error).message).toContain(CHANGE_SUMMARY_TEMPLATE);
  });

  it('does not reach prototype properties', () => {
    expect(() => buildChangeSummary(diff, before, before, { template: '{{tables.constructor.name}}' })).toThrow();
  });

  it('registers its helpers on an isolated instance, not on the shared Handlebars', () => {
    buildChangeSummary(diff, before, before, { template });
    expect(Handlebars.helpers.list).toBeUndefined();
    expect(Handlebars.helpers.numberWord).toBeUndefined();
  });
});

describe('prose helpers', () => {
  it('writes measure titles with a small letter but keeps names and abbreviations', () => {
    expect(toProseCase('Actieve diensten Voorwaarden en Vervolg')).toBe('actieve diensten Voorwaarden en Vervolg');
    expect(toProseCase('Overdrachten[^2]')).toBe('overdrachten');
    expect(toProseCase('Veilig Thuis-regio')).toBe('Veilig Thuis-regio');
    expect(toProseCase('IJsselland')).toBe('IJsselland');
    expect(toProseCase('CBS-cijfers')).toBe('CBS-cijfers');
  });

  it('makes a Dutch plural only where the rule is safe', () => {
    expect(toDutchPlural('Veilig Thuis-regio')).toBe("Veilig Thuis-regio's");
    expect(toDutchPlural('adviesvrager')).toBe('adviesvragers');
    expect(toDutchPlural('taxatie')).toBe('taxaties');
    expect(toDutchPlural('partij')).toBeUndefined();
  });
});
