/**
 * Dutch syllable breaks for narrow table headers ("Over-drach-ten"), the way the seed's header
 * cells break. pdfmake breaks only at spaces (or mid-letter when a word is too wide), so header
 * words that do not fit are split here, with a visible hyphen.
 */

const VOWEL_GROUPS = [
  'aai',
  'ooi',
  'oei',
  'eeu',
  'ieu',
  'aa',
  'ee',
  'oo',
  'uu',
  'ie',
  'oe',
  'eu',
  'ui',
  'ei',
  'ij',
  'au',
  'ou',
  'a',
  'e',
  'i',
  'o',
  'u',
  'y',
  'é',
  'ë',
  'ï',
];
/** Consonant clusters that may begin a Dutch syllable. */
const ONSETS = new Set([
  'schr',
  'sch',
  'spr',
  'str',
  'bl',
  'br',
  'ch',
  'dr',
  'fl',
  'fr',
  'gl',
  'gr',
  'kl',
  'kn',
  'kr',
  'pl',
  'pr',
  'sl',
  'sm',
  'sn',
  'sp',
  'st',
  'tr',
  'vl',
  'vr',
  'wr',
  'zw',
]);

function vowelAt(word: string, i: number): number {
  const rest = word.slice(i).toLowerCase();
  for (const v of VOWEL_GROUPS) if (rest.startsWith(v)) return v.length;
  return 0;
}

/** Splits a word into syllables; a word of fewer than five letters stays whole. */
export function syllables(word: string): string[] {
  if (word.length < 5 || !/^[\p{L}]+$/u.test(word)) return [word];
  const nuclei: { start: number; end: number }[] = [];
  for (let i = 0; i < word.length; ) {
    const n = vowelAt(word, i);
    if (n > 0) {
      nuclei.push({ start: i, end: i + n });
      i += n;
    } else i++;
  }
  const breaks: number[] = [];
  for (let k = 0; k + 1 < nuclei.length; k++) {
    const from = nuclei[k]?.end ?? 0;
    const to = nuclei[k + 1]?.start ?? 0;
    const cluster = word.slice(from, to).toLowerCase();
    let onset = cluster.length === 0 ? 0 : 1;
    for (let len = cluster.length; len >= 2; len--) {
      if (ONSETS.has(cluster.slice(cluster.length - len))) {
        onset = len;
        break;
      }
    }
    breaks.push(to - onset);
  }
  const parts: string[] = [];
  let last = 0;
  for (const b of breaks) {
    if (b - last >= 2 && word.length - b >= 2) {
      parts.push(word.slice(last, b));
      last = b;
    }
  }
  parts.push(word.slice(last));
  return parts;
}

/** Approximate width of text in Roboto, in points, for fitting header words. */
export function textWidth(text: string, fontSize: number): number {
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
      if (textWidth(word, fontSize) <= width) return word;
      const parts = syllables(word);
      const lines: string[] = [];
      let line = '';
      for (const part of parts) {
        if (line !== '' && textWidth(`${line}${part}-`, fontSize) > width) {
          lines.push(`${line}-`);
          line = part;
        } else line += part;
      }
      lines.push(line);
      return lines.join(' ');
    })
    .join(' ');
}
