import Handlebars from 'handlebars';
import { type Dataset, getCell, stripFootnoteMarkers, totalCode } from '../../model/dataset.js';
import { formatDutchDate, formatNumber } from '../../model/number-format.js';
import { AppError } from '../../errors.js';
import type { TemplateFiles } from '../types.js';
import { escapeMarkup } from './markup.js';
import { checkPeriodText, PERIOD_TEXT_HELPERS, PERIOD_TEXT_VALUES, splitNotes } from './period-texts.js';

/** What the chapter texts may refer to besides the figures. */
export interface TextContext {
  readonly publication: Dataset['publication'];
  /** "1e halfjaar van 2019" */
  readonly period: string;
  readonly edition: number;
  /** Dutch written date of a correction, when this is a corrected edition. */
  readonly correctedOn: string | undefined;
  readonly corrected: boolean;
  readonly publicationDate: string;
  readonly publicationYear: number;
  readonly [key: string]: unknown;
}

/** Renders the Handlebars texts of a template with helpers that take every figure from the dataset. */
export interface TextEngine {
  /** Renders the template file at `path` (relative to templates/), e.g. "beleidsinformatie/inleiding.hbs". */
  render(path: string, context: TextContext): string;
  /** Renders a partial-free snippet of template text (for erratum summaries and titles). */
  renderString(name: string, source: string, context: TextContext): string;
}

type HelperOptions = Handlebars.HelperOptions;

function placeOf(options: HelperOptions, helper: string): string {
  const loc = (options as unknown as { loc?: { start?: { line?: number } } }).loc;
  return loc?.start?.line ? `{{${helper}}} on line ${loc.start.line}` : `{{${helper}}}`;
}

function numberValue(dataset: Dataset, table: unknown, measure: unknown, hash: Record<string, unknown>, where: string): number {
  if (typeof table !== 'string' || typeof measure !== 'string') {
    throw new AppError('TEMPLATE_INVALID', `${where}: name a table and a measure, e.g. (value "kerncijfers" "GestarteAdviezen")`);
  }
  const coords: Record<string, string> = {};
  for (const [key, value] of Object.entries(hash)) {
    if (key === 'of' || key === 'decimals') continue;
    coords[key] = String(value);
  }
  let cell: ReturnType<typeof getCell>;
  try {
    cell = getCell(dataset, table, measure, coords);
  } catch (error) {
    if (error instanceof AppError) throw new AppError('TEMPLATE_INVALID', `${where}: ${error.message}`, { cause: error });
    throw error;
  }
  if (cell.kind !== 'value') {
    const shown = cell.symbol === '' ? 'empty (cannot occur)' : '"." (unknown or secret)';
    throw new AppError(
      'TEMPLATE_INVALID',
      `${where}: the text needs a figure, but table "${table}", measure "${measure}" ${JSON.stringify(coords)} is ${shown}`,
    );
  }
  return cell.value;
}

/** The cell coordinates named in a helper's hash, with the dimensions named in `of` set to their total. */
function wholeOf(dataset: Dataset, table: string, hash: Record<string, unknown>): Record<string, unknown> {
  const model = dataset.tables.find((t) => t.id === table);
  const of = typeof hash.of === 'string' ? hash.of.split(',').map((s) => s.trim()) : Object.keys(hash).filter((k) => k !== 'decimals');
  const whole: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(hash)) {
    if (key === 'of' || key === 'decimals') continue;
    if (of.includes(key)) {
      const dim = model?.dimensions.find((d) => d.key === key);
      const total = dim ? totalCode(dim) : undefined;
      if (total === undefined)
        throw new AppError('TEMPLATE_INVALID', `table "${table}", dimension "${key}" has no single total code to take a percentage of`);
      whole[key] = total;
    } else whole[key] = value;
  }
  return whole;
}

/**
 * The helpers that take a figure or a count of codes from the dataset: for the templates and, in
 * the sandbox, for the editor's period texts. A helper over a "." cell is an error in both.
 */
function registerFigureHelpers(hb: typeof Handlebars, dataset: Dataset): void {
  hb.registerHelper('value', function (this: unknown, table: unknown, measure: unknown, options: HelperOptions) {
    return numberValue(dataset, table, measure, options.hash, placeOf(options, 'value'));
  });
  hb.registerHelper('number', function (this: unknown, table: unknown, measure: unknown, options: HelperOptions) {
    const decimals = typeof options.hash.decimals === 'number' ? options.hash.decimals : 0;
    return formatNumber(numberValue(dataset, table, measure, options.hash, placeOf(options, 'number')), decimals);
  });
  hb.registerHelper('duizend', function (this: unknown, table: unknown, measure: unknown, options: HelperOptions) {
    const value = numberValue(dataset, table, measure, options.hash, placeOf(options, 'duizend'));
    return `${formatNumber(Math.round(value / 1000))}\u00a0duizend`;
  });
  hb.registerHelper('percent', function (this: unknown, table: unknown, measure: unknown, options: HelperOptions) {
    const where = placeOf(options, 'percent');
    const part = numberValue(dataset, table, measure, options.hash, where);
    const whole = numberValue(dataset, table, measure, wholeOf(dataset, String(table), options.hash), where);
    if (whole === 0) throw new AppError('TEMPLATE_INVALID', `${where}: the whole is 0, a percentage cannot be taken`);
    const decimals = typeof options.hash.decimals === 'number' ? options.hash.decimals : 0;
    return `${formatNumber((100 * part) / whole, decimals)}\u00a0procent`;
  });
  hb.registerHelper('countCodes', (table: unknown, dimension: unknown, options: HelperOptions) => {
    const model = dataset.tables.find((t) => t.id === table);
    const dim = model?.dimensions.find((d) => d.key === dimension);
    if (!dim)
      throw new AppError(
        'TEMPLATE_INVALID',
        `${placeOf(options, 'countCodes')}: table "${String(table)}" has no dimension "${String(dimension)}"`,
      );
    const level = options.hash.level;
    return String(dim.codes.filter((c) => (level === undefined ? c.total !== true : c.level === level)).length);
  });
}

/** Options of period texts: strict, unescaped (the helpers print figures only), no helper but the allowed ones. */
const PERIOD_TEXT_OPTIONS: CompileOptions = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(PERIOD_TEXT_HELPERS.map((h) => [h, true])),
};

/**
 * `{{section "name"}}` places the edition's period text of that name (publication.texts, from the
 * texts file), rendered in a sandbox: its own Handlebars instance with only the figure helpers.
 * Without a text the render stops naming the section; the block form
 * `{{#section "name"}}default{{/section}}` prints the template's default instead. With
 * notes="apart" the text's footnote lines are left out, for `{{sectionNotes "name"}}` to place.
 */
function registerSections(hb: typeof Handlebars, dataset: Dataset): void {
  const sandbox = Handlebars.create();
  registerFigureHelpers(sandbox, dataset);
  const texts: Readonly<Record<string, string>> = dataset.publication.texts ?? {};
  const rendered = new Map<string, string>();
  const renderText = (name: string, context: TextContext): string | undefined => {
    const source = texts[name];
    if (source === undefined || source.trim() === '') return undefined;
    let out = rendered.get(name);
    if (out === undefined) {
      checkPeriodText(name, source);
      const values = Object.fromEntries(PERIOD_TEXT_VALUES.map((v) => [v, context[v]]));
      try {
        out = sandbox.compile(source, PERIOD_TEXT_OPTIONS)(values).trim();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const line = /on line (\d+)/.exec(message);
        throw new AppError('TEXTS_INVALID', `period text "${name}"${line ? `, line ${line[1]}` : ''}: ${message}`, { cause: error });
      }
      rendered.set(name, out);
    }
    return out;
  };
  hb.registerHelper('section', function (this: TextContext, name: unknown, options: HelperOptions) {
    const key = String(name);
    const text = renderText(key, this);
    if (text === undefined) {
      if (options.fn) return options.fn(this);
      throw new AppError(
        'TEXTS_INVALID',
        `the template needs the period text "${key}", and this edition has none: write section "# ${key}" in the texts file (npm run new-period offers the previous period's text to start from)`,
      );
    }
    // A period text is a block of its own: what follows in the template starts a new paragraph.
    return `${options.hash.notes === 'apart' ? splitNotes(text).body : text}\n\n`;
  });
  hb.registerHelper('sectionNotes', function (this: TextContext, name: unknown) {
    const text = renderText(String(name), this);
    return text === undefined ? '' : splitNotes(text).notes;
  });
}

const COMPILE_OPTIONS: CompileOptions = { strict: true, noEscape: true, knownHelpersOnly: false };

/**
 * Compiled template files by source, for every engine of the process: parsing a template and
 * generating its code is most of what Handlebars costs a render, and the files do not change
 * between renders. The compiled form is a template specification without helpers or data; each
 * engine binds it to its own instance (`hb.template`). Only template files are kept, never text
 * from a dataset, so the cache is as large as the templates folder.
 */
const compiledFiles = new Map<string, TemplateSpecification>();

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

/**
 * A template file compiled once per process (by its source) and bound to `hb`, whose helpers it
 * calls; a template that does not parse is TEMPLATE_INVALID naming `path`. Also the erratum's
 * change summary (errata/change-summary.ts) compiles its template here.
 */
export function compileFile(hb: typeof Handlebars, path: string, source: string): Handlebars.TemplateDelegate {
  let spec = compiledFiles.get(source);
  if (!spec) {
    try {
      // The same code Handlebars.compile generates, as source text: the standard precompiled form.
      spec = new Function(`return ${Handlebars.precompile(source, COMPILE_OPTIONS)};`)() as TemplateSpecification;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError('TEMPLATE_INVALID', `${path}: ${message}`, { cause: error });
    }
    compiledFiles.set(source, spec);
  }
  return hb.template(spec);
}

/** Creates the text engine for one dataset: strict templates on an isolated Handlebars instance. */
export function createTextEngine(templates: TemplateFiles, dataset: Dataset): TextEngine {
  const hb = Handlebars.create();
  const compiled = new Map<string, Handlebars.TemplateDelegate>();

  for (const [path, source] of Object.entries(templates)) {
    const partial = /^(.*)\/partials\/([^/]+)\.hbs$/.exec(path);
    if (partial) hb.registerPartial(partial[2] ?? path, compileFile(hb, path, source));
  }

  registerFigureHelpers(hb, dataset);
  registerSections(hb, dataset);
  hb.registerHelper('tableTitle', (table: unknown) => {
    const model = dataset.tables.find((t) => t.id === table);
    if (!model) throw new AppError('TEMPLATE_INVALID', `{{tableTitle}}: the dataset has no table "${String(table)}"`);
    return escapeMarkup(stripFootnoteMarkers(model.title));
  });
  hb.registerHelper('date', (iso: unknown) => (typeof iso === 'string' ? formatDutchDate(iso) : ''));
  hb.registerHelper('text', (value: unknown) => escapeMarkup(String(value ?? '')));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);

  const get = (path: string): Handlebars.TemplateDelegate => {
    let template = compiled.get(path);
    if (!template) {
      const source = templates[path];
      if (source === undefined) throw new AppError('TEMPLATE_INVALID', `template file "${path}" does not exist`);
      template = compileFile(hb, path, source);
      compiled.set(path, template);
    }
    return template;
  };

  const run = (name: string, template: Handlebars.TemplateDelegate, context: TextContext): string => {
    try {
      return template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (error) {
      if (error instanceof AppError) throw new AppError(error.code, `${name}: ${error.message}`, { cause: error });
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError('TEMPLATE_INVALID', `${name}: ${message}`, { cause: error });
    }
  };

  return {
    render: (path, context) => run(path, get(path), context),
    renderString: (name, source, context) => run(name, hb.compile(source, COMPILE_OPTIONS), context),
  };
}
