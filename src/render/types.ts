import type { Dataset } from '../model/dataset.js';
import type { DatasetDiff } from './errata/dataset-diff.js';

/** The files one rendering produces. */
export type ArtifactName = 'publicatie.pdf' | 'tabellenbijlage.xlsx' | 'erratum.pdf';

/** The content type of each artifact. */
export const ARTIFACT_CONTENT_TYPES: Readonly<Record<ArtifactName, string>> = {
  'publicatie.pdf': 'application/pdf',
  'tabellenbijlage.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'erratum.pdf': 'application/pdf',
};

/** One rendered file. */
export interface Artifact {
  readonly name: ArtifactName;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** The erratum of a corrected edition: its date and the editor's own text (Markdown-like). */
export interface ErratumInput {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly text: string;
}

/** What to render: a dataset, and for a corrected edition the dataset as published before. */
export interface RenderRequest {
  readonly dataset: Dataset;
  readonly previous?: Dataset;
  /** The edition number of `previous`; the corrected edition is this + 1. Defaults to previous's own. */
  readonly previousEdition?: number;
  readonly erratum?: ErratumInput;
}

/** The text files of a publication template, by path relative to templates/ (e.g. "beleidsinformatie/manifest.json"). */
export type TemplateFiles = Readonly<Record<string, string>>;

/** Paths of the TrueType files of one font family. */
export interface FontFamilyFiles {
  readonly normal: string;
  readonly bold: string;
  readonly italics: string;
  readonly bolditalics: string;
}

/** Everything a rendering needs besides the request: templates and fonts, loaded by the caller. */
export interface RenderResources {
  readonly templates: TemplateFiles;
  readonly fonts: Readonly<Record<string, FontFamilyFiles>>;
  /** Folders from which pdfmake may read files (the font folders); nothing else, no URLs. */
  readonly fontDirs: readonly string[];
}

/** A step of a rendering, reported as progress. */
export type RenderStep = 'validate' | 'tables' | 'pdf' | 'xlsx' | 'erratum' | 'store';

/** The result of one rendering. */
export interface RenderedEdition {
  readonly publicationId: string;
  readonly edition: number;
  /** Set for a corrected edition: the date of the correction. */
  readonly correctedOn: string | undefined;
  readonly artifacts: readonly Artifact[];
  /** For a corrected edition: the diff of the two datasets the erratum was made from (not to be computed again). */
  readonly diff?: DatasetDiff;
}
