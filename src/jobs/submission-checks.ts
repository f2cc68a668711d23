import { z } from 'zod';
import { BUILT_IN, checkWithTemplates, type Finding, type RuleSummary } from '../checks/index.js';
import { AppError, type ErrorDetail } from '../errors.js';
import type { Dataset } from '../model/dataset.js';
import { loadTemplates } from '../resources.js';
import { type DatasetReport, readDatasetReport } from './dataset-report.js';

/**
 * The checks before publishing as the service applies them to a submission: errors refuse it
 * (DATASET_IMPLAUSIBLE), warnings refuse it until someone accepts them (WARNINGS_NOT_ACCEPTED),
 * and an accepted set of warnings becomes a small record kept with the job and the edition.
 */

/** Who accepted which warnings, and when: kept with the edition (self-contained JSON). */
export interface WarningAcceptance {
  /** The user name of the token or session that sent the submission ("lokaal" in open mode). */
  readonly by: string;
  /** ISO date-time of the acceptance. */
  readonly at: string;
  /** The ids of the accepted findings. */
  readonly findings: readonly string[];
}

/** What the checks found for a job: the per-rule summary, the warnings and their acceptance. */
export interface ChecksRecord {
  readonly errors: number;
  readonly warnings: number;
  readonly rules: readonly RuleSummary[];
  /** The warnings (errors never reach a job), at most MAX_RECORDED_FINDINGS. */
  readonly findings: readonly Finding[];
  readonly acceptance: WarningAcceptance | null;
}

/** A job's record stays small in Redis and in the manifest; the full list is one `npm run check` away. */
export const MAX_RECORDED_FINDINGS = 200;
/** Findings listed as problem details: an editor needs the first ones, the page shows the rest from the report. */
const MAX_DETAILS = 100;

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

export const WarningAcceptanceSchema = z.strictObject({
  by: z.string().min(1).max(200),
  at: z.iso.datetime(),
  findings: z.array(z.string().max(2000)).max(10_000),
});

/** Validates a checks record read back from Redis or a manifest (findings are kept as they were written). */
export const ChecksRecordSchema = z.strictObject({
  errors: z.int().min(0),
  warnings: z.int().min(0),
  rules: z.array(z.custom<RuleSummary>(isObject)),
  findings: z.array(z.custom<Finding>(isObject)),
  acceptance: WarningAcceptanceSchema.nullable(),
});

let projectTemplates: Readonly<Record<string, string>> | undefined;

/** The place of a finding as a path into the submitted dataset, e.g. `dataset.tables[kerncijfers].rows[Regio=NL01,Perioden=2019HJ01].GestarteAdviezen`. */
export function findingPath(finding: Finding): string {
  if (!finding.tableId) return 'dataset.publication';
  const row = finding.codes.length > 0 ? `.rows[${finding.codes.map((c) => `${c.dimension}=${c.code}`).join(',')}]` : '';
  return `dataset.tables[${finding.tableId}]${row}${finding.measure ? `.${finding.measure.key}` : ''}`;
}

function toDetails(findings: readonly Finding[]): ErrorDetail[] {
  return findings.slice(0, MAX_DETAILS).map((f) => ({ path: findingPath(f), message: `[${f.ruleId}] ${f.message}` }));
}

/** The project's templates/, read once per process (the checks of a dataset that names no others). */
function projectTemplateFiles(): Readonly<Record<string, string>> {
  projectTemplates ??= loadTemplates();
  return projectTemplates;
}

/**
 * Adds to a valid dataset's report what the checks before publishing find (no refusal: the report
 * says what a submission would meet, so the editors' page can show it before anything is sent).
 */
export function withChecks(
  report: DatasetReport,
  dataset: Dataset | undefined,
  templates?: Readonly<Record<string, string>>,
): DatasetReport {
  if (!report.valid || !dataset) return { ...report, checks: null };
  const files = templates ?? projectTemplateFiles();
  const unknown = unknownTemplate(dataset, files);
  if (unknown) {
    const errors = unknown.details.map(({ path, message }) => ({ path, message, place: null }));
    return { ...report, valid: false, code: 'DATASET_INVALID', publication: null, tables: [], errors, checks: null };
  }
  return { ...report, checks: checkWithTemplates(dataset, files) };
}

/** The verdict on a dataset file as POST /api/datasets/validate gives it: validation, then the checks (one parse). */
export function validateDatasetText(fileText: string, templates?: Readonly<Record<string, string>>): DatasetReport {
  const { report, dataset } = readDatasetReport(fileText);
  return withChecks(report, dataset, templates);
}

/** DATASET_INVALID when the dataset names a template that the templates folder does not have; undefined otherwise. */
export function unknownTemplate(dataset: Dataset, templates: Readonly<Record<string, string>>): AppError | undefined {
  const id = dataset.publication.template;
  if (templates[`${id}/manifest.json`] !== undefined) return undefined;
  const known = Object.keys(templates)
    .map((file) => /^([^/]+)\/manifest\.json$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
  const message = `publication.template names the template "${id.slice(0, 80)}", which does not exist (known: ${known.join(', ')})`;
  return new AppError('DATASET_INVALID', `the dataset ${message}`, { details: [{ path: 'publication.template', message }] });
}

/** The refusal of a correction that sends the very dataset of an edition again. */
export function noChanges(): AppError {
  const message =
    'Geen wijzigingen: de dataset is dezelfde als die van een editie die er al is; een correctie zonder wijzigingen wordt geen nieuwe editie.';
  return new AppError('DATASET_IMPLAUSIBLE', `the checks before publishing found 1 error(s) in the dataset: ${message}`, {
    details: [{ path: 'dataset.publication', message: `[${BUILT_IN.correction.id}] ${message}` }],
  });
}

/** What a submission brings to its checks. */
export interface SubmissionCheckInput {
  readonly dataset: Dataset;
  /** The edition a corrected edition corrects. */
  readonly compare?: Dataset;
  readonly acceptWarnings: boolean;
  /** The user name of the sender (token or session). */
  readonly actor: string;
  readonly now: Date;
  /** The template files; default the project's templates/ folder. */
  readonly templates?: Readonly<Record<string, string>>;
}

/**
 * Checks a submission. Throws DATASET_IMPLAUSIBLE listing the errors, or WARNINGS_NOT_ACCEPTED
 * listing the warnings when they were not accepted; otherwise returns the record for the job.
 */
export function checkSubmission(input: SubmissionCheckInput): ChecksRecord {
  const templates = input.templates ?? projectTemplateFiles();
  const unknown = unknownTemplate(input.dataset, templates);
  if (unknown) throw unknown;
  const report = checkWithTemplates(input.dataset, templates, input.compare ? { compare: input.compare } : {});
  const errors = report.findings.filter((f) => f.severity === 'error');
  const warnings = report.findings.filter((f) => f.severity === 'warning');
  if (errors.length > 0) {
    throw new AppError(
      'DATASET_IMPLAUSIBLE',
      `the checks before publishing found ${report.errors} error(s) in the dataset: ${errors
        .slice(0, 3)
        .map((f) => f.message)
        .join(' ')}${report.errors > 3 ? ` (and ${report.errors - 3} more)` : ''}`,
      { details: toDetails(errors) },
    );
  }
  if (warnings.length > 0 && !input.acceptWarnings) {
    throw new AppError(
      'WARNINGS_NOT_ACCEPTED',
      `the checks before publishing found ${report.warnings} warning(s); look at them and send the request again with "acceptWarnings": true`,
      { details: toDetails(warnings) },
    );
  }
  return {
    errors: 0,
    warnings: report.warnings,
    rules: report.rules,
    findings: warnings.slice(0, MAX_RECORDED_FINDINGS),
    acceptance: warnings.length > 0 ? { by: input.actor, at: input.now.toISOString(), findings: warnings.map((f) => f.id) } : null,
  };
}
