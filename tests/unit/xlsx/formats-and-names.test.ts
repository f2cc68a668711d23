import { describe, expect, it } from 'vitest';
import { countWrappedLines, toCellText, toParagraphs } from '../../../src/render/xlsx/cell-text.js';
import { figureFormat, plainFormat, symbolFormat } from '../../../src/render/xlsx/number-formats.js';
import { claimSheetName, sheetLink } from '../../../src/render/xlsx/sheet-names.js';

describe('figure formats', () => {
  it('group thousands with a literal space, with exactly as many groups as the value needs', () => {
    expect(figureFormat(5, 0)).toBe('0');
    expect(figureFormat(999, 0)).toBe('0');
    expect(figureFormat(1240, 0)).toBe('#\\ ##0');
    expect(figureFormat(53080, 0)).toBe('#\\ ##0');
    expect(figureFormat(1234567, 0)).toBe('#\\ ###\\ ##0');
    expect(figureFormat(-5000, 0)).toBe('#\\ ##0');
    expect(figureFormat(12.5, 1)).toBe('0.0');
    expect(figureFormat(1234.25, 2)).toBe('#\\ ##0.00');
  });

  it('show a correction mark after the number, or reserve its width', () => {
    expect(figureFormat(73820, 0, { marker: ' c)' })).toBe('#\\ ##0" c)"');
    expect(figureFormat(73820, 0, { pad: ' c)' })).toBe('#\\ ##0_ _c_)');
    expect(symbolFormat({ marker: ' c)' })).toBe('@" c)"');
    expect(symbolFormat({ pad: ' c)' })).toBe('@_ _c_)');
    expect(symbolFormat({})).toBeUndefined();
  });

  it('are plain in the machine-readable sheets', () => {
    expect(plainFormat(0)).toBe('0');
    expect(plainFormat(2)).toBe('0.00');
  });
});

describe('sheet names', () => {
  it('drop the characters Excel forbids, stay within 31 characters and never repeat', () => {
    const used = new Set<string>();
    expect(claimSheetName('Tabel 1', used)).toBe('Tabel 1');
    expect(claimSheetName('tabel 1', used)).toBe('tabel 1 (2)');
    expect(claimSheetName('a[b]:c*d?e/f\\g', used)).toBe('a b c d e f g');
    const long = claimSheetName('Huiselijk geweld; aard geweld, aanvullende informatie', used);
    expect(long.length).toBeLessThanOrEqual(31);
    const again = claimSheetName('Huiselijk geweld; aard geweld, aanvullende informatie', used);
    expect(again.length).toBeLessThanOrEqual(31);
    expect(again).not.toBe(long);
    expect(claimSheetName("'", used)).toBe('Blad');
  });

  it('are quoted in internal links', () => {
    expect(sheetLink('Tabel 1')).toBe("#'Tabel 1'!A1");
    expect(sheetLink("Regio's")).toBe("#'Regio''s'!A1");
  });
});

describe('cell text', () => {
  it('is kept as written, with what XML cannot hold dropped and OOXML escapes escaped', () => {
    expect(toCellText('=SUM(A1)')).toBe('=SUM(A1)');
    expect(toCellText('a\u0001b\uffffc')).toBe('abc');
    expect(toCellText('x_x0041_y')).toBe('x_x005F_x0041_y');
    expect(toCellText('a'.repeat(40000))).toHaveLength(32767);
  });

  it('wraps at word boundaries to estimate row heights', () => {
    expect(countWrappedLines('Actieve diensten onderzoek', 20)).toBe(2);
    expect(countWrappedLines('Actieve diensten Voorwaarden en Vervolg', 20)).toBe(3);
    expect(countWrappedLines('kort', 20)).toBe(1);
    expect(countWrappedLines('een\ntwee', 20)).toBe(2);
    expect(countWrappedLines('x'.repeat(45), 20)).toBe(3);
  });

  it('splits descriptions at blank lines and keeps single line breaks', () => {
    expect(toParagraphs('Een.\n\nTwee:\n- a\n- b\n')).toEqual(['Een.', 'Twee:\n- a\n- b']);
    expect(toParagraphs(undefined)).toEqual([]);
  });
});
