import Handlebars from 'handlebars';

/**
 * What a template names in the dataset, read from its files without rendering: the figures its
 * sentences print (helpers value, number, duizend, percent), the tables it shows (`::table id`,
 * manifest) and the dimensions it counts. The checks confront these with a dataset before a render.
 */

/** One figure a sentence of the template prints. */
export interface FigureUse {
  /** Template file and line, e.g. "beleidsinformatie/02-uitkomsten.hbs, regel 17". */
  readonly place: string;
  readonly helper: string;
  readonly table: string;
  readonly measure: string;
  /** Codes named in the helper (other dimensions take their total, only code or the period). */
  readonly coords: Readonly<Record<string, string>>;
  /** For `percent`: the dimensions set to their total for the whole (the hash's `of`). */
  readonly of: readonly string[] | undefined;
}

/** A table or dimension the template names. */
export interface NameUse {
  readonly place: string;
  readonly table: string;
  readonly dimension?: string;
  readonly level?: string;
}

export interface TemplateFacts {
  readonly figures: readonly FigureUse[];
  readonly names: readonly NameUse[];
}

const FIGURE_HELPERS = new Set(['value', 'number', 'duizend', 'percent']);

interface AstNode {
  type?: string;
  path?: { original?: unknown };
  params?: AstNode[];
  hash?: { pairs?: { key: string; value: AstNode }[] };
  value?: unknown;
  loc?: { start?: { line?: number } };
  [key: string]: unknown;
}

function literal(node: AstNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'StringLiteral' || node.type === 'NumberLiteral') return String(node.value);
  return undefined;
}

function walk(node: unknown, visit: (node: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as AstNode;
  if (typeof n.type === 'string') visit(n);
  for (const [key, value] of Object.entries(n)) {
    if (key !== 'loc' && value !== null && typeof value === 'object') walk(value, visit);
  }
}

const cache = new Map<string, TemplateFacts>();

/** The facts of the template `templateId` among the template files (unparsable files are left to the render to report). */
export function templateFacts(templates: Readonly<Record<string, string>>, templateId: string): TemplateFacts {
  const prefix = `${templateId}/`;
  const files = Object.keys(templates)
    .filter((p) => p.startsWith(prefix))
    .sort();
  const key = files.map((f) => `${f}\u0000${templates[f]}`).join('\u0001');
  const cached = cache.get(key);
  if (cached) return cached;
  const figures: FigureUse[] = [];
  const names: NameUse[] = [];
  for (const file of files) {
    const source = templates[file] ?? '';
    if (file === `${prefix}manifest.json`) {
      try {
        const manifest = JSON.parse(source) as { tables?: Record<string, unknown> };
        for (const table of Object.keys(manifest.tables ?? {})) names.push({ place: file, table });
      } catch {
        // The render reports a broken manifest.
      }
      continue;
    }
    if (!file.endsWith('.hbs')) continue;
    source.split('\n').forEach((text, i) => {
      const m = /^::table\s+([a-z0-9-]+)/.exec(text);
      if (m?.[1]) names.push({ place: `${file}, regel ${i + 1}`, table: m[1] });
    });
    let ast: unknown;
    try {
      ast = Handlebars.parse(source);
    } catch {
      continue;
    }
    walk(ast, (node) => {
      if (node.type !== 'MustacheStatement' && node.type !== 'SubExpression') return;
      const helper = node.path?.original;
      if (typeof helper !== 'string') return;
      const place = `${file}, regel ${node.loc?.start?.line ?? '?'}`;
      const table = literal(node.params?.[0]);
      const second = literal(node.params?.[1]);
      if (table === undefined) return;
      const hash: Record<string, string> = {};
      for (const pair of node.hash?.pairs ?? []) {
        const value = literal(pair.value);
        if (value !== undefined) hash[pair.key] = value;
      }
      if (FIGURE_HELPERS.has(helper) && second !== undefined) {
        const coords: Record<string, string> = {};
        for (const [k, v] of Object.entries(hash)) if (k !== 'of' && k !== 'decimals') coords[k] = v;
        const of = helper === 'percent' ? (hash.of?.split(',').map((s) => s.trim()) ?? Object.keys(coords)) : undefined;
        figures.push({ place, helper, table, measure: second, coords, of });
      } else if (helper === 'tableTitle') {
        names.push({ place, table });
      } else if (helper === 'countCodes' && second !== undefined) {
        names.push({ place, table, dimension: second, ...(hash.level ? { level: hash.level } : {}) });
      }
    });
  }
  const facts = { figures, names };
  cache.set(key, facts);
  return facts;
}
