// Completes package-lock.json for `npm ci` where the registry mirror lacks some platform packages.
//
// The mirror this project installs from has no copy of a few other-platform optional packages
// (e.g. @biomejs/cli-win32-x64). npm then leaves them out of package-lock.json, and `npm ci`
// refuses the lock ("Missing: … from lock file"). Those packages are never installed on Linux,
// so recording them with their version and platform constraints is enough. Run after
// `npm install`: node scripts/complete-lockfile.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'sunos', 'aix', 'netbsd'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

function missingFromLock(dir) {
  try {
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--dry-run'], { cwd: dir, stdio: 'pipe' });
    return [];
  } catch (error) {
    const log = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    return [...new Set([...log.matchAll(/Missing: (\S+?)@\S* from lock file/g)].map((m) => m[1]))].sort();
  }
}

const lockPath = path.resolve('package-lock.json');
const work = mkdtempSync(path.join(tmpdir(), 'lockcheck-'));
cpSync('package.json', path.join(work, 'package.json'));
cpSync(lockPath, path.join(work, 'package-lock.json'));
const missing = missingFromLock(work);
rmSync(work, { recursive: true, force: true });

const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
for (const name of missing) {
  const parent = Object.values(lock.packages).find((p) => p.optionalDependencies?.[name]);
  if (!parent) throw new Error(`no package lists ${name} as optional`);
  const parts = name.split('/').pop().split('-');
  const entry = { version: parent.optionalDependencies[name].replace(/^[\^~=]/, '') };
  const cpu = parts.find((p) => CPU.includes(p));
  const os = parts.find((p) => OS.includes(p));
  if (cpu) entry.cpu = [cpu];
  if (parent.dev) entry.dev = true;
  if (parts.includes('musl')) entry.libc = ['musl'];
  entry.optional = true;
  if (os) entry.os = [os];
  lock.packages[`node_modules/${name}`] = entry;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(missing.length ? `added to package-lock.json: ${missing.join(', ')}` : 'package-lock.json is complete');
