import type { Content } from 'pdfmake/interfaces.js';

/** pdfmake sets a superscript at 0.58 of the size it is given (TextInlines.js). */
const SUPERSCRIPT_SCALE = 0.58;

/** Printed size of a note marker in running text and in its note: readable in print (at least 5.5 pt). */
export const TEXT_NOTE_MARKER_SIZE = 6.5;
/** Printed size of a note marker in a table, its title and its notes. */
export const TABLE_NOTE_MARKER_SIZE = 5.5;

/** A raised note marker ("1)", "a)") printed at `size` points. */
export function noteMarker(text: string, size: number, style: Record<string, unknown> = {}): Content {
  return { text, sup: true, fontSize: size / SUPERSCRIPT_SCALE, ...style };
}

/**
 * The marker of a table's own note: a letter ("1" → "a"), so that table notes are told apart from
 * the notes of the running text on the same page, which are numbered.
 */
export function tableNoteLabel(ref: string): string {
  const n = Number(ref);
  if (!Number.isInteger(n) || n < 1) return ref;
  let label = '';
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) label = String.fromCharCode(97 + ((rest - 1) % 26)) + label;
  return label;
}
