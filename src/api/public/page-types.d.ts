// The shapes of the API's answers as the editor's page reads them (the page's modules name them in
// their JSDoc as import('./page-types.js').Name). Only what the page uses is listed; the API's own
// types are in src/api. Not served: type-checking only.

/** A problem document of the API (application/problem+json). */
export interface Problem {
  readonly code?: string;
  readonly detail?: string;
  readonly message?: string;
  readonly errors?: readonly { readonly path?: string; readonly message: string }[];
}

/** Where a problem of a dataset is, as the validator names it. */
export interface Place {
  readonly table: number;
  readonly tableId?: string | null;
  readonly tableTitle?: string | null;
  readonly row: number | null;
  readonly rowCodes: readonly { readonly dimension: string; readonly code: string; readonly title?: string | null }[];
  readonly cell: string | null;
  readonly cellTitle?: string | null;
  readonly cellKind?: 'measure' | 'dimension' | string | null;
  readonly field: string | null;
}

export interface DatasetProblem {
  readonly path: string;
  readonly message: string;
  readonly place: Place | null;
}

/** The checks before publishing, as the service reports them for a dataset (bevindingen.js reads them). */
export type Checks = import('../../checks/types.js').CheckReport;

/** The checks kept with an edition: the summary, the warnings and who accepted them. */
export interface EditionChecks {
  readonly acceptance?: WarningAcceptance | null;
}

/** The answer of POST /api/datasets/validate. */
export interface ValidationReport {
  readonly valid: boolean;
  readonly code?: string;
  readonly errors: readonly DatasetProblem[];
  readonly publication: {
    readonly id: string;
    readonly title: string;
    readonly period: string;
    readonly edition: number;
    readonly publicationDate: string;
    readonly status: string;
  };
  readonly tables: readonly { readonly id: string; readonly title: string; readonly rows: number }[];
  readonly checks?: Checks;
}

export interface Artifact {
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly links: { readonly download: string };
}

/** One changed figure, as the service records it (the same type as its manifest's). */
export type ChangedCell = import('../../jobs/changed-cell-record.js').ChangedCellRecord;

/** The changed figures of a corrected edition: the total, and (up to a limit) which. */
export type ChangedCells = import('../../jobs/changed-cell-record.js').ChangedCellsRecord;

export interface Edition {
  readonly edition: number;
  readonly jobId?: string;
  readonly state: string;
  readonly current?: boolean;
  readonly correctedOn?: string | null;
  readonly createdAt?: string | null;
  readonly releaseAt?: string | null;
  readonly withdrawn?: { readonly at: string; readonly reason: string } | null;
  readonly erratum?: { readonly text: string } | null;
  readonly checks?: EditionChecks | null;
  readonly artifacts: readonly Artifact[];
  readonly changedCells?: ChangedCells | null;
}

export interface PublicationSummary {
  readonly publicationId: string;
  readonly editions: number;
  readonly latest: { readonly edition: number; readonly correctedOn?: string | null; readonly createdAt: string } | null;
}

/** A render job, from GET /api/jobs/:id. */
export interface Job {
  readonly id: string;
  readonly state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | string;
  readonly publicationId: string;
  readonly edition: number;
  readonly correctedOn: string | null;
  readonly progress: { readonly step: string } | null;
  readonly error: { readonly message: string; readonly code?: string } | null;
  readonly attempts?: { readonly made: number; readonly max: number } | null;
  readonly artifacts: readonly Artifact[];
  readonly links: { readonly editions: string };
}

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly role: 'reader' | 'editor' | 'admin' | string;
}

/** The answer of GET /api/session. */
export interface SessionAnswer {
  readonly signedIn: boolean;
  readonly mode?: string;
  readonly via?: string;
  readonly actor?: Actor;
  readonly csrfToken?: string | null;
}

/** Who uses the page. */
export interface Session {
  readonly mode: string | undefined;
  readonly via: string | undefined;
  readonly actor: Actor;
  readonly csrfToken: string | null;
}

/** A part of an element made by dom.js's h(): a node, text, or a list of parts; null, undefined and false are left out. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

export type { CheckReport, Finding, FindingCell, RuleSummary, Severity } from '../../checks/types.js';

/** Who accepted which warnings of an edition's checks, and when. */
export interface WarningAcceptance {
  readonly by: string;
  readonly at: string;
  readonly findings: readonly string[];
}

/** A row of a dataset file's table: codes by dimension key, figures by measure key. */
export type DatasetRow = Readonly<Record<string, string | number | null | undefined>>;

/** A table of a dataset file as the page reads it (for the findings' grids). */
export interface DatasetTable {
  readonly id: string;
  readonly title: string;
  readonly dimensions: readonly {
    readonly key: string;
    readonly title: string;
    readonly codes: readonly { readonly key: string; readonly title: string }[];
  }[];
  readonly measures: readonly { readonly key: string; readonly title: string; readonly parent?: string }[];
  readonly rows: readonly DatasetRow[];
}

/** A dataset file as the page reads it. */
export interface DatasetFile {
  readonly publication?: { readonly id?: string };
  readonly tables?: readonly DatasetTable[];
}

/** A draft, from GET /api/drafts/:id (the list has the same fields). */
export interface Draft {
  readonly id: string;
  readonly state: 'pending' | 'approved' | 'rejected';
  readonly edition?: number | null;
  readonly publicationId: string;
  readonly correctsEdition?: number | null;
  readonly createdBy: Actor;
  readonly createdAt: string;
  readonly releaseAt: string;
  readonly erratum?: { readonly text: string } | null;
  readonly templates?: { readonly label: string } | null;
  readonly render: { readonly state: string; readonly error?: { readonly message: string } | null };
  readonly findings?: unknown;
  readonly changedCells?: ChangedCells | null;
  readonly artifacts: readonly { readonly name: string; readonly size: number; readonly links: { readonly view: string } }[];
  readonly sheets?: readonly string[] | null;
  readonly review?: { readonly reviewer: Actor; readonly at: string; readonly comment: string } | null;
}

/** An entry of the audit log, from GET /api/audit. */
export interface AuditEntry {
  readonly at: string;
  readonly actor: Actor | null;
  readonly action: string;
  readonly reason?: string | null;
  readonly object: Readonly<Record<string, unknown>>;
}
