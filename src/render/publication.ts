import type { Content } from 'pdfmake/interfaces.js';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Dataset } from '../model/dataset.js';
import { formatDutchDate, periodPhrase } from '../model/number-format.js';
import { buildPdfTable } from './pdf/pdf-table.js';
import type { PdfChapter, PublicationParts } from './pdf/publication-document.js';
import { genericView } from './tables/generic-view.js';
import { buildTableModel, type TableModel, type TableView } from './tables/table-model.js';
import { checkDirectives } from './text/directives.js';
import { checkPageBreaks, escapeMarkup, parseMarkup } from './text/markup.js';
import { createTextEngine, type TextContext, type TextEngine } from './text/template-engine.js';
import type { TemplateFiles } from './types.js';

const ViewSchema = z.strictObject({
  name: z.string().optional(),
  title: z.string().optional(),
  rows: z.array(z.string()).optional(),
  columns: z.array(z.string()).optional(),
  measures: z.array(z.string()).optional(),
  fixed: z.record(z.string(), z.string()).optional(),
  stubHeader: z.string().optional(),
});

/** The manifest of a publication template: its chapters and how its tables are laid out. */
export const ManifestSchema = z.strictObject({
  id: z.string(),
  description: z.string().optional(),
  /** The text in the page footer before the period; default the publication's title. */
  runningTitle: z.string().optional(),
  front: z.array(z.string()).default([]),
  chapters: z.array(z.strictObject({ file: z.string(), title: z.string(), number: z.int().min(1).optional() })).min(1),
  tables: z.record(z.string(), ViewSchema).default({}),
  /** Show every table of the dataset (a generic template): its chapters use `::table {{id}}` in `{{#each tables}}`. */
  everyTable: z.boolean().default(false),
  erratum: z.string().optional(),
  /** Figures by id (`::figure id`): the alternate text a screen reader reads instead of the drawing, in Dutch. */
  figures: z.record(z.string(), z.strictObject({ alt: z.string().trim().min(1) })).default({}),
});

/** A parsed template manifest. */
export type Manifest = z.output<typeof ManifestSchema>;

/** Reads and checks the manifest of the dataset's template. */
export function loadManifest(templates: TemplateFiles, templateId: string): Manifest {
  const path = `${templateId}/manifest.json`;
  const text = templates[path];
  if (text === undefined)
    throw new AppError('TEMPLATE_INVALID', `the dataset asks for template "${templateId}", but templates/${path} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AppError('TEMPLATE_INVALID', `templates/${path} is not valid JSON`, { cause: error });
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = first && first.path.length > 0 ? `field "${first.path.join('.')}"` : 'the manifest';
    throw new AppError('TEMPLATE_INVALID', `templates/${path}: ${field}: ${first?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** Which edition this is, and for a corrected edition the date of the correction. */
export interface EditionInfo {
  readonly edition: number;
  /** YYYY-MM-DD of the correction, for a corrected edition. */
  readonly correctedOn: string | undefined;
}

/** The text context of a dataset for the templates. */
export function buildTextContext(dataset: Dataset, edition: EditionInfo, extra: Record<string, unknown> = {}): TextContext {
  const publication = dataset.publication;
  return {
    ...extra,
    publication,
    // Dataset text is text: escaped for the markup, as Handlebars escapes for HTML.
    period: escapeMarkup(publication.period.title),
    edition: edition.edition,
    corrected: edition.correctedOn !== undefined,
    correctedOn: edition.correctedOn ? formatDutchDate(edition.correctedOn) : undefined,
    publicationDate: formatDutchDate(publication.publicationDate),
    publicationYear: Number((edition.correctedOn ?? publication.publicationDate).slice(0, 4)),
    tables: describeTables(dataset),
  };
}

/**
 * The dataset's tables for a generic template: ids, titles, the Tabeltoelichting in paragraphs
 * and the measures with their definitions (every field present, as strict templates require).
 */
function describeTables(dataset: Dataset) {
  return dataset.tables.map((t) => ({
    id: t.id,
    title: t.title,
    source: t.source,
    paragraphs: (t.description ?? '')
      .split(/\n\s*\n/)
      .map((p) => p.replace(/\s+/g, ' ').trim())
      .filter((p) => p !== ''),
    measures: t.measures.map((m) => ({ key: m.key, title: m.title, unit: m.unit, description: m.description ?? '' })),
    dimensions: t.dimensions.map((d) => ({ key: d.key, title: d.title, kind: d.kind })),
  }));
}

/** The table models of the publication body: the tables its chapters show, laid out as the manifest says. */
export function buildPublicationTables(dataset: Dataset, manifest: Manifest, templates: TemplateFiles): TableModel[] {
  const ids: string[] = manifest.everyTable ? dataset.tables.map((t) => t.id) : [];
  for (const chapter of manifest.chapters) {
    const source = templates[`${manifest.id}/${chapter.file}`] ?? '';
    for (const m of source.matchAll(/^::table\s+([a-z0-9-]+)/gm)) if (m[1] && !ids.includes(m[1])) ids.push(m[1]);
  }
  return ids.map((id) => {
    const table = dataset.tables.find((t) => t.id === id);
    if (!table) throw new AppError('TEMPLATE_INVALID', `template "${manifest.id}" shows table "${id}", which the dataset does not have`);
    const view: TableView = manifest.tables[id] ?? (manifest.everyTable ? genericView(table) : {});
    return buildTableModel(dataset, table, view);
  });
}

/** Options for assembling the publication. */
export interface PublicationOptions {
  readonly edition: EditionInfo;
  /** The erratum chapter's content, for a corrected edition. */
  readonly erratum?: readonly Content[];
  /** Pre-built table models (shared with the workbook); built here when absent. */
  readonly tables?: readonly TableModel[];
  readonly engine?: TextEngine;
  /** The template's manifest when the caller has read it already; read here when absent. */
  readonly manifest?: Manifest;
}

/** Assembles the publication's parts from the dataset and its template: every figure from the dataset. */
export function buildPublicationParts(dataset: Dataset, templates: TemplateFiles, options: PublicationOptions): PublicationParts {
  const manifest = options.manifest ?? loadManifest(templates, dataset.publication.template);
  const engine = options.engine ?? createTextEngine(templates, dataset);
  const context = buildTextContext(dataset, options.edition);
  const models = options.tables ?? buildPublicationTables(dataset, manifest, templates);
  const tableIds = new Set(models.map((m) => m.id));
  const render = (file: string) => {
    checkPageBreaks(`templates/${manifest.id}/${file}`, templates[`${manifest.id}/${file}`] ?? '');
    return checkDirectives(
      parseMarkup(engine.render(`${manifest.id}/${file}`, context)),
      `templates/${manifest.id}/${file}`,
      templates[`${manifest.id}/${file}`],
      tableIds,
    );
  };
  const tables = new Map<string, Content>(models.map((m) => [m.id, buildPdfTable(m)]));
  const chapters: PdfChapter[] = manifest.chapters.map((c) => ({
    title: c.title,
    ...(c.number !== undefined ? { number: c.number } : {}),
    blocks: render(c.file),
  }));
  const publication = dataset.publication;
  const correctedOn = options.edition.correctedOn;
  return {
    title: publication.title,
    period: publication.period.title,
    runningTitle: manifest.runningTitle ?? publication.title,
    front: manifest.front.map(render),
    chapters,
    tables,
    figures: new Map(Object.entries(manifest.figures).map(([id, f]) => [id, f.alt])),
    ...(options.erratum && correctedOn ? { erratum: { title: 'Erratum', content: options.erratum } } : {}),
    ...(correctedOn ? { editionNote: `Gecorrigeerde editie, ${formatDutchDate(correctedOn)}` } : {}),
    metadata: {
      subject: `${publication.title} over ${periodPhrase(publication.period.title)}${correctedOn ? `, gecorrigeerde editie van ${formatDutchDate(correctedOn)}` : ''}`,
      keywords: 'CBS, Veilig Thuis, huiselijk geweld, kindermishandeling, beleidsinformatie',
      date: new Date(`${correctedOn ?? publication.publicationDate}T09:30:00+01:00`),
    },
  };
}
