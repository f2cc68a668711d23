import type { Content, ContentTable, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { textWidthInPoints } from './hyphenate.js';
import { CONTENT_WIDTH, MARGINS, STYLES } from './style.js';

/** Size and line height of a table title (style tableTitle). */
const TITLE_SIZE = Number((STYLES.tableTitle as { fontSize?: number }).fontSize ?? 9);
const TITLE_LINE = TITLE_SIZE * 1.25;

/** The key under which a drawn table carries its title, for the "(vervolg)" line on later pages. */
const CONTINUED_TITLE = 'continuedTitle';

/** Marks a pdfmake table with the title to repeat, followed by "(vervolg)", on each page it continues on. */
export function markContinuedTitle(table: ContentTable['table'], title: string): void {
  (table as unknown as Record<string, unknown>)[CONTINUED_TITLE] = title;
}

/**
 * Content drawn once may be printed in two documents (the erratum's tables stand in the
 * publication and in erratum.pdf); pdfmake marks each node whose page break it has checked and
 * then skips it, so the marks of an earlier print are cleared for the hook to see every table.
 */
function forgetPageBreakChecks(content: unknown, seen = new Set<object>()): void {
  if (typeof content !== 'object' || content === null || seen.has(content)) return;
  seen.add(content);
  if (Array.isArray(content)) {
    for (const item of content) forgetPageBreakChecks(item, seen);
    return;
  }
  const node = content as Record<string, unknown>;
  if ('pageBreakCalculated' in node) delete node.pageBreakCalculated;
  for (const key of ['stack', 'columns', 'ul', 'ol', 'text', 'table', 'body'] as const) forgetPageBreakChecks(node[key], seen);
}

/**
 * Prints a document in which a table that continues on the next page repeats its header rows
 * (pdfmake's headerRows) and its title followed by "(vervolg)" above them. pdfmake cannot change
 * a repeated header's text, so a first layout finds the pages a table continues on (through its
 * pageBreakBefore hook, which sees every node's pages; it breaks nothing), and only when a table
 * continues is the document laid out again with the titles in the page header, just above the
 * repeated header rows. `build` gives a fresh definition each time (pdfmake changes the one it
 * is given); `print` turns one into bytes.
 */
export async function printWithContinuedTitles(
  build: () => TDocumentDefinitions,
  print: (definition: TDocumentDefinitions) => Promise<Buffer>,
): Promise<Buffer> {
  const continued = new Map<number, string>();
  const first = build();
  forgetPageBreakChecks(first.content);
  first.pageBreakBefore = (node) => {
    const title = (node.table as unknown as Record<string, unknown> | undefined)?.[CONTINUED_TITLE];
    if (typeof title === 'string') for (const page of node.pageNumbers.slice(1)) continued.set(page, title);
    return false;
  };
  const bytes = await print(first);
  if (continued.size === 0) return bytes;
  const again = build();
  const own = again.header;
  again.header = (page, pageCount, pageSize) => {
    const title = continued.get(page);
    if (title === undefined) return typeof own === 'function' ? own(page, pageCount, pageSize) : (own ?? null);
    // Just above the repeated header rows; pdfmake leaves out a page header that does not fit the
    // top margin, so a title of two lines starts higher.
    const text = `${title} (vervolg)`;
    const lines = textWidthInPoints(text, TITLE_SIZE * 1.06) > CONTENT_WIDTH ? 2 : 1;
    const line: Content = { text, style: 'tableTitle', margin: [MARGINS[0], MARGINS[1] - 6 - lines * TITLE_LINE, MARGINS[2], 0] };
    return line;
  };
  return print(again);
}
