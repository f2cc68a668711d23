import Handlebars from 'handlebars';
import { AppError } from '../../errors.js';
import { MAX_LONG_TEXT_CHARS } from '../../model/dataset-schema.js';

/**
 * The period texts of an edition: what the editor writes for one period (the introduction's
 * remarks on this period, the quality notes, ...), kept with the edition rather than in the
 * template. A template places them with `{{section "name"}}`. They may use the figure helpers so
 * that no figure is typed by hand, in a sandbox: the helpers below and the period, nothing else.
 */

/** The helpers a period text may call: figures and counts of codes, all taken from the dataset. */
export const PERIOD_TEXT_HELPERS = ['duizend', 'percent', 'number', 'countCodes'] as const;
/** The values a period text may print. */
export const PERIOD_TEXT_VALUES = ['period', 'publicationYear', 'publicationDate'] as const;

const ALLOWED = `only {{duizend …}}, {{percent …}}, {{number …}}, {{countCodes …}}, {{period}}, {{publicationYear}} and {{publicationDate}} are allowed in a period text`;

type Node = { type: string; loc?: { start?: { line?: number } } } & Record<string, unknown>;

function fail(section: string, line: number, message: string): never {
  throw new AppError('TEXTS_INVALID', `period text "${section}", line ${line}: ${message}`);
}

function isLiteral(node: Node): boolean {
  return node.type === 'StringLiteral' || node.type === 'NumberLiteral' || node.type === 'BooleanLiteral';
}

/** What may not appear on a line of a period text: directives of the template and raw HTML. */
function checkLines(section: string, source: string, firstLine: number): void {
  source.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*::/.test(line))
      fail(section, firstLine + i, `"${line.trim()}": directives (::table, ::figure, …) belong in the template, not in a period text`);
    if (/<[A-Za-z!/?]/.test(line))
      fail(
        section,
        firstLine + i,
        'raw HTML is not allowed in a period text; write the markup of the templates (**vet**, *cursief*, - opsomming)',
      );
  });
}

/**
 * Checks a period text before it is used: Handlebars syntax, only the allowed helpers and values
 * with literal arguments, no blocks, partials, triple braces, directives or HTML. Throws
 * TEXTS_INVALID naming the section and the line (counted from `firstLine`, the section's first
 * line in the texts file).
 */
export function checkPeriodText(section: string, source: string, firstLine = 1): void {
  if (source.length > MAX_LONG_TEXT_CHARS) {
    const line = firstLine + source.slice(0, MAX_LONG_TEXT_CHARS).split('\n').length - 1;
    fail(
      section,
      line,
      `the text is ${source.length} characters long, at most ${MAX_LONG_TEXT_CHARS} are allowed (the limit is passed on this line)`,
    );
  }
  checkLines(section, source, firstLine);
  let program: { body: Node[] };
  try {
    program = Handlebars.parse(source) as unknown as { body: Node[] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message);
    fail(section, firstLine + (line ? Number(line[1]) - 1 : 0), `cannot read the {{…}}: ${message.split('\n')[0] ?? message}`);
  }
  for (const node of program.body) {
    const line = firstLine + (node.loc?.start?.line ?? 1) - 1;
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const path = node.path as Node & { original?: unknown };
        const params = (node.params as Node[]) ?? [];
        const pairs = ((node.hash as { pairs?: { value: Node }[] } | undefined)?.pairs ?? []).map((p) => p.value);
        const name = typeof path.original === 'string' ? path.original : '';
        if (node.escaped === false) fail(section, line, `{{{${name}}}}: triple braces are not allowed; ${ALLOWED}`);
        if (path.type !== 'PathExpression') fail(section, line, `{{${String(path.original)}}}: ${ALLOWED}`);
        const isHelper = (PERIOD_TEXT_HELPERS as readonly string[]).includes(name);
        const isValue = (PERIOD_TEXT_VALUES as readonly string[]).includes(name) && params.length === 0 && pairs.length === 0;
        if (!isHelper && !isValue) fail(section, line, `{{${name}}}: ${ALLOWED}`);
        if (![...params, ...pairs].every(isLiteral))
          fail(section, line, `{{${name}}}: write the table, measure and codes as "text" or numbers, not as expressions`);
        break;
      }
      case 'BlockStatement':
      case 'DecoratorBlock':
        fail(section, line, `{{#${String((node.path as { original?: unknown }).original)}}}: blocks are not allowed; ${ALLOWED}`);
        break;
      case 'PartialStatement':
      case 'PartialBlockStatement':
        fail(section, line, `{{> …}}: partials are not allowed; ${ALLOWED}`);
        break;
      default:
        fail(section, line, `${node.type}: ${ALLOWED}`);
    }
  }
}

/** The footnote lines ("[^3]: …") of a rendered period text, and the text without them. */
export function splitNotes(text: string): { body: string; notes: string } {
  const body: string[] = [];
  const notes: string[] = [];
  let inNote = false;
  for (const line of text.split('\n')) {
    if (/^\[\^\d{1,2}\]:/.test(line)) inNote = true;
    else if (line.trim() === '') inNote = false;
    (inNote ? notes : body).push(line);
  }
  return { body: body.join('\n').trim(), notes: notes.join('\n').trim() };
}
