import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { AppError } from '../errors.js';
import { isIsoDate } from '../model/iso-date.js';
import type { Dataset } from '../model/dataset.js';
import { formatDutchDate, periodPhrase } from '../model/number-format.js';
import { diffDatasets } from './errata/dataset-diff.js';
import { toErratumChanges } from './errata/erratum-changes.js';
import { buildErratum } from './errata/erratum-document.js';
import { markAsDraft } from './pdf/draft-mark.js';
import { buildPublicationDocument, buildStandaloneDocument } from './pdf/publication-document.js';
import { printWithContinuedTitles } from './pdf/continued-tables.js';
import { printPdf } from './pdf/print-pdf.js';
import { buildPublicationParts, buildPublicationTables, type EditionInfo, loadManifest } from './publication.js';
import { createTextEngine } from './text/template-engine.js';
import {
  ARTIFACT_CONTENT_TYPES,
  type Artifact,
  type ArtifactName,
  type RenderedEdition,
  type RenderRequest,
  type RenderResources,
  type RenderStep,
} from './types.js';
import type { WorkbookOptions } from './xlsx/build-workbook.js';

/**
 * Renders tabellenbijlage.xlsx elsewhere than in the calling thread, e.g. in a worker thread: the
 * composition roots (the CLI, a render child) pass one in (src/workbook-pool.ts), so that the
 * workbook is made while this thread prints the PDFs. Must give the bytes renderWorkbook gives.
 */
export type WorkbookRenderer = (dataset: Dataset, options: WorkbookOptions) => Promise<Buffer>;

/** Options of one rendering. */
export interface RenderOptions {
  /** Called as each step starts. */
  readonly onStep?: (step: RenderStep) => void;
  /**
   * Renders the workbook while this thread prints the PDFs (see WorkbookRenderer), unless the
   * datasets are large (THREAD_MAX_CELLS). Without it the workbook is rendered in this thread,
   * after the publication PDF. The caller decides whether a thread pays (RENDER_WORKBOOK_THREAD,
   * the number of cores: the composition roots read them).
   */
  readonly workbookRenderer?: WorkbookRenderer;
}

/**
 * Above this many cells in the datasets the workbook is rendered in the calling thread. The
 * workbook renderer receives a copy of the dataset: for the 2019 example (~25 000 cells) that is a
 * few milliseconds and the edition is ~25 % faster; for a cube of 100 000 rows × 5 the copy costs
 * more time and memory (+0.6 s, +200 MiB measured) than printing the PDFs alongside saves, since
 * the workbook then takes 90 % of the render.
 */
export const THREAD_MAX_CELLS = 200_000;

/** Whether the datasets are small enough to hand the workbook to a workbook renderer (THREAD_MAX_CELLS). */
export function fitsWorkbookThread(request: Pick<RenderRequest, 'dataset' | 'previous'>): boolean {
  let cells = 0;
  for (const dataset of [request.dataset, request.previous]) {
    for (const table of dataset?.tables ?? []) cells += table.rows.length * table.measures.length;
  }
  return cells <= THREAD_MAX_CELLS;
}

/** Renders the workbook in the calling thread. */
export async function renderWorkbookHere(dataset: Dataset, options: WorkbookOptions): Promise<Buffer> {
  const { renderWorkbook } = await import('./xlsx/build-workbook.js');
  return renderWorkbook(dataset, options);
}

/** Stops a dataset from new-period whose copied or guessed fields the editor has not yet confirmed. */
function refuseUnconfirmed(dataset: RenderRequest['dataset']): void {
  const open = dataset.publication.unconfirmed ?? [];
  if (open.length > 0)
    throw new AppError(
      'SKELETON_INCOMPLETE',
      `publication.unconfirmed: ${open.map((f) => `publication.${f}`).join(', ')} still to be confirmed (new-period copied or guessed them): check them, then remove "unconfirmed"`,
      { details: open.map((f) => ({ path: `publication.${f}`, message: 'still to be confirmed' })) },
    );
}

/** The edition number and correction date of a request; checks that previous belongs to the same publication. */
export function resolveEdition(request: RenderRequest): EditionInfo {
  const { dataset, previous, erratum } = request;
  refuseUnconfirmed(dataset);
  if (!previous) {
    if (erratum) throw new AppError('ERRATUM_INVALID', 'an erratum needs the edition it corrects (previous)');
    return { edition: request.edition ?? dataset.publication.edition, correctedOn: undefined };
  }
  if (previous.publication.id !== dataset.publication.id) {
    throw new AppError(
      'PREVIOUS_EDITION_MISMATCH',
      `the previous edition is of publication "${previous.publication.id}", the corrected dataset of "${dataset.publication.id}"`,
    );
  }
  if (!erratum || !isIsoDate(erratum.date)) {
    throw new AppError(
      'ERRATUM_INVALID',
      `a corrected edition needs the erratum date as YYYY-MM-DD${erratum?.date ? `, not "${erratum.date.slice(0, 40)}"` : ''}`,
    );
  }
  if (erratum.date < previous.publication.publicationDate) {
    throw new AppError(
      'ERRATUM_INVALID',
      `the erratum date ${erratum.date} lies before the publication date ${previous.publication.publicationDate}`,
    );
  }
  const previousEdition = request.previousEdition ?? previous.publication.edition;
  return { edition: request.edition ?? previousEdition + 1, correctedOn: erratum.date };
}

function artifact(name: ArtifactName, bytes: Buffer): Artifact {
  return { name, contentType: ARTIFACT_CONTENT_TYPES[name], bytes };
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
  const offload = options.workbookRenderer && fitsWorkbookThread(request) ? options.workbookRenderer : undefined;
  step('validate');
  const edition = resolveEdition(request);
  const { dataset, previous, erratum } = request;
  const manifest = loadManifest(resources.templates, dataset.publication.template);

  step('tables');
  const engine = createTextEngine(resources.templates, dataset);
  const tables = buildPublicationTables(dataset, manifest, resources.templates);
  // The diff runs once; every output reads the changes taken from it.
  const diff = previous && erratum ? diffDatasets(previous, dataset) : undefined;
  const changes = diff ? toErratumChanges(diff) : undefined;
  const errata =
    previous && erratum && diff && changes
      ? buildErratum({
          before: previous,
          after: dataset,
          diff,
          changes,
          erratum,
          edition,
          manifest,
          templates: resources.templates,
          engine,
        })
      : undefined;

  // The publication's own models; the workbook's default views are built where it is rendered.
  const workbookOptions: WorkbookOptions = {
    tables,
    defaultTables: true,
    edition: edition.edition,
    ...(edition.correctedOn ? { correctedOn: edition.correctedOn } : {}),
    ...(changes && edition.correctedOn ? { erratum: { date: edition.correctedOn, changes } } : {}),
    ...(request.draft ? { draft: true } : {}),
  };
  const finish = request.draft ? markAsDraft : (definition: TDocumentDefinitions) => definition;

  // With a workbook renderer the steps overlap: 'pdf' then only covers handing the workbook job to
  // the thread, 'xlsx' is reported as it has been handed over and lasts while this thread prints
  // publicatie.pdf, and 'erratum' includes waiting for the workbook. So step times no longer say
  // what each artifact costs. Without one the steps run one after the other, as the names
  // say. The order of the steps and the bytes of the artifacts are the same either way.
  step('pdf');
  let workbookJob: Promise<Buffer> | undefined;
  if (offload) {
    workbookJob = offload(dataset, workbookOptions);
    // Awaited below; a failure of the PDF first must not leave this rejection unhandled.
    workbookJob.catch(() => {});
    step('xlsx');
  }
  const parts = buildPublicationParts(dataset, resources.templates, {
    edition,
    tables,
    engine,
    manifest,
    ...(errata ? { erratum: errata.content } : {}),
  });
  // A draft is marked "CONCEPT" on every page (src/render/pdf/draft-mark.ts).
  const print = (definition: TDocumentDefinitions) => printPdf(finish(definition), resources);
  const publicationPdf = await printWithContinuedTitles(() => buildPublicationDocument(parts), print);

  if (!workbookJob) {
    step('xlsx');
    workbookJob = Promise.resolve(await renderWorkbookHere(dataset, workbookOptions));
  }

  let erratumPdf: Buffer | undefined;
  if (errata && edition.correctedOn) {
    step('erratum');
    const publication = dataset.publication;
    const correctedOn = edition.correctedOn;
    const definition = () =>
      buildStandaloneDocument({
        // No subtitle: the erratum's text names the publication under its date, as CBS's erratum does.
        heading: 'Erratum',
        runningTitle: `Erratum ${publication.title}, ${publication.period.title}, ${formatDutchDate(correctedOn)}`,
        content: errata.content,
        metadata: {
          title: `Erratum: ${publication.title}, ${publication.period.title}`,
          subject: `Correctie van ${formatDutchDate(correctedOn)} op ${publication.title} over ${periodPhrase(publication.period.title)}`,
          keywords: 'CBS, erratum, correctie, Veilig Thuis',
          date: parts.metadata.date,
        },
      });
    try {
      erratumPdf = await printWithContinuedTitles(definition, print);
    } catch (error) {
      // As in a sequential render, a failed workbook is reported before a failed erratum.
      await workbookJob;
      throw error;
    }
  }

  const artifacts: Artifact[] = [artifact('publicatie.pdf', publicationPdf), artifact('tabellenbijlage.xlsx', await workbookJob)];
  if (erratumPdf) artifacts.push(artifact('erratum.pdf', erratumPdf));
  return {
    publicationId: dataset.publication.id,
    edition: edition.edition,
    correctedOn: edition.correctedOn,
    artifacts,
    erratum: errata ? changes : undefined,
  };
}
