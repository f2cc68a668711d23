import { readZipEntries } from '../zip-reader.js';

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The names of a workbook's sheets, in order, read from its xl/workbook.xml; empty when it cannot be read. */
export function listWorkbookSheets(bytes: Buffer): string[] {
  try {
    // Only xl/workbook.xml is unpacked, not the sheets.
    const workbook = readZipEntries(bytes, {
      fail: (why) => {
        throw new Error(why);
      },
    }).find((e) => e.name === 'xl/workbook.xml');
    if (!workbook) return [];
    const xml = workbook.data().toString('utf8');
    return [...xml.matchAll(/<sheet\b[^>]*\bname="([^"]*)"/g)].map((m) =>
      (m[1] ?? '').replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? ''),
    );
  } catch {
    return [];
  }
}
