import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUILD_INFO_FILE, hashRenderingCode } from '../src/jobs/renderer-identity.js';
import { PROJECT_ROOT } from '../src/resources.js';

// `npm run build` (also run by `prepare`, so `npm ci` builds): every TypeScript file of src/
// compiled file by file into dist/ with the same layout, so each src/cli*.ts and src/main-*.ts
// (present or added later) has its dist/ twin. esbuild only strips types (milliseconds); `npm run
// typecheck` checks them. Next to the code: dist/build-info.json with the hash of the rendering
// code, computed here once instead of by every process at start (see renderer-identity.ts).

const SRC = path.join(PROJECT_ROOT, 'src');
const DIST = path.join(PROJECT_ROOT, 'dist');

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return typeScriptFiles(full);
      return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
    });
}

/** Compiles src/ into dist/ and writes dist/build-info.json; returns how many files it compiled. */
export async function buildDist(): Promise<number> {
  rmSync(DIST, { recursive: true, force: true });
  const entryPoints = typeScriptFiles(SRC);
  await build({
    entryPoints,
    outdir: DIST,
    outbase: SRC,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  mkdirSync(DIST, { recursive: true });
  writeFileSync(path.join(DIST, BUILD_INFO_FILE), `${JSON.stringify({ renderingCode: hashRenderingCode() }, null, 2)}\n`);
  return entryPoints.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const count = await buildDist();
  process.stdout.write(`built ${count} files into dist/ in ${Math.round(performance.now() - started)} ms\n`);
}
