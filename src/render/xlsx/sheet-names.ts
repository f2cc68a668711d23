/** Excel's limit on the length of a sheet name. */
export const MAX_SHEET_NAME = 31;

/**
 * A valid, unique sheet name from a wish: no []:*?/\ characters, no leading or trailing
 * apostrophe, at most 31 characters, and different (case-insensitively) from every name in `used`,
 * which it is added to.
 */
export function claimSheetName(wish: string, used: Set<string>): string {
  let base = wish
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '');
  if (base === '' || base.toLowerCase() === 'history') base = 'Blad';
  base = base.slice(0, MAX_SHEET_NAME).trim();
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = base.slice(0, MAX_SHEET_NAME - suffix.length).trimEnd() + suffix;
  }
  used.add(name.toLowerCase());
  return name;
}

/** The target of an internal link to cell A1 of a sheet: `#'Tabel 1'!A1`. */
export function sheetLink(sheetName: string): string {
  return `#'${sheetName.replace(/'/g, "''")}'!A1`;
}
