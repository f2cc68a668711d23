import { describe, expect, it } from 'vitest';
import { periodPhrase } from '../../../src/model/number-format.js';

describe('periodPhrase', () => {
  it('writes "over het 1e halfjaar van 2019" but "over 2023" for a year', () => {
    expect(periodPhrase('1e halfjaar van 2019')).toBe('het 1e halfjaar van 2019');
    expect(periodPhrase('2023')).toBe('2023');
    expect(periodPhrase('2023*')).toBe('2023*');
  });
});
