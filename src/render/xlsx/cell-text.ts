/** Excel keeps at most this many characters in one cell. */
export const MAX_CELL_TEXT = 32_767;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Characters XML 1.0 cannot hold; exceljs drops most of them itself, these it passes on.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// OOXML reads "_xHHHH_" in a string as an escaped character; "_x005F_" escapes the underscore.
const OOXML_ESCAPE = /_(x[0-9A-Fa-f]{4}_)/g;

// One test for all of the above: most texts have none of it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NEEDS_CLEANING = /[\ud800-\udfff\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_/;

/**
 * A text as it is stored in a cell: characters XML cannot hold are dropped, "_xHHHH_" is escaped so
 * that Excel shows it as written, and the length is capped. Always a plain string: never a formula
 * or a link, whatever it begins with ("=", "+", "-", "@").
 */
export function toCellText(text: string): string {
  if (text.length <= MAX_CELL_TEXT && !NEEDS_CLEANING.test(text)) return text;
  const clean = text.replace(LONE_SURROGATE, '').replace(NOT_XML, '').replace(OOXML_ESCAPE, '_x005F_$1');
  return clean.length > MAX_CELL_TEXT ? clean.slice(0, MAX_CELL_TEXT) : clean;
}

/** The number of lines a text takes when wrapped greedily at word boundaries in `width` characters. */
export function countWrappedLines(text: string, width: number): number {
  const usable = Math.max(1, Math.floor(width));
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let line = 0;
    lines++;
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      const needed = line === 0 ? word.length : line + 1 + word.length;
      if (needed <= usable) line = needed;
      else if (line === 0) {
        lines += Math.ceil(word.length / usable) - 1;
        line = word.length % usable;
      } else {
        lines++;
        line = word.length;
        if (word.length > usable) {
          lines += Math.ceil(word.length / usable) - 1;
          line = word.length % usable;
        }
      }
    }
  }
  return lines;
}

/** The longest word of a text, in characters: the narrowest a wrapped column can be. */
export function longestWord(text: string): number {
  return Math.max(0, ...text.split(/\s+/).map((w) => w.length));
}

/** Splits a description into paragraphs at blank lines; a single line break stays (lists). */
export function toParagraphs(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((line) => line.trim())
        .join('\n')
        .trim(),
    )
    .filter((p) => p !== '');
}
