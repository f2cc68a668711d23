import { sha256Hex } from '../jobs/hash.js';
import { AppError } from '../errors.js';
import type { TemplateFiles } from './types.js';

/**
 * The templates an edition was rendered with, kept with it: every file of its publication template
 * (manifest, chapters, partials) by path, content-addressed by the sha256 of its files. A
 * correction renders with the snapshot of the edition it corrects, so that a later change to the
 * templates does not change what the correction prints.
 */
export interface TemplateSnapshot {
  readonly formatVersion: 1;
  /** The publication template, e.g. "beleidsinformatie". */
  readonly template: string;
  /** sha256 (hex) over the files as sorted [path, content] pairs in JSON. */
  readonly sha256: string;
  readonly files: Readonly<Record<string, string>>;
}

function hashFiles(files: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(files)
    .sort()
    .map((p) => [p, files[p]]);
  return sha256Hex(JSON.stringify(pairs));
}

/** The snapshot of one publication template's files. */
export function takeTemplateSnapshot(templates: TemplateFiles, template: string): TemplateSnapshot {
  const files: Record<string, string> = {};
  for (const path of Object.keys(templates).sort()) if (path.startsWith(`${template}/`)) files[path] = templates[path] ?? '';
  if (Object.keys(files).length === 0) throw new AppError('TEMPLATE_INVALID', `there is no template "${template}" to keep`);
  return { formatVersion: 1, template, sha256: hashFiles(files), files };
}

/** The snapshot as stored: JSON with the files in path order (the same snapshot, the same bytes). */
export function snapshotBytes(snapshot: TemplateSnapshot): Buffer {
  return Buffer.from(`${JSON.stringify(snapshot, null, 1)}\n`, 'utf8');
}

/**
 * Reads a stored snapshot and checks it against its own hash: a snapshot whose files were changed
 * after it was stored is refused (TEMPLATE_INVALID naming `where`).
 */
export function readTemplateSnapshot(text: string, where = 'the stored templates'): TemplateSnapshot {
  let raw: Partial<TemplateSnapshot>;
  try {
    raw = JSON.parse(text) as Partial<TemplateSnapshot>;
  } catch (error) {
    throw new AppError('TEMPLATE_INVALID', `${where} is not JSON`, { cause: error });
  }
  const files = raw.files;
  if (raw.formatVersion !== 1 || typeof raw.template !== 'string' || typeof raw.sha256 !== 'string' || !files || typeof files !== 'object')
    throw new AppError('TEMPLATE_INVALID', `${where} is not a template snapshot (formatVersion 1, template, sha256, files)`);
  if (Object.values(files).some((v) => typeof v !== 'string')) throw new AppError('TEMPLATE_INVALID', `${where}: every file must be text`);
  const actual = hashFiles(files);
  if (actual !== raw.sha256)
    throw new AppError(
      'TEMPLATE_INVALID',
      `${where}: its files do not match its sha256 (${raw.sha256.slice(0, 12)}…): it was changed after it was stored`,
    );
  return { formatVersion: 1, template: raw.template, sha256: actual, files };
}

/**
 * The templates to render with: the current ones with the snapshot's template replaced by the
 * stored files (other templates stay as they are; a file the current template added is not used).
 */
export function withSnapshot(current: TemplateFiles, snapshot: TemplateSnapshot): TemplateFiles {
  const out: Record<string, string> = {};
  for (const [path, source] of Object.entries(current)) if (!path.startsWith(`${snapshot.template}/`)) out[path] = source;
  return Object.freeze({ ...out, ...snapshot.files });
}
