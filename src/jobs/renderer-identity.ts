import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TemplateFiles } from '../render/types.js';
import { PROJECT_ROOT } from '../resources.js';
import { sha256Hex, toCanonicalJson } from './hash.js';

/** What identifies the renderer's output besides the request: the template files and the code's version. */
export interface RendererIdentity {
  readonly templatesHash: string;
  /** The package version plus a hash of the pinned dependencies (pdfmake, exceljs, ...). */
  readonly rendererVersion: string;
}

/** A hash over every template file, by path and content. */
export function hashTemplates(templates: TemplateFiles): string {
  return sha256Hex(toCanonicalJson(Object.entries(templates).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** Reads the renderer version from the project's package.json. */
export function readRendererVersion(packageJsonPath = path.join(PROJECT_ROOT, 'package.json')): string {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: string; dependencies?: Record<string, string> };
  return `${pkg.version ?? '0.0.0'}+${sha256Hex(toCanonicalJson(pkg.dependencies ?? {})).slice(0, 12)}`;
}

/** The identity of the renderer as loaded in this process. */
export function toRendererIdentity(templates: TemplateFiles): RendererIdentity {
  return Object.freeze({ templatesHash: hashTemplates(templates), rendererVersion: readRendererVersion() });
}
