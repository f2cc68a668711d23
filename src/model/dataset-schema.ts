import { z } from 'zod';
import { IsoDateSchema } from './iso-date.js';

/**
 * The dataset format, after StatLine's model: a publication's metadata and tables; each table has
 * dimensions with code lists, measures, and rows that give one cell per measure for one
 * combination of codes. See docs/dataset-format.md.
 */

/** Status of the figures, as in the Verklaring van tekens: * voorlopig, ** nader voorlopig. */
export const FigureStatusSchema = z.enum(['voorlopig', 'nader voorlopig', 'definitief']);

/** The region levels StatLine uses for its geographic code lists. */
export const RegionLevelSchema = z.enum(['nederland', 'landsdeel', 'provincie', 'veilig-thuis-regio']);

const keyPattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const idPattern = /^[a-z0-9][a-z0-9-]{0,79}$/;
const isoDate = IsoDateSchema;

const KeySchema = z.string().regex(keyPattern, {
  error: 'must start with a letter and hold only letters, digits, "_" or "-" (at most 64)',
});
const CodeKeySchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
  error: 'must hold only letters, digits, "_" or "-" (at most 64)',
});
/** Control characters (but tab and line breaks) and bidi overrides, embeddings and isolates: invisible, they can reorder what a reader sees. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point of this pattern
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** Refuses a text with an invisible control or bidi character, naming it and its position. */
function refuseUnsafeCharacters(value: string, ctx: z.RefinementCtx): void {
  const match = UNSAFE_CHARACTER.exec(value);
  if (!match) return;
  const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  ctx.addIssue({
    code: 'custom',
    message: `holds the invisible character U+${code} at position ${match.index + 1}; remove it (control and bidi-override characters would be hidden in the PDF and the workbook)`,
  });
}

const TextSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(2000).superRefine(refuseUnsafeCharacters);
/** The longest a period text or other long text may be, in characters (about ten pages). */
export const MAX_LONG_TEXT_CHARS = 20_000;
const LongTextSchema = z.string().max(MAX_LONG_TEXT_CHARS).superRefine(refuseUnsafeCharacters);
const FootnoteRefSchema = z.string().regex(/^[0-9]{1,2}$/, { error: 'must be a footnote number such as "1"' });

/** One code of a dimension's code list. */
export const CodeSchema = z.strictObject({
  key: CodeKeySchema,
  title: TextSchema,
  /** For geographic dimensions: the level of the region. */
  level: RegionLevelSchema.optional(),
  /** For time dimensions: the status of the figures of this period. */
  status: FigureStatusSchema.optional(),
  /** Marks the code that totals the others (shown in bold, the default in text helpers). */
  total: z.boolean().optional(),
});

/** A dimension: a code list along which the table is split. */
export const DimensionSchema = z.strictObject({
  key: KeySchema,
  title: TextSchema,
  kind: z.enum(['geo', 'time', 'category']),
  codes: z.array(CodeSchema).min(1, { error: 'a dimension needs at least one code' }),
});

/** A measure: what is counted, with its unit and number of decimals. */
export const MeasureSchema = z.strictObject({
  key: KeySchema,
  title: TextSchema,
  unit: TextSchema,
  decimals: z.int().min(0).max(6),
  /** The measure this one is a "waarvan" part of; the header groups it under its parent. */
  parent: KeySchema.optional(),
  /** Definition shown in the table explanation. */
  description: TextSchema.optional(),
});

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * One row as written in the file: an object of codes and cells, which parseDataset checks field by
 * field. Checked as an object only, without the copy that z.record makes of each of the thousands
 * of rows (most of the schema's time); the JSON Schema is z.record's.
 */
const RowSchema = z
  .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    error: (issue) => `Invalid input: expected record, received ${describeType(issue.input)}`,
  })
  .meta({ type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} });

/** One footnote of a table. */
export const FootnoteSchema = z.strictObject({ ref: FootnoteRefSchema, text: TextSchema });

/**
 * One table: dimensions, measures and rows. Titles of tables, measures and codes may hold footnote
 * markers as `[^1]`, shown as a superscript "1)" and explained in `footnotes`.
 */
export const TableSchema = z.strictObject({
  id: z.string().regex(idPattern, { error: 'must be lower-case letters, digits and "-"' }),
  title: TextSchema,
  /** The table's explanation (Tabeltoelichting); paragraphs separated by blank lines. */
  description: LongTextSchema.optional(),
  footnotes: z.array(FootnoteSchema).default([]),
  source: TextSchema.default('CBS'),
  /** True when the counts are made up to reproduce published percentages: not official figures. */
  illustrative: z.boolean().default(false),
  /** False when the rows are an excerpt: combinations may be missing (never invented). */
  complete: z.boolean().default(true),
  dimensions: z.array(DimensionSchema).min(1, { error: 'a table needs at least one dimension' }),
  measures: z.array(MeasureSchema).min(1, { error: 'a table needs at least one measure' }),
  rows: z.array(RowSchema),
});

/** The publication's metadata. */
export const PublicationSchema = z.strictObject({
  /** Identifies the publication across its editions, e.g. "beleidsinformatie-veilig-thuis-2019-hj1". */
  id: z.string().regex(idPattern, { error: 'must be lower-case letters, digits and "-"' }),
  /** The template folder under templates/ that lays out this publication. */
  template: z.string().regex(idPattern, { error: 'must be lower-case letters, digits and "-"' }),
  title: TextSchema,
  period: z.strictObject({ key: CodeKeySchema, title: TextSchema }),
  status: FigureStatusSchema,
  publicationDate: isoDate,
  edition: z.int().min(1).default(1),
  /** The moment the figures may be released (ISO date-time); defaults to publicationDate 09:30 Dutch time. */
  releaseAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time with offset' }).optional(),
  language: z.literal('nl-NL').default('nl-NL'),
  /**
   * Period-specific paragraphs that the editor writes with the data (markup as in the templates),
   * by name; a template shows them with {{{texts.name}}}.
   */
  texts: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), LongTextSchema).default({}),
  /** A note on figures that are illustrative rather than official; shown in the colofon and workbook. */
  illustrativeNote: TextSchema.optional(),
  /**
   * Fields new-period copied or guessed that the editor still has to confirm; rendering refuses the
   * dataset until the list is removed (docs/editors.md).
   */
  unconfirmed: z.array(z.enum(['status', 'publicationDate', 'illustrativeNote'])).optional(),
});

/** The whole dataset file. */
export const DatasetSchema = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z.literal(1, { error: 'must be 1' }),
  publication: PublicationSchema,
  tables: z.array(TableSchema).min(1, { error: 'a dataset needs at least one table' }),
});

/** The dataset as written in the file (cells not yet checked). */
export type DatasetInput = z.input<typeof DatasetSchema>;
/** The dataset file after the structural check. */
export type DatasetFile = z.output<typeof DatasetSchema>;
export type FigureStatus = z.output<typeof FigureStatusSchema>;
export type RegionLevel = z.output<typeof RegionLevelSchema>;
export type Code = z.output<typeof CodeSchema>;
export type Dimension = z.output<typeof DimensionSchema>;
export type Measure = z.output<typeof MeasureSchema>;
export type Footnote = z.output<typeof FootnoteSchema>;
export type Publication = z.output<typeof PublicationSchema>;

/** The JSON Schema of the dataset format, for other tools. */
export function toDatasetJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(DatasetSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://cbs.nl/schemas/beleidsinformatie-dataset/v1.json',
    title: 'Dataset for the Beleidsinformatie Veilig Thuis renderer',
  };
}
