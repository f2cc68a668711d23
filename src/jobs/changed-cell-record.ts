// The changed figures of a corrected edition as the manifest, the record and the API give them.
// No imports: the editors' page type-checks against these types too (src/api/public/page-types.d.ts).

/** One figure that reads differently in a corrected edition than in the edition it corrects. */
export interface ChangedCellRecord {
  readonly tableId: string;
  /** The table title without footnote markers. */
  readonly tableTitle: string;
  /** The titles of the codes that tell the row apart, e.g. "Noord en Oost Gelderland". */
  readonly rowLabel: string;
  /** The column as printed, e.g. "Actieve casussen, waarvan gestart". */
  readonly columnTitle: string;
  /** The figure as the previous edition printed it in this row and column, e.g. "64 040". */
  readonly oldText: string;
  readonly newText: string;
  /** `value`: corrected in place; `moved`: the figure stood in another row; `moved-value`: both. */
  readonly kind: 'value' | 'moved' | 'moved-value';
  /** For moved kinds: the row under which the figure stood in the previous edition. */
  readonly movedFromLabel: string | null;
}

/** The changed figures of a corrected edition: how many there are, and (up to a limit) which. */
export interface ChangedCellsRecord {
  readonly total: number;
  readonly cells: readonly ChangedCellRecord[];
}
