import type { Dataset } from '../model/dataset.js';
import { AppError, isAppError } from '../errors.js';

// The embargo of an edition: the moment its figures may be released. Before it only editors see
// the edition; after it readers do. Every moment is kept as an ISO date-time in UTC.

/** Who is looking at editions: editors see embargoed ones, everyone else only released ones. */
export interface Viewer {
  readonly seesEmbargoed: boolean;
}

/** An editor (or admin): sees every edition, released or not. */
export const EDITOR_VIEWER: Viewer = Object.freeze({ seesEmbargoed: true });
/** A reader (or anyone not an editor): sees released editions only. */
export const PUBLIC_VIEWER: Viewer = Object.freeze({ seesEmbargoed: false });

const amsterdamOffset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Amsterdam', timeZoneName: 'longOffset' });

/** The offset of Amsterdam time from UTC at `utc`, in minutes (60 in winter, 120 in summer). */
function amsterdamOffsetMinutes(utc: Date): number {
  const name = amsterdamOffset.formatToParts(utc).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** The moment a Dutch wall-clock time on `date` (YYYY-MM-DD) happens, e.g. ("2020-01-30", "09:30") → 08:30Z. */
export function toAmsterdamMoment(date: string, time: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`);
  // Two rounds settle the offset also on the days the clocks change (09:30 is never in the gap).
  let utc = wall - amsterdamOffsetMinutes(new Date(wall)) * 60_000;
  utc = wall - amsterdamOffsetMinutes(new Date(utc)) * 60_000;
  return new Date(utc).toISOString();
}

/** An ISO date-time with offset, normalised to UTC; undefined when it is not one. */
export function toUtcMoment(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** What decides the release moment of an edition. */
export interface ReleaseMomentInput {
  readonly publication: Pick<Dataset['publication'], 'publicationDate' | 'releaseAt'>;
  /** For a corrected edition: the erratum, whose date is when the correction is published. */
  readonly erratum?: { readonly date: string } | null;
  /** A moment given with the request: wins over everything else. */
  readonly requested?: string | null;
}

/**
 * The release moment of an edition: the one asked for in the request; else the dataset's
 * `publication.releaseAt`, or its publicationDate at 09:30 Dutch time; for a corrected edition no
 * earlier than the erratum date at 09:30 Dutch time, so that a correction prepared while the old
 * edition is public stays hidden until the day it is announced.
 */
export function toReleaseMoment({ publication, erratum, requested }: ReleaseMomentInput): string {
  const asked = requested ? toUtcMoment(requested) : undefined;
  if (asked) return asked;
  const planned = (publication.releaseAt && toUtcMoment(publication.releaseAt)) || toAmsterdamMoment(publication.publicationDate, '09:30');
  if (!erratum) return planned;
  const corrected = toAmsterdamMoment(erratum.date, '09:30');
  return Date.parse(corrected) > Date.parse(planned) ? corrected : planned;
}

/** True when an edition with this release moment may be shown to `viewer` at `now`. Unknown moments stay hidden. */
export function isVisible(releaseAt: string | null | undefined, viewer: Viewer, now: Date): boolean {
  if (viewer.seesEmbargoed) return true;
  if (!releaseAt) return false;
  const ms = Date.parse(releaseAt);
  return !Number.isNaN(ms) && ms <= now.getTime();
}

/** The cause of a NOT_FOUND that hides an embargoed (or unfinished) edition from a reader. */
export const EMBARGO_CAUSE = Object.freeze(new Error('embargoed: not yet released'));

/** A NOT_FOUND answer to a reader that hides an edition before its release; the same answer as for an unknown one. */
export function toEmbargoDenial(message: string): AppError {
  return new AppError('NOT_FOUND', message, { cause: EMBARGO_CAUSE });
}

/** True when `error` hid an embargoed edition (for the audit log). */
export function isEmbargoDenial(error: unknown): boolean {
  return isAppError(error, 'NOT_FOUND') && error.cause === EMBARGO_CAUSE;
}
