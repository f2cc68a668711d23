import type { ChangedCellsRecord, ErratumRecord } from '../jobs/storage.js';

/** Who did something in the record: a token's id and name. */
export interface RecordActor {
  readonly id: string;
  readonly name: string;
}

/** The state of a draft: waiting for a second editor, approved (it became an edition) or rejected. */
export type DraftState = 'pending' | 'approved' | 'rejected';

/** A review: another editor's decision on a draft, with their comment. */
export interface Review {
  readonly decision: 'approved' | 'rejected';
  readonly comment: string;
  readonly reviewer: RecordActor;
  readonly at: string;
}

/** A draft of a publication: a render for review, with no edition number. */
export interface Draft {
  readonly id: string;
  readonly publicationId: string;
  /** The render job of the draft (files marked "CONCEPT"). */
  readonly jobId: string;
  readonly datasetHash: string;
  /** For a correction: the edition it corrects (the latest edition when the draft was made). */
  readonly correctsEdition: number | null;
  readonly previousDatasetHash: string | null;
  readonly erratum: ErratumRecord | null;
  /** The release moment asked for with the draft, if any (ISO). */
  readonly requestedReleaseAt: string | null;
  /** The release moment from the dataset (or the request), before the rule that an edition never comes out before the one it follows. */
  readonly releaseAt: string;
  readonly createdBy: RecordActor;
  readonly createdAt: string;
  readonly state: DraftState;
  readonly review: Review | null;
  /** The edition this draft became, once approved. */
  readonly edition: number | null;
  /** Filled by the checks of a submission (issue 13); opaque here. */
  readonly findings: unknown;
  readonly acceptedWarnings: unknown;
  readonly changedCells: ChangedCellsRecord | null;
  /**
   * The templates it renders with, kept in storage under `hash`: those kept with edition
   * `keptWithEdition` (a correction), or the current ones (null). Null for drafts made before templates were kept.
   */
  readonly templates: { readonly hash: string; readonly keptWithEdition: number | null } | null;
}

/** An edition: an approved draft with its number, release moment and, once rendered, files. */
export interface EditionRecord {
  readonly publicationId: string;
  readonly edition: number;
  readonly draftId: string | null;
  /** The render job of the final files. */
  readonly jobId: string;
  readonly datasetHash: string;
  readonly correctsEdition: number | null;
  readonly erratum: ErratumRecord | null;
  /** When readers may see it: never before the edition before it (ISO). */
  readonly releaseAt: string;
  readonly approvedAt: string;
  readonly approvedBy: RecordActor;
  readonly withdrawal: { readonly reason: string; readonly by: RecordActor; readonly at: string } | null;
}
