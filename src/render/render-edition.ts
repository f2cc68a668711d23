import { AppError } from '../errors.js';
import { printPdf } from './pdf/print-pdf.js';
import { buildPublicationParts, buildPublicationTables, type EditionInfo, loadManifest } from './publication.js';
import { buildPublicationDocument } from './pdf/publication-document.js';
import { createTextEngine } from './text/template-engine.js';
import {
  ARTIFACT_CONTENT_TYPES,
  type Artifact,
  type RenderedEdition,
  type RenderRequest,
  type RenderResources,
  type RenderStep,
} from './types.js';

/** Options of one rendering. */
export interface RenderOptions {
  /** Called as each step starts. */
  readonly onStep?: (step: RenderStep) => void;
}

/** The edition number and correction date of a request; checks that previous belongs to the same publication. */
export function resolveEdition(request: RenderRequest): EditionInfo {
  const { dataset, previous, erratum } = request;
  if (!previous) {
    if (erratum) throw new AppError('ERRATUM_INVALID', 'an erratum needs the edition it corrects (previous)');
    return { edition: dataset.publication.edition, correctedOn: undefined };
  }
  if (previous.publication.id !== dataset.publication.id) {
    throw new AppError(
      'PREVIOUS_EDITION_MISMATCH',
      `the previous edition is of publication "${previous.publication.id}", the corrected dataset of "${dataset.publication.id}"`,
    );
  }
  if (!erratum || !/^\d{4}-\d{2}-\d{2}$/.test(erratum.date)) {
    throw new AppError('ERRATUM_INVALID', 'a corrected edition needs the erratum date as YYYY-MM-DD');
  }
  if (erratum.date < previous.publication.publicationDate) {
    throw new AppError(
      'ERRATUM_INVALID',
      `the erratum date ${erratum.date} lies before the publication date ${previous.publication.publicationDate}`,
    );
  }
  const previousEdition = request.previousEdition ?? previous.publication.edition;
  return { edition: previousEdition + 1, correctedOn: erratum.date };
}

/**
 * Renders one edition: the publication PDF, the tabellenbijlage and, for a corrected edition, the
 * erratum. Pure apart from reading the font files: the caller stores the artifacts.
 */
export async function renderEdition(
  request: RenderRequest,
  resources: RenderResources,
  options: RenderOptions = {},
): Promise<RenderedEdition> {
  const step = options.onStep ?? (() => {});
  step('validate');
  const edition = resolveEdition(request);
  const { dataset } = request;
  const manifest = loadManifest(resources.templates, dataset.publication.template);

  step('tables');
  const engine = createTextEngine(resources.templates, dataset);
  const tables = buildPublicationTables(dataset, manifest, resources.templates);

  step('pdf');
  const parts = buildPublicationParts(dataset, resources.templates, { edition, tables, engine });
  const pdf = await printPdf(buildPublicationDocument(parts), resources);
  const artifacts: Artifact[] = [{ name: 'publicatie.pdf', contentType: ARTIFACT_CONTENT_TYPES['publicatie.pdf'], bytes: pdf }];

  return { publicationId: dataset.publication.id, edition: edition.edition, correctedOn: edition.correctedOn, artifacts };
}
