import { compileExpression } from 'filtrex';

/**
 * The rule language's expressions: filtrex, a small expression compiler for end users. An
 * expression sees only the numbers it is given by name (e.g. `parts * 2.5`,
 * `GestarteCasussen <= ActieveCasussen`) and the functions below; it cannot reach JavaScript objects,
 * properties or globals. We refuse at load time any name that is not a known variable or function,
 * so an expression that tries to run code never gets as far as a dataset.
 */

/** The functions an expression may call, besides filtrex's arithmetic and logic. */
const FUNCTIONS: Readonly<Record<string, (...args: number[]) => number>> = {
  abs: Math.abs,
  min: Math.min,
  max: Math.max,
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
  sqrt: Math.sqrt,
};

/** A compiled expression over named numbers. */
export interface Expression {
  readonly source: string;
  /** The variable names the expression refers to. */
  readonly names: readonly string[];
  evaluate(values: Readonly<Record<string, number>>): number | boolean;
}

/** Why an expression was refused (the caller adds file and line). */
export class ExpressionError extends Error {}

/** Names that belong to JavaScript objects and globals: never a figure's name. */
const RESERVED = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'this',
  'globalThis',
  'process',
  'require',
  'import',
  'eval',
  'Function',
]);

const NAME = /[A-Za-z_$][A-Za-z0-9_$]*/g;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'of', 'if', 'then', 'else', 'mod', 'true', 'false']);

/**
 * Compiles an expression that may use exactly the variables in `allowed` (all numbers).
 * Throws ExpressionError for a syntax error, an unknown name or function, or a property access.
 */
export function compileRuleExpression(source: string, allowed: ReadonlySet<string> | ((name: string) => boolean)): Expression {
  const isAllowed = typeof allowed === 'function' ? allowed : (name: string) => allowed.has(name);
  if (source.length > 500) throw new ExpressionError('is longer than 500 characters');
  // Strings are not needed in rules: refusing quotes keeps names like "constructor" out of reach.
  if (/["'`]/.test(source)) throw new ExpressionError('may not hold text in quotes; use names of measures and numbers');
  const names = new Set<string>();
  for (const match of source.matchAll(NAME)) {
    const name = match[0];
    const after = source.slice((match.index ?? 0) + name.length).trimStart();
    if (KEYWORDS.has(name)) {
      if (name === 'of') throw new ExpressionError('may not read properties ("of"): use the names of figures only');
      continue;
    }
    if (after.startsWith('(')) {
      if (!Object.hasOwn(FUNCTIONS, name)) {
        throw new ExpressionError(`calls "${name}", which is not one of the functions ${Object.keys(FUNCTIONS).join(', ')}`);
      }
      continue;
    }
    if (/^\d/.test(name)) continue;
    if (!isAllowed(name) || RESERVED.has(name)) {
      const known = typeof allowed === 'function' ? 'a name this rule may use' : `one of ${[...allowed].sort().join(', ') || '(no names)'}`;
      throw new ExpressionError(`refers to "${name}", which is not ${known}`);
    }
    names.add(name);
  }
  if (/\.\s*[A-Za-z_$]/.test(source.replace(/\d+\.\d+/g, '0'))) {
    throw new ExpressionError('may not read properties ("."): use the names of figures only');
  }
  let compiled: (data: Record<string, unknown>) => unknown;
  try {
    compiled = compileExpression(source, {
      extraFunctions: FUNCTIONS,
      customProp: (name: string, get: (name: string) => unknown) => {
        if (!isAllowed(name) || RESERVED.has(name)) throw new ExpressionError(`refers to "${name}"`);
        return get(name);
      },
    });
  } catch (error) {
    throw new ExpressionError(`is not a valid expression: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const evaluate = (values: Readonly<Record<string, number>>): number | boolean => {
    const result = compiled(values as Record<string, unknown>);
    if (result instanceof Error) throw new ExpressionError(result.message);
    if (typeof result === 'number' || typeof result === 'boolean') return result;
    throw new ExpressionError(`gives ${typeof result}, not a number or true/false`);
  };
  // Probe once with every name set to 1: an expression that cannot run is refused now, not mid-check.
  evaluate(Object.fromEntries([...names].map((n) => [n, 1])));
  return { source, names: [...names], evaluate };
}
