import { AppError } from '../../errors.js';

/**
 * The small Markdown-like markup of the chapter texts, read into blocks. It knows just what the
 * publication needs:
 *
 *   ## Heading / ### Subheading      paragraphs separated by blank lines
 *   - bullet                          > key sentence (highlighted)
 *   **bold**  *italic*  [^1] note     [^1]: footnote text
 *   ::table kerncijfers               ::pagebreak   ::figure werkproces
 *
 * A line that ends in two spaces breaks the line. A backslash makes the next character plain text.
 */

/** A run of text with its emphasis. */
export interface Inline {
  readonly text: string;
  readonly bold?: boolean;
  readonly italic?: boolean;
  /** A footnote marker: shown raised as "1)". */
  readonly note?: boolean;
}

/** A block of the markup. */
export type Block =
  | { readonly kind: 'heading'; readonly level: 2 | 3; readonly inlines: readonly Inline[] }
  | { readonly kind: 'paragraph'; readonly inlines: readonly Inline[] }
  | { readonly kind: 'bullets'; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: 'key'; readonly inlines: readonly Inline[] }
  | { readonly kind: 'footnote'; readonly ref: string; readonly inlines: readonly Inline[] }
  | { readonly kind: 'directive'; readonly name: string; readonly args: readonly string[] };

/** Reads inline emphasis, footnote markers and escapes into runs. */
export function parseInlines(source: string): Inline[] {
  const out: Inline[] = [];
  let bold = false;
  let italic = false;
  let buffer = '';
  const flush = (): void => {
    if (buffer !== '') out.push({ text: buffer, ...(bold ? { bold } : {}), ...(italic ? { italic } : {}) });
    buffer = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] ?? '';
    if (ch === '\\' && i + 1 < source.length) {
      buffer += source[i + 1];
      i++;
    } else if (ch === '*' && source[i + 1] === '*') {
      flush();
      bold = !bold;
      i++;
    } else if (ch === '*') {
      flush();
      italic = !italic;
    } else if (ch === '[' && source[i + 1] === '^') {
      const end = source.indexOf(']', i);
      const ref = end > 0 ? source.slice(i + 2, end) : '';
      if (/^\d{1,2}$/.test(ref)) {
        flush();
        out.push({ text: `${ref})`, note: true });
        i = end;
      } else buffer += ch;
    } else buffer += ch;
  }
  flush();
  return out;
}

function joinLines(lines: readonly string[]): string {
  return lines
    .map((line, i) => (i < lines.length - 1 && / {2,}$/.test(line) ? `${line.trimEnd()}\n` : `${line.trim()} `))
    .join('')
    .trim();
}

/** Reads markup text into blocks. */
export function parseMarkup(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let bullets: string[][] = [];
  const endParagraph = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', inlines: parseInlines(joinLines(paragraph)) });
    paragraph = [];
  };
  const endBullets = (): void => {
    if (bullets.length > 0) blocks.push({ kind: 'bullets', items: bullets.map((b) => parseInlines(joinLines(b))) });
    bullets = [];
  };
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') {
      endParagraph();
      endBullets();
      continue;
    }
    const heading = /^(#{2,3})\s+(.*)$/.exec(trimmed);
    const footnote = /^\[\^(\d{1,2})\]:\s*(.*)$/.exec(trimmed);
    const directive = /^::([a-z-]+)\s*(.*)$/.exec(trimmed);
    if (heading || footnote || directive || trimmed.startsWith('> ')) {
      endParagraph();
      endBullets();
    }
    if (heading) blocks.push({ kind: 'heading', level: heading[1] === '##' ? 2 : 3, inlines: parseInlines(heading[2] ?? '') });
    else if (footnote) blocks.push({ kind: 'footnote', ref: footnote[1] ?? '', inlines: parseInlines(footnote[2] ?? '') });
    else if (directive)
      blocks.push({ kind: 'directive', name: directive[1] ?? '', args: (directive[2] ?? '').split(/\s+/).filter(Boolean) });
    else if (trimmed.startsWith('> ')) blocks.push({ kind: 'key', inlines: parseInlines(trimmed.slice(2)) });
    else if (/^- /.test(trimmed)) {
      endParagraph();
      bullets.push([trimmed.slice(2)]);
    } else if (bullets.length > 0 && /^\s/.test(line)) bullets[bullets.length - 1]?.push(line);
    else {
      endBullets();
      paragraph.push(line);
    }
  }
  endParagraph();
  endBullets();
  return blocks;
}

/** The plain text of inline runs (footnote markers as "1)"). */
export function inlinesToText(inlines: readonly Inline[]): string {
  return inlines.map((i) => i.text).join('');
}

/**
 * Escapes characters the markup would read as formatting, so data stays plain text: emphasis and
 * notes anywhere, and what starts a heading, bullet or directive (`##`, `-`, `::`) at its start;
 * line breaks become spaces, so data can never begin a line of its own.
 */
export function escapeMarkup(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/([\\*_[\]`^<>|{}])/g, '\\$1')
    .replace(/^(\s*)([#:-])/, '$1\\$2');
}

/** The directives (`::name`) of a markup text with their line numbers, e.g. to refuse them in text an editor sends. */
export function findDirectives(source: string): { readonly line: number; readonly text: string }[] {
  return source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .flatMap((text, i) => (/^::[a-z-]+/.test(text.trim()) ? [{ line: i + 1, text: text.trim() }] : []));
}

/** The most page breaks (`::pagebreak` lines) one template file may hold. */
export const MAX_PAGE_BREAKS_PER_FILE = 20;

/**
 * Refuses a template file with more than MAX_PAGE_BREAKS_PER_FILE page breaks (1 600 of them made a
 * 1 611-page PDF): TEMPLATE_INVALID naming the file and the line of the first break over the limit.
 */
export function checkPageBreaks(file: string, source: string): void {
  const breaks = findDirectives(source).filter((d) => /^::pagebreak\b/.test(d.text));
  const over = breaks[MAX_PAGE_BREAKS_PER_FILE];
  if (over)
    throw new AppError(
      'TEMPLATE_INVALID',
      `${file}, line ${over.line}: ${breaks.length} page breaks (::pagebreak) in one file, at most ${MAX_PAGE_BREAKS_PER_FILE} are allowed`,
    );
}
