import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FontFamilyFiles, RenderResources, TemplateFiles } from './render/types.js';

/** The project's root folder (the one holding package.json and templates/). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Template folders that are not publication templates (the editors' web page has its own loader). */
const NOT_FOR_RENDERING = new Set(['web']);

function readTree(root: string, dir = root, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (dir === root && NOT_FOR_RENDERING.has(name)) continue;
    if (statSync(full).isDirectory()) readTree(root, full, out);
    else if (/\.(hbs|json|md|yaml)$/.test(name)) out[path.relative(root, full).split(path.sep).join('/')] = readFileSync(full, 'utf8');
  }
  return out;
}

/** Reads the publication template files under `templatesDir` (default: the project's templates/), not the web page's. */
export function loadTemplates(templatesDir = path.join(PROJECT_ROOT, 'templates')): TemplateFiles {
  return Object.freeze(readTree(templatesDir));
}

/** The Roboto fonts shipped with pdfmake: the only files pdfmake may read. */
export function loadFonts(): Pick<RenderResources, 'fonts' | 'fontDirs'> {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
  const roboto: FontFamilyFiles = {
    normal: path.join(dir, 'Roboto-Regular.ttf'),
    bold: path.join(dir, 'Roboto-Medium.ttf'),
    italics: path.join(dir, 'Roboto-Italic.ttf'),
    bolditalics: path.join(dir, 'Roboto-MediumItalic.ttf'),
  };
  return { fonts: { Roboto: roboto }, fontDirs: [dir] };
}

/** Templates and fonts from the project: what renderEdition needs. Load once per process. */
export function loadResources(templatesDir?: string): RenderResources {
  return { templates: loadTemplates(templatesDir), ...loadFonts() };
}
