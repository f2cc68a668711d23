import type { Readable } from 'node:stream';
import type { ChangedCellsRecord } from './changed-cell-record.js';
import type { ChecksRecord } from './submission-checks.js';

/** A stored artifact as listed in a manifest. */
export interface ArtifactRecord {
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  /** Hex sha256 of the stored bytes. */
  readonly sha256: string;
}

/** The erratum of a corrected edition as it travels through the queue. */
export interface ErratumRecord {
  readonly date: string;
  readonly text: string;
}

/** The edition a corrected edition corrects: its stored dataset and edition number. */
export interface PreviousRecord {
  readonly datasetHash: string;
  /** The edition number of the previous dataset; null means "as the dataset says". */
  readonly edition: number | null;
}

export type { ChangedCellRecord, ChangedCellsRecord } from './changed-cell-record.js';

/** What one finished job produced: written once, after all its artifacts. Also the record of an edition. */
export interface EditionManifest {
  readonly jobId: string;
  readonly publicationId: string;
  readonly edition: number;
  /** The date of the correction; null for a first edition. */
  readonly correctedOn: string | null;
  readonly datasetHash: string;
  readonly previous: PreviousRecord | null;
  readonly erratum: ErratumRecord | null;
  readonly templatesHash: string;
  readonly rendererVersion: string;
  /** ISO date-time the manifest was written. */
  readonly createdAt: string;
  readonly artifacts: readonly ArtifactRecord[];
  /**
   * For a corrected edition, the figures that changed; null for a first edition. Absent from
   * manifests written before the changed cells were recorded.
   */
  readonly changedCells?: ChangedCellsRecord | null;
  /**
   * The release moment (ISO, UTC): before it only editors see this edition. Absent from manifests
   * written before it was recorded (the service then derives it from the stored dataset).
   */
  readonly releaseAt?: string | null;
  /** What the checks before publishing found and who accepted the warnings; absent from older manifests. */
  readonly checks?: ChecksRecord | null;
  /** `draft` or `final` (an approved draft's files); absent for renders made before drafts existed. */
  readonly kind?: 'draft' | 'final';
}

/**
 * Where datasets, artifacts and editions live. The file system implementation is the default; a
 * shared object store can implement the same interface for workers on many machines.
 *
 * Every write is atomic and write-once: a reader never sees half a file, and writing the same key
 * twice (a job run twice) keeps the first complete copy.
 */
export interface Storage {
  /** Stores dataset bytes under their sha256 and returns the hash. */
  putDataset(bytes: Buffer): Promise<string>;
  /** The dataset stored under `hash`, or undefined. */
  getDataset(hash: string): Promise<Buffer | undefined>;
  /** Stores one artifact of a job; returns the record of the stored file (the first copy if one existed). */
  putArtifact(jobId: string, artifact: { name: string; contentType: string; bytes: Buffer }): Promise<ArtifactRecord>;
  /** A stream of one stored artifact, or undefined when there is none. */
  openArtifact(jobId: string, name: string): Promise<Readable | undefined>;
  /** Stores a job's manifest (write-once) and returns the stored one. */
  putManifest(manifest: EditionManifest): Promise<EditionManifest>;
  /** The manifest of a finished job, or undefined. */
  getManifest(jobId: string): Promise<EditionManifest | undefined>;
  /** Remembers an edition of its publication (idempotent). */
  recordEdition(manifest: EditionManifest): Promise<void>;
  /** The editions of a publication, oldest first. Empty when none is known. */
  listEditions(publicationId: string): Promise<EditionManifest[]>;
  /** The ids of the publications with at least one recorded edition, sorted. */
  listPublications(): Promise<string[]>;
}

/** Job ids: "r-" and a sha256 in hex. */
export const JOB_ID_PATTERN = /^r-[0-9a-f]{64}$/;
/** Dataset hashes: a sha256 in hex. */
export const HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Publication ids, as in the dataset format. */
export const PUBLICATION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
/** Artifact names: a plain file name with an extension, no path, no leading dot, no "..". */
export const ARTIFACT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}(?:\.[a-z0-9]{1,8})+$/;

/** True when `value` is a well-formed job id. */
export function isJobId(value: string): boolean {
  return JOB_ID_PATTERN.test(value);
}

/** True when `value` is a well-formed artifact name. */
export function isArtifactName(value: string): boolean {
  return ARTIFACT_NAME_PATTERN.test(value);
}

/** True when `value` is a well-formed publication id. */
export function isPublicationId(value: string): boolean {
  return PUBLICATION_ID_PATTERN.test(value);
}
