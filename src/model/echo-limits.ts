/**
 * Bounds on what an error answer echoes of its input: a 12 MB request must not come back as a
 * larger error. Each echoed text is cut (saying how much was left out) and a list of problems is
 * cut after its first entries, with one last entry that counts the rest.
 */

/** The most characters of one message or path in an error answer. */
export const MAX_ECHO_CHARS = 500;
/** The most problems listed in one error answer. */
export const MAX_LISTED_PROBLEMS = 100;

/** `text` cut to `max` characters, with how many were left out. */
export function capText(text: string, max = MAX_ECHO_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** The first `max` problems, then one made by `rest` that counts the others. */
export function capList<T>(items: readonly T[], rest: (count: number) => T, max = MAX_LISTED_PROBLEMS): T[] {
  return items.length <= max ? [...items] : [...items.slice(0, max), rest(items.length - max)];
}
