import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { compileRuleExpression, type Expression, ExpressionError } from './expressions.js';
import type { Severity } from './types.js';

/**
 * The rule file of a template (templates/<id>/rules.yaml): declared plausibility rules a
 * methodologist reads and changes without TypeScript. See docs/checks.md for the language.
 */

const idPattern = /^[a-z0-9][a-z0-9-]{0,79}$/;
const RuleId = z.string().regex(idPattern, { error: 'must be lower-case letters, digits and "-"' });
const Key = z.string().min(1).max(64);
const Text = z.string().trim().min(1, { error: 'must not be empty' }).max(2000);
/** Which measures a rule covers: those counted ("aantal"), percentages, all, or a list of keys. */
const Measures = z.union([z.enum(['counts', 'percentages', 'all']), z.array(Key).min(1)]);
const Parts = z.strictObject({ level: Key.optional(), codes: z.array(Key).min(1).optional() });
const Expr = z.union([z.string().min(1), z.number()]).transform(String);

const common = {
  id: RuleId,
  text: Text,
  severity: z.enum(['error', 'warning']).optional(),
  /** Tables the rule applies to; default every table it fits. */
  tables: z.array(Key).min(1).optional(),
};

const SumRule = z.strictObject({
  ...common,
  kind: z.literal('sum'),
  dimension: Key,
  total: Key.optional(),
  parts: Parts.optional(),
  measures: Measures.default('counts'),
  tolerance: Expr.default('0'),
});
const PartRule = z.strictObject({ ...SumRule.shape, kind: z.literal('part') });
const ParentRule = z.strictObject({
  ...common,
  kind: z.literal('parent'),
  /** Also require the parts of each parent to sum to it. */
  sum: z.boolean().default(false),
  tolerance: Expr.default('0'),
});
const RoundingRule = z.strictObject({
  ...common,
  kind: z.literal('rounding'),
  base: z.int().min(2).max(1_000_000),
  measures: Measures.default('counts'),
});
const RangeRule = z
  .strictObject({
    ...common,
    kind: z.literal('range'),
    min: z.number().optional(),
    max: z.number().optional(),
    measures: Measures.default('counts'),
  })
  .refine((r) => r.min !== undefined || r.max !== undefined, { error: 'give min, max or both' });
const FilledRule = z.strictObject({
  ...common,
  kind: z.literal('filled'),
  /** The symbols a cell may hold instead of a number: "." (unknown or secret), "" (cannot occur). */
  allow: z.array(z.enum(['.', ''])).default([]),
  measures: Measures.default('counts'),
});
const CellRef = z.strictObject({ table: Key, measure: Key, codes: z.record(Key, Key).default({}) });
const IdentityRule = z.strictObject({
  ...common,
  kind: z.literal('identity'),
  cells: z.array(CellRef).min(2, { error: 'name at least two cells that must be equal' }),
  tolerance: Expr.default('0'),
});
const ConditionRule = z.strictObject({ ...common, kind: z.literal('condition'), condition: Expr, tables: z.array(Key).min(1) });
const CodesRule = z.strictObject({
  ...common,
  kind: z.literal('codes'),
  dimension: Key,
  level: Key.optional(),
  codes: z.array(Key).min(1),
});
const ChangeRule = z.strictObject({
  ...common,
  kind: z.literal('change'),
  /** A change is flagged when it exceeds both: the relative change (0.25 = 25 %) and the absolute one. */
  relative: z.number().min(0),
  absolute: z.number().min(0),
  measures: Measures.default('counts'),
});
const TemplateFiguresRule = z.strictObject({ ...common, kind: z.literal('template-figures') });

const RuleSchema = z.discriminatedUnion('kind', [
  SumRule,
  PartRule,
  ParentRule,
  RoundingRule,
  RangeRule,
  FilledRule,
  IdentityRule,
  ConditionRule,
  CodesRule,
  ChangeRule,
  TemplateFiguresRule,
]);
const RuleFileSchema = z.strictObject({ version: z.literal(1, { error: 'must be 1' }), rules: z.array(RuleSchema) });

type RawRule = z.infer<typeof RuleSchema>;
export type RuleKind = RawRule['kind'];
export type MeasureSelector = z.infer<typeof Measures>;

/** Default severities: rounding and period-on-period jumps warn, everything else refuses. */
const DEFAULT_SEVERITY: Record<RuleKind, Severity> = {
  sum: 'error',
  part: 'error',
  parent: 'error',
  rounding: 'warning',
  range: 'error',
  filled: 'error',
  identity: 'error',
  condition: 'error',
  codes: 'error',
  change: 'warning',
  'template-figures': 'error',
};

export interface CompiledRule {
  readonly raw: RawRule;
  readonly severity: Severity;
  readonly line: number;
  readonly tolerance: Expression | undefined;
  readonly condition: Expression | undefined;
}

/** The rules of one template. */
export interface RuleSet {
  readonly file: string;
  readonly rules: readonly CompiledRule[];
}

/** Variables a tolerance may use: the number of parts and the total's figure. */
const TOLERANCE_NAMES = new Set(['parts', 'total']);

function refused(file: string, line: number | undefined, message: string): AppError {
  const where = line ? `${file}, line ${line}` : file;
  return new AppError('RULES_INVALID', `${where}: ${message}`, { details: [{ path: where, message }] });
}

const compiledFiles = new Map<string, RuleSet>();

/**
 * Parses and compiles a rule file (YAML). A syntax error, an unknown field or kind, or an
 * expression that uses anything but the allowed names is refused as RULES_INVALID naming file and line.
 */
export function parseRules(text: string, file: string): RuleSet {
  const key = `${file}\u0000${text}`;
  const cached = compiledFiles.get(key);
  if (cached) return cached;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line ?? lines.linePos(syntax.pos[0]).line;
    throw refused(file, line, `not valid YAML: ${syntax.message.split('\n')[0]}`);
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const part of path) {
      const range = (node as { range?: [number, number] } | null)?.range;
      if (range) line = lines.linePos(range[0]).line;
      if (isMap(node)) node = node.get(part as string, true);
      else if (isSeq(node)) node = node.get(part as number, true);
      else break;
    }
    const range = (node as { range?: [number, number] } | null)?.range;
    return range ? lines.linePos(range[0]).line : line;
  };
  const parsed = RuleFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const rule = path[0] === 'rules' && typeof path[1] === 'number' ? ` (rule ${path[1] + 1})` : '';
    throw refused(file, lineOf(path), `${path.map(String).join('.') || '(root)'}${rule}: ${issue?.message ?? 'is invalid'}`);
  }
  const seen = new Set<string>();
  const rules = parsed.data.rules.map((raw, index): CompiledRule => {
    const line = lineOf(['rules', index]) ?? 1;
    if (seen.has(raw.id)) throw refused(file, line, `rule id "${raw.id}" is used twice`);
    seen.add(raw.id);
    const compile = (
      field: 'tolerance' | 'condition',
      source: string,
      names: ReadonlySet<string> | ((name: string) => boolean),
    ): Expression => {
      try {
        return compileRuleExpression(source, names);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        throw refused(file, lineOf(['rules', index, field]) ?? line, `rule "${raw.id}", ${field} "${source}" ${error.message}`);
      }
    };
    const tolerance = 'tolerance' in raw ? compile('tolerance', raw.tolerance, TOLERANCE_NAMES) : undefined;
    let condition: Expression | undefined;
    if (raw.kind === 'condition') {
      // The measure names are known only per table: accept any plain name now, check it against each table later.
      condition = compile('condition', raw.condition, (name: string) => /^[A-Za-z][A-Za-z0-9_]*$/.test(name));
    }
    return { raw, severity: raw.severity ?? DEFAULT_SEVERITY[raw.kind], line, tolerance, condition };
  });
  const set = { file, rules };
  compiledFiles.set(key, set);
  return set;
}

/** The rule file of a template, or an empty rule set when the template has none. */
export function rulesOfTemplate(templates: Readonly<Record<string, string>>, templateId: string): RuleSet {
  const file = `${templateId}/rules.yaml`;
  const text = templates[file];
  return text === undefined ? { file, rules: [] } : parseRules(text, `templates/${file}`);
}
