import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Response, Router } from 'express';
import Handlebars from 'handlebars';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { sha256Hex } from '../jobs/hash.js';
import { PROJECT_ROOT } from '../resources.js';
import { createRouterOf, defineRoute } from './route-table.js';
import { matchesEtag } from './routes.js';

/** Where the page's Handlebars templates live: the page itself and its partials. */
const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'templates', 'web');
/** Where the page's script, style sheet and icon live. */
const PUBLIC_DIR = path.join(PROJECT_ROOT, 'src', 'api', 'public');

/** The page's script modules (ES modules that import each other by relative name). */
const PAGE_MODULES = [
  'redactie.js',
  'api.js',
  'dom.js',
  'errors.js',
  'format.js',
  'state.js',
  'sign-in.js',
  'dataset-step.js',
  'render-step.js',
  'render-request.js',
  'job-step.js',
  'job-state.js',
  'edition-views.js',
  'publications.js',
  'import.js',
  'new-period.js',
  'dataset-block.js',
  'texts.js',
  'bevindingen.js',
  'findings-report.js',
  'redactie-review.js',
];

/** The files the page loads, by name, with their content types: nothing else is served. */
const ASSET_TYPES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(PAGE_MODULES.map((name) => [name, 'text/javascript; charset=utf-8'])),
  'redactie.css': 'text/css; charset=utf-8',
  'bevindingen.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** pdf.js (pdfjs-dist), served for the draft view's PDF viewer, by name. */
const VENDOR_ASSETS: Readonly<Record<string, string>> = {
  'pdf.min.mjs': fileURLToPath(import.meta.resolve('pdfjs-dist/build/pdf.min.mjs')),
  'pdf.worker.min.mjs': fileURLToPath(import.meta.resolve('pdfjs-dist/build/pdf.worker.min.mjs')),
};

/** The policy the page is written for: no inline script or style, nothing from elsewhere. */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The steps of a render job as the page names them, in order (keys as in the job's progress). */
export const PAGE_STEPS = Object.freeze([
  { key: 'validate', label: 'Dataset controleren' },
  { key: 'tables', label: 'Tabellen opbouwen' },
  { key: 'pdf', label: 'PDF van de publicatie maken' },
  { key: 'xlsx', label: 'Tabellenbijlage (Excel) maken' },
  { key: 'erratum', label: 'Erratum maken' },
  { key: 'store', label: 'Bestanden opslaan' },
]);

/** Options of the editor's page. */
export interface PageRoutesOptions {
  /** The largest request body the API accepts: the largest dataset file the page can send. */
  readonly maxBodyBytes: number;
  readonly templatesDir?: string;
  readonly publicDir?: string;
}

interface Asset {
  readonly bytes: Buffer;
  readonly type: string;
  readonly etag: string;
}

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (name: string, file: string, type: string) => {
    const bytes = readFileSync(file);
    assets.set(name, { bytes, type, etag: `"${sha256Hex(bytes).slice(0, 32)}"` });
  };
  for (const [name, type] of Object.entries(ASSET_TYPES)) add(name, path.join(dir, name), type);
  for (const [name, file] of Object.entries(VENDOR_ASSETS)) add(name, file, 'text/javascript; charset=utf-8');
  return assets;
}

/** Compiles the page from the project's own template files only, on an isolated, strict Handlebars instance. */
function compilePage(dir: string): Handlebars.TemplateDelegate {
  const handlebars = Handlebars.create();
  const options = { strict: true, knownHelpersOnly: true } as const;
  const partialsDir = path.join(dir, 'partials');
  for (const name of readdirSync(partialsDir).sort()) {
    if (!name.endsWith('.hbs')) continue;
    const source = readFileSync(path.join(partialsDir, name), 'utf8');
    handlebars.registerPartial(name.slice(0, -'.hbs'.length), handlebars.compile(source, options));
  }
  return handlebars.compile(readFileSync(path.join(dir, 'redactie.hbs'), 'utf8'), options);
}

/** "16 MB" (in units of 1024², as the limit is usually set: 16 MB is 16777216 bytes). */
function toSizeText(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${new Intl.NumberFormat('nl-NL', { maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb)} MB`;
}

function setPageHeaders(res: Response): void {
  // Whoever wires security headers (helmet) may set a policy of its own; this one is only the default.
  if (!res.get('Content-Security-Policy')) res.set('Content-Security-Policy', PAGE_CONTENT_SECURITY_POLICY);
  res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });
}

/**
 * The editor's page (Dutch): one server-rendered HTML page, a script and a style sheet. The page
 * holds no data; its script reads and changes everything through the API routes, so every check
 * the API makes (input, access) holds for the page too.
 */
export function createPageRoutes(options: PageRoutesOptions): Router {
  const assets = loadAssets(options.publicDir ?? PUBLIC_DIR);
  const page = compilePage(options.templatesDir ?? TEMPLATES_DIR);
  const versionOf = (name: string): string => assets.get(name)?.etag.slice(1, 13) ?? '';
  const html = page({
    maxUploadText: toSizeText(options.maxBodyBytes),
    steps: PAGE_STEPS,
    assets: {
      css: `/static/redactie.css?v=${versionOf('redactie.css')}`,
      findingsCss: `/static/bevindingen.css?v=${versionOf('bevindingen.css')}`,
      js: `/static/redactie.js?v=${versionOf('redactie.js')}`,
      icon: `/static/favicon.svg?v=${versionOf('favicon.svg')}`,
      review: `/static/redactie-review.js?v=${versionOf('redactie-review.js')}`,
    },
  });

  return createRouterOf(PAGE_ROUTES, { assets, html });
}

/** What the page's routes share: the files and the page, made once. */
interface PageContext {
  readonly assets: ReadonlyMap<string, Asset>;
  readonly html: string;
}

/** The editors' page and its files: not JSON, but routes all the same. */
export const PAGE_ROUTES = [
  defineRoute<PageContext>({
    method: 'GET',
    path: '/',
    role: 'public',
    operationId: 'home',
    summary: 'Redirects to the editors’ page',
    responses: { 302: { description: 'To /redactie.' } },
    handler: () => (_req, res) => {
      res.redirect(302, '/redactie');
    },
  }),
  defineRoute<PageContext>({
    method: 'GET',
    path: '/redactie',
    role: 'public',
    operationId: 'editorsPage',
    summary: 'The editors’ page (Dutch): upload, check, render and download',
    responses: { 200: { description: 'The page.', content: { 'text/html': z.string() } } },
    handler:
      ({ html }) =>
      (_req, res) => {
        setPageHeaders(res);
        res.set('Cache-Control', 'no-store').type('html').send(html);
      },
  }),
  defineRoute<PageContext>({
    method: 'GET',
    path: '/static/:name',
    role: 'public',
    operationId: 'staticFile',
    summary: 'A script, style sheet or font of the page',
    input: { params: z.object({ name: z.string() }) },
    responses: {
      200: { description: 'The file.', content: { '*/*': z.string().meta({ format: 'binary' }) } },
      404: { description: 'No such file.' },
    },
    handler:
      ({ assets }) =>
      (req, res) => {
        const name = String(req.params.name);
        const known = Object.hasOwn(ASSET_TYPES, name) || Object.hasOwn(VENDOR_ASSETS, name);
        const asset = known ? assets.get(name) : undefined;
        if (!asset) throw new AppError('NOT_FOUND', `there is no file "${name.slice(0, 80)}"`);
        res.set({ ETag: asset.etag, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
        if (matchesEtag(req.get('if-none-match'), asset.etag)) {
          res.status(304).end();
          return;
        }
        res.type(asset.type).send(asset.bytes);
      },
  }),
];
