import { describe, expect, it } from 'vitest';
import { totalCode } from '../../../src/model/dataset.js';
import type { Dimension } from '../../../src/model/dataset-schema.js';
import { EXAMPLES, loadExample } from '../../helpers/examples.js';

// The one test of what a dimension's total is (used by the cell lookup, the checks, the percent helper
// and the workbook's default views).

function dimension(codes: Dimension['codes']): Dimension {
  return { key: 'Regio', title: 'Regio', kind: 'geo', codes } as Dimension;
}

describe('totalCode', () => {
  it('is the one code marked total or of level nederland', () => {
    const kerncijfers = loadExample(EXAMPLES.asPublished).tables[0];
    const regio = kerncijfers?.dimensions.find((d) => d.key === 'Regio');
    expect(regio && totalCode(regio)).toBe('NL01');
    expect(
      totalCode(
        dimension([
          { key: 'T001', title: 'Totaal', total: true },
          { key: 'A1', title: 'Lichamelijk' },
        ]),
      ),
    ).toBe('T001');
  });

  it('is undefined when no code or more than one code stands for the whole', () => {
    expect(
      totalCode(
        dimension([
          { key: 'A1', title: 'Lichamelijk' },
          { key: 'A2', title: 'Psychisch' },
        ]),
      ),
    ).toBeUndefined();
    expect(
      totalCode(
        dimension([
          { key: 'T001', title: 'Totaal', total: true },
          { key: 'NL01', title: 'Nederland', level: 'nederland' },
        ]),
      ),
    ).toBeUndefined();
  });
});
