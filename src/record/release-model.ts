import type { EditionRecord } from './types.js';

// When readers see an edition. An edition is released when its files are rendered and its release
// moment has passed, and every edition before it is released: an edition never comes out before
// the edition it corrects (or follows), and nothing derived from an embargoed edition (its figures
// as the "was" of a correction's changed cells, the count of editions, which one is the latest) is
// shown before that edition is. Approval already sets each release moment no earlier than the one
// before it; this rule also holds when an earlier edition's files are late.

/** Where an edition stands. */
export type EditionState = 'rendering' | 'scheduled' | 'released' | 'withdrawn';

/** An edition with its state now. */
export interface EditionStatus {
  readonly record: EditionRecord;
  readonly state: EditionState;
  /** True for released (or withdrawn after release): readers may see it. */
  readonly released: boolean;
  /** The latest released edition that is not withdrawn: the one to read. */
  readonly current: boolean;
}

/** The states of a publication's editions (oldest first) at `now`, given which final renders are stored. */
export function toEditionStatuses(editions: readonly EditionRecord[], isRendered: (jobId: string) => boolean, now: Date): EditionStatus[] {
  let open = true;
  const states = editions.map((record) => {
    const due = Date.parse(record.releaseAt) <= now.getTime();
    const rendered = isRendered(record.jobId);
    const released = open && rendered && due;
    if (!released) open = false;
    const state: EditionState = released ? (record.withdrawal ? 'withdrawn' : 'released') : rendered ? 'scheduled' : 'rendering';
    return { record, state, released };
  });
  const current = states.findLast((s) => s.state === 'released')?.record.edition;
  return states.map((s) => ({ ...s, current: s.record.edition === current }));
}

/** The later of two ISO moments. */
export function laterMoment(a: string, b: string | undefined): string {
  return b !== undefined && Date.parse(b) > Date.parse(a) ? b : a;
}
