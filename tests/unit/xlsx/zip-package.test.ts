import { describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../../src/render/xlsx/zip-package.js';

describe('the ZIP package', () => {
  const entries = [
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet>'.repeat(1000)) },
  ];

  it('reads back what it writes, in order', () => {
    const zip = writeZip(entries, new Date('2020-04-28T00:00:00Z'));
    expect(readZip(zip).map((e) => [e.name, e.data.toString()])).toEqual(entries.map((e) => [e.name, e.data.toString()]));
  });

  it('gives the same bytes for the same entries and date, whenever it runs', () => {
    const a = writeZip(entries, new Date('2020-04-28T00:00:00Z'));
    const b = writeZip(entries, new Date('2020-04-28T00:00:00Z'));
    expect(a.equals(b)).toBe(true);
    const c = writeZip(entries, new Date('2020-04-29T00:00:00Z'));
    expect(c.equals(a)).toBe(false);
  });

  it('stamps every entry with the given date as MS-DOS date and time', () => {
    const zip = writeZip(entries, new Date('2020-04-28T10:30:00Z'));
    const dosDate = ((2020 - 1980) << 9) | (4 << 5) | 28;
    const dosTime = (10 << 11) | (30 << 5);
    expect(zip.readUInt16LE(10)).toBe(dosTime);
    expect(zip.readUInt16LE(12)).toBe(dosDate);
  });
});
