/**
 * The checks before publishing: declared plausibility rules (templates/<id>/rules.yaml) and
 * built-in checks, confronted with a dataset. Modelled on CBS's R package `validate`: rules are
 * data, each rule is summarised (items, passes, fails) and every failure is a finding that names
 * its table, row (codes with titles), measure and figures.
 */

/** An error refuses the render; a warning renders only when someone accepts it. */
export type Severity = 'error' | 'warning';

/** One code of a finding's row, with its title. */
export interface FindingCode {
  readonly dimension: string;
  readonly dimensionTitle: string;
  readonly code: string;
  readonly title: string;
}

/** One figure involved in a finding, e.g. "Nederland" = 53080. */
export interface FindingValue {
  /** What the figure is, in Dutch ("Nederland", "som van de delen", "vorige periode"). */
  readonly label: string;
  /** The figure, or the symbol ("." or "") when the cell holds no number; null when absent. */
  readonly value: number | string | null;
}

/** A cell a finding is about: its table, codes by dimension key and a measure key. */
export interface FindingCell {
  readonly tableId: string;
  readonly codes: Readonly<Record<string, string>>;
  readonly measure: string;
}

/** One failed check. */
export interface Finding {
  /** Stable across runs of the same data: rule, table, codes and measure (used to accept warnings). */
  readonly id: string;
  readonly ruleId: string;
  readonly severity: Severity;
  /** The table, or null for a finding about the publication or the template. */
  readonly tableId: string | null;
  readonly tableTitle: string | null;
  /** The row: one code per dimension that identifies it (empty for a table- or publication-wide finding). */
  readonly codes: readonly FindingCode[];
  readonly measure: { readonly key: string; readonly title: string } | null;
  readonly values: readonly FindingValue[];
  /** What was expected, in Dutch, e.g. "gelijk aan de som van de delen (marge 65)". */
  readonly expected: string;
  /** The whole finding as one Dutch sentence. */
  readonly message: string;
  /** The cells to mark in a grid of the table (the first is the one the finding is about). */
  readonly cells: readonly FindingCell[];
}

/** What one rule found over the dataset, as `validate` summarises it. */
export interface RuleSummary {
  readonly id: string;
  readonly kind: string;
  readonly severity: Severity;
  /** The rule in words, as its author wrote it. */
  readonly text: string;
  /** Checks made (cells, rows or identities confronted with the rule). */
  readonly items: number;
  readonly passes: number;
  readonly fails: number;
  /** Checks that could not be made because a figure was "." or blank (NA in `validate`). */
  readonly skipped: number;
  /** True for checks that need no rule file. */
  readonly builtIn: boolean;
}

/** The result of checking one dataset. */
export interface CheckReport {
  readonly publicationId: string;
  readonly period: string;
  readonly errors: number;
  readonly warnings: number;
  readonly rules: readonly RuleSummary[];
  /** Findings, errors first, then by rule and place; at most MAX_FINDINGS_PER_RULE per rule. */
  readonly findings: readonly Finding[];
  /** Ids of the rules whose findings were cut at MAX_FINDINGS_PER_RULE (their summary counts all). */
  readonly truncatedRules: readonly string[];
}

/** More findings of one rule add nothing an editor can act on; the summary still counts them all. */
export const MAX_FINDINGS_PER_RULE = 500;
