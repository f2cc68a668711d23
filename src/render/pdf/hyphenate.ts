import hyphenNl from 'hyphen/nl/index.js';

/**
 * Dutch hyphenation for narrow table headers ("Over-drach-ten"), the way the seed's header cells
 * break. pdfmake breaks only at spaces (or mid-letter when a word is too wide), so header words
 * that do not fit are split here, with a visible hyphen. Where a word may break comes from TeX's
 * Dutch patterns (the `hyphen` package, nl), which know compounds ("Hu-we-lijks-dwang",
 * "vei-lig-heids-part-ners"); the fitting below decides at which of those places to break.
 */

const SOFT_HYPHEN = '\u00ad';

/** The parts of a word between the places where it may break; a word of fewer than five letters stays whole. */
export function syllables(word: string): string[] {
  if (word.length < 5 || !/^[\p{L}]+$/u.test(word)) return [word];
  return hyphenNl.hyphenateSync(word, { hyphenChar: SOFT_HYPHEN, minWordLength: 5 }).split(SOFT_HYPHEN);
}

/** Approximate width of text in Roboto, in points, for fitting header words. */
export function textWidthInPoints(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    // Roboto's figures are 0.56 em wide (tabular), its spaces (also no-break and thin) 0.25 em.
    if (/[0-9]/.test(ch)) em += 0.57;
    else if (/[\s\u00a0\u202f]/.test(ch)) em += 0.26;
    else if (/[ijlI.,:;'!|]/.test(ch)) em += 0.24;
    else if (/[ftr()\- ]/.test(ch)) em += 0.33;
    else if (/[mwMW]/.test(ch)) em += 0.8;
    else if (/[A-Z0-9]/.test(ch)) em += 0.6;
    else em += 0.52;
  }
  return em * fontSize;
}

/** Hyphenates the words of `text` that are wider than `width`, breaking at syllables with "-". */
export function hyphenateToFit(text: string, width: number, fontSize: number): string {
  return text
    .split(' ')
    .map((word) => {
      if (textWidthInPoints(word, fontSize) <= width) return word;
      const parts = syllables(word);
      const lines: string[] = [];
      let line = '';
      for (const part of parts) {
        if (line !== '' && textWidthInPoints(`${line}${part}-`, fontSize) > width) {
          lines.push(`${line}-`);
          line = part;
        } else line += part;
      }
      lines.push(line);
      return lines.join(' ');
    })
    .join(' ');
}
