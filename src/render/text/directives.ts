import { AppError } from '../../errors.js';
import { type Block, findDirectives } from './markup.js';

/** The directives a template may use (`::table id`, `::symbols`, `::figure werkproces`, `::pagebreak`). */
const DIRECTIVES = new Set(['table', 'symbols', 'figure', 'pagebreak']);
const FIGURES = new Set(['werkproces']);

/** What is wrong with a directive whatever the dataset; undefined for one the PDF can draw. */
export function directiveProblem(name: string, args: readonly string[]): string | undefined {
  if (!DIRECTIVES.has(name)) return `unknown directive (known: ${[...DIRECTIVES].map((d) => `::${d}`).join(', ')})`;
  if (name === 'figure' && !FIGURES.has(args[0] ?? '')) return `unknown figure (known: ${[...FIGURES].join(', ')})`;
  return undefined;
}

/** The place of a directive: the file, and the line of the template source that writes it when there is one. */
function placeOf(file: string, source: string | undefined, name: string, args: readonly string[]): string {
  const text = `::${name} ${args.join(' ')}`.trim();
  const line = source === undefined ? undefined : findDirectives(source).find((d) => d.text.split(/\s+/)[0] === `::${name}`)?.line;
  return `${file}${line === undefined ? '' : `, line ${line}`}: ${text}`;
}

/**
 * Stops a directive the PDF cannot draw with TEMPLATE_INVALID naming the template file, the line and
 * the directive, before anything is drawn. `blocks` is the rendered text of the template `source`;
 * `tableIds` are the tables a `::table` may show.
 */
export function checkDirectives(blocks: Block[], file: string, source: string | undefined, tableIds: ReadonlySet<string>): Block[] {
  for (const block of blocks) {
    if (block.kind !== 'directive') continue;
    const problem =
      directiveProblem(block.name, block.args) ??
      (block.name === 'table' && !tableIds.has(block.args[0] ?? '') ? `the publication has no table "${block.args[0] ?? ''}"` : undefined);
    if (problem !== undefined) throw templateError(placeOf(file, source, block.name, block.args), problem);
  }
  return blocks;
}

/**
 * TEMPLATE_INVALID for the first directive in the template files of `templateId` that no dataset
 * could make drawable (a typo such as `::tabel`), naming file and line; read without rendering, so
 * that a check or a submission refuses it before a job is queued. Undefined when there is none.
 */
export function findTemplateDirectiveError(templates: Readonly<Record<string, string>>, templateId: string): AppError | undefined {
  const prefix = `${templateId}/`;
  const files = Object.keys(templates)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.hbs'))
    .sort();
  for (const file of files) {
    for (const { line, text } of findDirectives(templates[file] ?? '')) {
      const [head = '', ...args] = text.split(/\s+/);
      const problem = directiveProblem(head.slice(2), args);
      if (problem !== undefined) return templateError(`templates/${file}, line ${line}: ${text}`, problem);
    }
  }
  return undefined;
}

function templateError(place: string, problem: string): AppError {
  return new AppError('TEMPLATE_INVALID', `${place}: ${problem}`, { details: [{ path: place, message: problem }] });
}
