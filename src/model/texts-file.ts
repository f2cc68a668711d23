import { AppError, type ErrorDetail } from '../errors.js';
import { checkPeriodText } from '../render/text/period-texts.js';

/**
 * The texts file of an edition: Markdown with the period texts as named sections, supplied beside
 * the dataset. It names its period in a front matter, so that the texts of one period are never
 * used for another:
 *
 *   ---
 *   periode: 2019HJ02
 *   ---
 *
 *   # inleiding
 *
 *   Het {{period}} is …
 *
 *   # kwaliteit-periode [overgenomen uit 2019HJ01: nakijken]
 *
 * A section heading with a mark in brackets is a text copied from the previous period by
 * new-period: it is refused until the editor has reviewed it and removed the mark.
 */

/** One section of a texts file. */
export interface TextsSection {
  readonly text: string;
  /** The line of the section's heading in the file. */
  readonly line: number;
  /** The mark in brackets after the name, when the text still has to be reviewed. */
  readonly mark?: string;
}

/** A parsed texts file. */
export interface TextsFile {
  /** The period key the texts belong to, e.g. "2019HJ02". */
  readonly period: string;
  readonly sections: Readonly<Record<string, TextsSection>>;
}

const SECTION_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const HEADING = /^#\s+(\S+)\s*(?:\[([^\]]*)\])?\s*$/;

function invalid(where: string, problems: ErrorDetail[]): AppError {
  const first = problems[0];
  return new AppError('TEXTS_INVALID', `${where}: ${first ? `${first.path}: ${first.message}` : 'invalid'}`, { details: problems });
}

/** Reads a texts file; throws TEXTS_INVALID naming the file, line and section of every problem. */
export function parseTextsFile(source: string, where = 'the texts file'): TextsFile {
  const lines = source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const problems: ErrorDetail[] = [];
  let i = 0;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  let period = '';
  if ((lines[i] ?? '').trim() === '---') {
    i++;
    for (; i < lines.length && (lines[i] ?? '').trim() !== '---'; i++) {
      const m = /^\s*([a-z]+)\s*:\s*(.*?)\s*$/.exec(lines[i] ?? '');
      if (m?.[1] === 'periode') period = m[2] ?? '';
      else if ((lines[i] ?? '').trim() !== '')
        problems.push({ path: `line ${i + 1}`, message: 'the front matter holds only "periode: <code>"' });
    }
    i++;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(period))
    problems.push({ path: 'line 1', message: 'the file must start with a front matter naming its period: ---, periode: 2019HJ02, ---' });

  const sections: Record<string, TextsSection> = {};
  let current: { name: string; line: number; mark?: string; body: string[]; bodyLine: number } | undefined;
  const close = (): void => {
    if (!current) return;
    const body = current.body.join('\n');
    const lead = current.body.findIndex((l) => l.trim() !== '');
    try {
      checkPeriodText(current.name, body.trim(), current.bodyLine + Math.max(lead, 0));
    } catch (error) {
      if (error instanceof AppError) problems.push({ path: `line ${current.line}, section "${current.name}"`, message: error.message });
      else throw error;
    }
    sections[current.name] = { text: body.trim(), line: current.line, ...(current.mark !== undefined ? { mark: current.mark } : {}) };
  };
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heading = HEADING.exec(line);
    if (heading) {
      close();
      const name = heading[1] ?? '';
      if (!SECTION_NAME.test(name))
        problems.push({ path: `line ${i + 1}`, message: `"${name}" is not a section name (lower-case letters, digits and "-")` });
      if (sections[name]) problems.push({ path: `line ${i + 1}`, message: `section "${name}" occurs twice` });
      current = { name, line: i + 1, body: [], bodyLine: i + 2, ...(heading[2] !== undefined ? { mark: heading[2].trim() } : {}) };
    } else if (/^#\s/.test(line)) {
      problems.push({ path: `line ${i + 1}`, message: `"${line.trim()}": a section heading is "# name" or "# name [mark]"` });
    } else if (current) current.body.push(line);
    else if (line.trim() !== '')
      problems.push({ path: `line ${i + 1}`, message: 'text before the first section: start each period text with "# name"' });
  }
  close();
  if (problems.length > 0) throw invalid(where, problems);
  return { period, sections };
}

/** What applyTexts needs of a dataset (parsed or as JSON). */
interface WithPublication {
  readonly publication: { readonly period: { readonly key: string }; readonly texts?: Readonly<Record<string, string>> };
}

/**
 * The dataset with the texts file's sections as its period texts (publication.texts; a section of
 * the file replaces one of the same name). Refuses a file of another period and sections still
 * marked as copied from the previous period.
 */
export function applyTexts<T extends WithPublication>(dataset: T, texts: TextsFile, where = 'the texts file'): T {
  const key = dataset.publication.period.key;
  if (texts.period !== key)
    throw new AppError(
      'TEXTS_INVALID',
      `${where} holds the texts of period ${texts.period}, the dataset is of period ${key}: write the texts of this period (npm run new-period starts from the previous ones)`,
    );
  const marked = Object.entries(texts.sections).filter(([, s]) => s.mark !== undefined);
  if (marked.length > 0)
    throw invalid(
      where,
      marked.map(([name, s]) => ({
        path: `line ${s.line}, section "${name}"`,
        message: `marked [${s.mark}]: review the text for this period, then remove the mark`,
      })),
    );
  const merged: Record<string, string> = { ...(dataset.publication.texts ?? {}) };
  for (const [name, s] of Object.entries(texts.sections)) merged[name] = s.text;
  return { ...dataset, publication: { ...dataset.publication, texts: merged } };
}

/** Writes a texts file: the front matter and the sections in order, each with its mark if any. */
export function formatTextsFile(period: string, sections: readonly { name: string; text: string; mark?: string }[]): string {
  const parts = [`---\nperiode: ${period}\n---\n`];
  for (const s of sections) parts.push(`# ${s.name}${s.mark ? ` [${s.mark}]` : ''}\n\n${s.text.trim()}\n`);
  return `${parts.join('\n')}`;
}

/**
 * The names of the period texts the templates of one publication template require (`{{section}}`,
 * not the optional `{{#section}}…{{/section}}`), in order of appearance in `files` (the manifest's
 * front, chapters and erratum; default every .hbs file).
 */
export function sectionNames(templates: Readonly<Record<string, string>>, templateId: string, files?: readonly string[]): string[] {
  const paths = files ? files.map((f) => `${templateId}/${f}`) : Object.keys(templates).filter((p) => p.startsWith(`${templateId}/`));
  const names: string[] = [];
  for (const path of paths) {
    if (!path.endsWith('.hbs')) continue;
    for (const m of (templates[path] ?? '').matchAll(/\{\{section\s+"([a-z][a-z0-9-]*)"/g))
      if (m[1] && !names.includes(m[1])) names.push(m[1]);
  }
  return names;
}
