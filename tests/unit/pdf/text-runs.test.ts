import { describe, expect, it } from 'vitest';
import { bindWords, curlyQuotes, textRuns } from '../../../src/render/pdf/text-runs.js';

const NBSP = '\u00a0';

describe('words that belong together', () => {
  it('are joined by no-break spaces, so a line never breaks inside them', () => {
    expect(bindWords('In het 1e halfjaar van 2019')).toBe(`In het 1e${NBSP}halfjaar van 2019`);
    expect(bindWords('het Handelingsprotocol versie 2.0 en artikel 1 Wmo')).toBe(
      `het Handelingsprotocol versie${NBSP}2.0 en artikel${NBSP}1 Wmo`,
    );
    expect(bindWords('53 080 adviezen, 1 234 567 meldingen, 27 procent')).toBe(
      `53${NBSP}080 adviezen, 1${NBSP}234${NBSP}567 meldingen, 27${NBSP}procent`,
    );
    expect(bindWords('in 2019 zijn 26 organisaties actief')).toBe('in 2019 zijn 26 organisaties actief');
  });
});

describe('web addresses in running text', () => {
  it('become links, without the punctuation after them', () => {
    const runs = textRuns('Zie https://veiligthuis.nl/protocol_v3/. Daar staat het.');
    expect(runs).toEqual([
      { text: 'Zie ' },
      { text: 'https://veiligthuis.nl/protocol_v3/', link: 'https://veiligthuis.nl/protocol_v3/', decoration: 'underline' },
      { text: '. Daar staat het.' },
    ]);
  });
});

describe('quotes', () => {
  it('are Dutch curly quotes, as in the erratum, and an apostrophe is one too', () => {
    expect(curlyQuotes("'Huiselijk' zegt iets; de regio's")).toBe('\u2018Huiselijk\u2019 zegt iets; de regio\u2019s');
    expect(curlyQuotes('diensten \'Voorwaarden en Vervolg\' en "Onderzoek"')).toBe(
      'diensten \u2018Voorwaarden en Vervolg\u2019 en \u201cOnderzoek\u201d',
    );
  });
});
