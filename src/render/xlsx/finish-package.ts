import { readZip, writeZip, type ZipEntry } from './zip-package.js';

const SHEET = /^xl\/worksheets\/(sheet\d+\.xml)$/;
// exceljs writes an internal link as a relationship to an "external" target "#'Sheet'!A1" plus a
// location "#'Sheet'!A1"; readers join the two ("#'Sheet'!A1##'Sheet'!A1") and the link is dead
// (LibreOffice opens a file of that name). A link inside the workbook is a location only.
const INTERNAL_LINK = /<hyperlink ref="([A-Z]{1,3}[0-9]+)" r:id="(rId[0-9]+)"((?: tooltip="[^"]*")?) location="#([^"]*)"\/>/g;

function rewriteLinks(xml: string): { xml: string; removed: Set<string> } {
  const removed = new Set<string>();
  const out = xml.replace(INTERNAL_LINK, (_match, ref: string, rId: string, tooltip: string, location: string) => {
    removed.add(rId);
    return `<hyperlink ref="${ref}" location="${location}"${tooltip}/>`;
  });
  return { xml: out, removed };
}

function dropRelationships(xml: string, ids: ReadonlySet<string>): string {
  return xml.replace(/<Relationship [^>]*?Id="(rId[0-9]+)"[^>]*?\/>/g, (match, id: string) => (ids.has(id) ? '' : match));
}

/**
 * Turns the package exceljs wrote into the one we publish: internal links as plain locations, and
 * every ZIP entry stamped with `modified`, so that the same input gives the same bytes.
 */
export function finishPackage(raw: Buffer, modified: Date): Buffer {
  // Folder entries ("xl/") are not parts of the package; Excel writes none.
  const entries = readZip(raw).filter((entry) => !entry.name.endsWith('/'));
  const removedBySheet = new Map<string, Set<string>>();
  const rewritten: ZipEntry[] = entries.map((entry) => {
    const sheet = SHEET.exec(entry.name)?.[1];
    if (!sheet) return entry;
    const xml = entry.data.toString('utf8');
    if (!xml.includes('<hyperlinks>')) return entry;
    const result = rewriteLinks(xml);
    if (result.removed.size === 0) return entry;
    removedBySheet.set(`xl/worksheets/_rels/${sheet}.rels`, result.removed);
    return { name: entry.name, data: Buffer.from(result.xml, 'utf8') };
  });
  const finished = rewritten.map((entry) => {
    const removed = removedBySheet.get(entry.name);
    if (!removed) return entry;
    return { name: entry.name, data: Buffer.from(dropRelationships(entry.data.toString('utf8'), removed), 'utf8') };
  });
  return writeZip(finished, modified);
}
