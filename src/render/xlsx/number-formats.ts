/**
 * Number formats for figures. Excel's grouping format ("#,##0") shows the locale's separator:
 * a point in a Dutch Excel, a comma in an English one. CBS writes "53 080" everywhere, so the
 * space is a literal between digit placeholders. A literal is shown even when no digit stands to
 * its left (" 5"), so each cell gets a format with exactly as many groups as its value needs;
 * the value itself stays a number.
 */

function integerDigits(value: number): number {
  return String(Math.floor(Math.abs(value))).length;
}

function decimalPart(decimals: number): string {
  return decimals > 0 ? `.${'0'.repeat(decimals)}` : '';
}

/** Escapes text for a number format: in double quotes, a quote written twice is not allowed, so drop it. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, '')}"`;
}

/** Reserves the width of `text` without showing it ("_x" is a space as wide as x). */
function padding(text: string): string {
  return [...text].map((ch) => `_${ch}`).join('');
}

/**
 * The format that shows `value` with `decimals` decimals and a space between thousands, e.g.
 * 53080 → "53 080", 1234567.5 → "1 234 567,5" (decimal sign per the reader's locale).
 * `marker` is shown after the number (a correction mark); `pad` reserves the width of a marker
 * shown elsewhere in the column so the digits stay aligned.
 */
export function figureFormat(value: number, decimals: number, options: { marker?: string; pad?: string } = {}): string {
  const groups = Math.floor((integerDigits(value) - 1) / 3);
  const integer = groups === 0 ? '0' : `#${'\\ ###'.repeat(groups - 1)}\\ ##0`;
  let format = integer + decimalPart(decimals);
  if (options.marker) format += quoted(options.marker);
  else if (options.pad) format += padding(options.pad);
  return format;
}

/** The format of a symbol ("." or "") in a figure column: the text itself, with a marker or its width. */
export function symbolFormat(options: { marker?: string; pad?: string }): string | undefined {
  if (options.marker) return `@${quoted(options.marker)}`;
  if (options.pad) return `@${padding(options.pad)}`;
  return undefined;
}

/** The plain format of the machine-readable sheets: no grouping, fixed decimals. */
export function plainFormat(decimals: number): string {
  return `0${decimalPart(decimals)}`;
}
