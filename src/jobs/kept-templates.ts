import { AppError } from '../errors.js';
import type { TemplateFiles } from '../render/types.js';
import { sha256Hex, toCanonicalJson } from './hash.js';
import { hashTemplates } from './renderer-identity.js';
import type { Storage } from './storage.js';

/**
 * The templates a render used, kept in storage beside the datasets (content-addressed): the
 * canonical JSON of the sorted [path, content] pairs, whose sha256 is the `templatesHash` a job
 * carries and its id covers. A correction renders with the templates kept for the edition it
 * corrects, so a later change to the templates does not change what it prints.
 */
export function keptTemplatesBytes(templates: TemplateFiles): Buffer {
  return Buffer.from(toCanonicalJson(Object.entries(templates).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), 'utf8');
}

/** Stores the templates (write-once); returns their hash, equal to hashTemplates(templates). */
export async function keepTemplates(storage: Pick<Storage, 'putDataset'>, templates: TemplateFiles): Promise<string> {
  const hash = await storage.putDataset(keptTemplatesBytes(templates));
  if (hash !== hashTemplates(templates)) throw new AppError('STORAGE_FAILED', 'the kept templates do not hash like the templates');
  return hash;
}

/** Reads kept templates by hash; undefined when none are stored under it. Refuses files that no longer match their hash. */
export async function readKeptTemplates(storage: Pick<Storage, 'getDataset'>, hash: string): Promise<TemplateFiles | undefined> {
  const bytes = await storage.getDataset(hash);
  if (!bytes) return undefined;
  const where = `the templates kept under ${hash.slice(0, 12)}…`;
  let pairs: unknown;
  try {
    pairs = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new AppError('TEMPLATE_INVALID', `${where} are not JSON`, { cause: error });
  }
  if (
    !Array.isArray(pairs) ||
    !pairs.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string')
  )
    throw new AppError('TEMPLATE_INVALID', `${where} are not a list of [path, content] pairs`);
  if (sha256Hex(bytes) !== hash)
    throw new AppError('TEMPLATE_INVALID', `${where} do not match their hash: they were changed after they were stored`);
  return Object.freeze(Object.fromEntries(pairs as [string, string][]));
}
