import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateFiles } from '../render/types.js';
import { PROJECT_ROOT } from '../resources.js';
import { sha256Hex, toCanonicalJson } from './hash.js';

/** What identifies the renderer's output besides the request: the template files and the code's version. */
export interface RendererIdentity {
  readonly templatesHash: string;
  /** The package version, a hash of the pinned dependencies (pdfmake, exceljs, ...) and of the rendering code. */
  readonly rendererVersion: string;
}

/** A hash over every template file, by path and content. */
export function hashTemplates(templates: TemplateFiles): string {
  return sha256Hex(toCanonicalJson(Object.entries(templates).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** The folders whose code decides what a rendering looks like. */
const RENDERING_CODE = ['src/render', 'src/model'];

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full) : [full];
    });
}

/**
 * The project's source files the rendering code consists of: every file of src/render and
 * src/model and every project file they import, directly or not (a shared module such as the ZIP
 * reader decides bytes too). esbuild resolves the imports, as the build does; packages are left out
 * (their versions are hashed apart). Only the build, tests and development run this (a compiled
 * process reads the hash the build wrote), so esbuild, a development dependency, is loaded here.
 */
export function renderingSourceFiles(root = PROJECT_ROOT): string[] {
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const entryPoints = RENDERING_CODE.flatMap((dir) => listFiles(path.join(root, dir))).filter((f) => f.endsWith('.ts'));
  const result = buildSync({
    entryPoints,
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    outdir: path.join(root, '.identity'),
  });
  return Object.keys(result.metafile.inputs)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.resolve(root, f))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A hash over the rendering code, so a change to it never serves files rendered by the old code. */
export function hashRenderingCode(root = PROJECT_ROOT): string {
  const files = renderingSourceFiles(root);
  return sha256Hex(toCanonicalJson(files.map((f) => [path.relative(root, f).split(path.sep).join('/'), readFileSync(f, 'utf8')])));
}

const sourceHashes = new Map<string, string>();

/** The file, in dist/, where `npm run build` writes the hash of the rendering code it compiled. */
export const BUILD_INFO_FILE = 'build-info.json';

/** This module's file: dist/jobs/renderer-identity.js when compiled, src/jobs/renderer-identity.ts under tsx. */
const THIS_FILE = fileURLToPath(import.meta.url);

/**
 * The hash of the rendering code this process runs. Compiled (dist/), it is the one the build
 * wrote next to the code; from the sources (tsx: tests, development), the sources are hashed.
 */
export function renderingCodeHash(root = PROJECT_ROOT): string {
  if (!THIS_FILE.endsWith('.js')) {
    // The code a process runs does not change while it runs: hash the sources once per process.
    const known = sourceHashes.get(root);
    if (known !== undefined) return known;
    const hash = hashRenderingCode(root);
    sourceHashes.set(root, hash);
    return hash;
  }
  const file = path.join(path.dirname(THIS_FILE), '..', BUILD_INFO_FILE);
  const info = JSON.parse(readFileSync(file, 'utf8')) as { renderingCode?: unknown };
  if (typeof info.renderingCode !== 'string') throw new Error(`${file} has no renderingCode: run npm run build`);
  return info.renderingCode;
}

/** Reads the renderer version: package version, pinned dependencies and the rendering code. */
export function readRendererVersion(packageJsonPath = path.join(PROJECT_ROOT, 'package.json')): string {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: string; dependencies?: Record<string, string> };
  const code = renderingCodeHash(path.dirname(packageJsonPath));
  return `${pkg.version ?? '0.0.0'}+${sha256Hex(toCanonicalJson(pkg.dependencies ?? {})).slice(0, 12)}.${code.slice(0, 12)}`;
}

/** The identity of the renderer as loaded in this process. */
export function toRendererIdentity(templates: TemplateFiles): RendererIdentity {
  return Object.freeze({ templatesHash: hashTemplates(templates), rendererVersion: readRendererVersion() });
}
