import type { Content } from 'pdfmake/interfaces.js';

const NBSP = '\u00a0';

/**
 * Words that belong together on one line, joined by a no-break space: "1e halfjaar", "2e kwartaal",
 * "versie 2.0", "artikel 1", "tabel 3", "53 080" (digit groups), "27 procent".
 */
const BOUND = [
  /(\b\d+e) (halfjaar|kwartaal|helft|week|maand)\b/g,
  /\b(versie|artikel|tabel|hoofdstuk|bladzijde|pagina|figuur|lid) (\d)/gi,
  /(\d) (\d{3})\b/g,
  /(\d) (procent|duizend|miljoen|%)/g,
];

/** Replaces the spaces between words that belong together by no-break spaces. */
export function bindWords(text: string): string {
  let out = text;
  for (const pattern of BOUND) {
    // Twice, so that overlapping groups ("1 234 567") are all bound.
    out = out.replace(pattern, `$1${NBSP}$2`).replace(pattern, `$1${NBSP}$2`);
  }
  return out;
}

/**
 * Typewriter quotes as Dutch curly quotes, as the erratum already writes them: 'Huiselijk' →
 * ‘Huiselijk’, "zo" → “zo”, and an apostrophe as ’ (regio’s).
 */
export function curlyQuotes(text: string): string {
  return text
    .replace(/(^|[\s([\u2018\u201c/-])'/g, '$1\u2018')
    .replace(/'/g, '\u2019')
    .replace(/(^|[\s([\u2018/-])"/g, '$1\u201c')
    .replace(/"/g, '\u201d');
}

/** A web address in running text: up to a space, without trailing punctuation. */
const URL = /https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"’”]/g;

/**
 * Text as pdfmake runs: curly quotes, words that belong together bound, web addresses as links
 * (underlined), each run with `style`.
 */
export function textRuns(text: string, style: Record<string, unknown> = {}, linkColor?: string): Content[] {
  const runs: Content[] = [];
  let last = 0;
  for (const m of text.matchAll(URL)) {
    if (m.index > last) runs.push({ text: bindWords(curlyQuotes(text.slice(last, m.index))), ...style });
    runs.push({ text: m[0], link: m[0], decoration: 'underline', ...(linkColor ? { color: linkColor } : {}), ...style });
    last = m.index + m[0].length;
  }
  if (last < text.length || runs.length === 0) runs.push({ text: bindWords(curlyQuotes(text.slice(last))), ...style });
  return runs;
}
