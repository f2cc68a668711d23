import { describe, expect, it } from 'vitest';
import { textsFileOf } from '../../../src/api/public/texts.js';
import { parseTextsFile } from '../../../src/model/texts-file.js';
import { originalJson } from '../../integration/helpers.js';

// The page starts the period texts from the chosen dataset (src/api/public/texts.js); the service
// must read that file back as the same texts of the same period.

describe('period texts started in the page', () => {
  it('writes the 2019 example’s own texts as a texts file the service reads back unchanged', () => {
    const dataset = originalJson() as { publication: { period: { key: string }; texts: Record<string, string> } };
    expect(Object.keys(dataset.publication.texts).length).toBeGreaterThan(0);
    const parsed = parseTextsFile(textsFileOf(dataset));
    expect(parsed.period).toBe(dataset.publication.period.key);
    expect(Object.fromEntries(Object.entries(parsed.sections).map(([name, section]) => [name, section.text]))).toEqual(
      Object.fromEntries(Object.entries(dataset.publication.texts).map(([name, text]) => [name, text.trim()])),
    );
  });

  it('writes only the front matter for a dataset without texts', () => {
    expect(textsFileOf({ publication: { period: { key: '2019HJ02' } } })).toBe('---\nperiode: 2019HJ02\n---\n');
    expect(textsFileOf(null)).toBe('---\nperiode: \n---\n');
  });
});
