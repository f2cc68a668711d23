import { describe, expect, it } from 'vitest';
import { hyphenateToFit, syllables, textWidthInPoints } from '../../../src/render/pdf/hyphenate.js';

describe('Dutch hyphenation of table headers', () => {
  it("breaks compounds where TeX's Dutch patterns break them, not inside their parts", () => {
    // The words issue 19 names: the hand-made rules gave "Hu-we-lijksd-wang" and "vei-lig-heid-spart-ners".
    expect(syllables('Huwelijksdwang').join('-')).toBe('Hu-we-lijks-dwang');
    expect(syllables('veiligheidspartners').join('-')).toBe('vei-lig-heids-part-ners');
    expect(syllables('Veiligheidsbeoordeling').join('-')).toBe('Vei-lig-heids-be-oor-de-ling');
    expect(syllables('Jeugdbescherming').join('-')).toBe('Jeugd-be-scher-ming');
    expect(syllables('Overdrachten').join('-')).toBe('Over-drach-ten');
    expect(syllables('Ontvangen').join('-')).toBe('Ont-van-gen');
  });

  it('leaves short words, numbers and words with other characters whole', () => {
    expect(syllables('gaat')).toEqual(['gaat']);
    expect(syllables('53080')).toEqual(['53080']);
    expect(syllables('VT-regio')).toEqual(['VT-regio']);
  });

  it('splits only the words wider than the cell, at a break that fits, with a visible hyphen', () => {
    const width = textWidthInPoints('Veiligheids-', 6.5) + 1;
    const fitted = hyphenateToFit('Veiligheidsbeoordeling na melding', width, 6.5);
    expect(fitted).toBe('Veiligheids- beoorde- ling na melding');
    for (const line of fitted.split(' ')) expect(textWidthInPoints(line, 6.5)).toBeLessThanOrEqual(width);
    expect(hyphenateToFit('Huwelijksdwang', textWidthInPoints('Huwelijks-', 6.5) + 0.5, 6.5)).toBe('Huwelijks- dwang');
    expect(hyphenateToFit('Overdrachten', 100, 6.5)).toBe('Overdrachten');
  });
});
