import { sectionNames } from '../model/texts-file.js';
import { loadManifest } from './publication.js';
import type { TemplateFiles } from './types.js';

/** The period sections the publication template `templateId` places, in the order of its files (front, chapters, erratum). */
export function templateSectionNames(templates: TemplateFiles, templateId: unknown): string[] {
  if (typeof templateId !== 'string') return [];
  const manifest = loadManifest(templates, templateId);
  const files = [...manifest.front, ...manifest.chapters.map((c) => c.file), ...(manifest.erratum ? [manifest.erratum] : [])];
  return sectionNames(templates, templateId, files);
}
